"""The login throttle's pieces (django-axes): its backend, and the client's address."""

import hashlib

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuse logins while their username or address is paused; let the next backend check.

    Only logins over HTTP are counted: authenticate() without a request (the test client's
    login(), a shell) has no client to count, and django-axes would refuse it.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_address(request) -> str | None:
    """Return the address of the client, as the outermost of our proxies saw it.

    Without proxies (DJANGO_PROXY_COUNT=0) that is REMOTE_ADDR. Each of N proxies appends
    the address it received from to X-Forwarded-For, so the client is the N-th entry from the
    right; entries further left were sent by the client and may be forged.
    """
    count = settings.PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


# The throttle's table keeps at most this many characters of a username.
COUNTED_USERNAME_LENGTH = 255


def attempted_username(request, credentials: dict | None = None) -> str | None:
    """Return the username a login attempt is counted under: as typed, or for one longer than
    any account's (and the throttle's column), its start and a digest of the rest, so the
    attempt is counted like any other, never dropped with an error."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    if not isinstance(username, str) or len(username) <= COUNTED_USERNAME_LENGTH:
        return username
    digest = hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{username[: COUNTED_USERNAME_LENGTH - 17]}#{digest}"
