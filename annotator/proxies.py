"""Forwarded headers count only from the reverse proxies' own addresses.

`X-Forwarded-For` says who the client is (the login throttle counts failures per address) and
`X-Forwarded-Proto` whether it used HTTPS (secure cookies, the redirect to HTTPS). A proxy
sets them; anyone else who reaches an app server directly could send them too. So they are
dropped from every request whose peer is not one of the proxies (FORWARDED_ALLOW_IPS, the
variable gunicorn reads for the same purpose), whatever address the app server listens on.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

FORWARDED = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PROTOCOL",
    "HTTP_X_FORWARDED_SSL",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_proxies(value: str) -> tuple[Network, ...] | None:
    """Parse comma-separated addresses and networks ('10.0.0.5,10.1.0.0/16'); None for '*'.

    Raises ValueError naming the item that is neither.
    """
    items = [item.strip() for item in value.split(",") if item.strip()]
    if "*" in items:
        return None
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or network") from None
    return tuple(networks)


@lru_cache(maxsize=8)
def _networks(value: str) -> tuple[Network, ...] | None:
    return parse_proxies(value)


def is_trusted_proxy(address: str) -> bool:
    """Tell whether the peer may speak for the client (a UNIX socket's empty address may)."""
    networks = _networks(settings.FORWARDED_ALLOW_IPS)
    if networks is None or not address:
        return True
    try:
        peer = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if getattr(peer, "ipv4_mapped", None):
        peer = peer.ipv4_mapped
    return any(peer in network for network in networks)


class ForwardedHeadersMiddleware:
    """First in the chain: what later code (SecurityMiddleware, the throttle) reads is true."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if not is_trusted_proxy(meta.get("REMOTE_ADDR", "")):
            for name in FORWARDED:
                meta.pop(name, None)
        return self.get_response(request)
