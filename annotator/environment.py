"""Read settings from the environment, naming the variable and the problem when one is bad."""

import ipaddress
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in TRUE:
        return True
    if value.strip().lower() in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true/false, yes/no, on/off), not {value!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """Return the comma-separated items of the variable (blanks dropped), else the default."""
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_proxies(name: str, default: str) -> str:
    """Return the variable's addresses and networks of proxies, checked, as given."""
    from annotator.proxies import parse_proxies

    value = os.environ.get(name, "").strip() or default
    try:
        parse_proxies(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None
    return value


def checkout_secret_key(path: Path) -> str:
    """Return this checkout's own random key, made on first use (never a shared default).

    For commands and `make run` on one machine only: app servers that share a database need
    the same DJANGO_SECRET_KEY, from the environment (annotator.serving checks it is set).
    """
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it meanwhile
        return path.read_text().strip()
    with os.fdopen(descriptor, "w") as file:
        file.write(key + "\n")
    return key


def is_loopback(host: str) -> bool:
    """Tell whether the host name or address can only mean this machine.

    Addresses are parsed, not matched by prefix: "127.evil.com" is a name anyone can point
    anywhere; "127.0.0.2" and "[::1]" are loopback.
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.removeprefix("[").removesuffix("]")).is_loopback
    except ValueError:
        return False
