"""Who is asking, and how often: the client's address for the sign-in lockout (django-axes) and
the limits on password-reset requests (django-ratelimit).

django-ratelimit keeps its counters in the default cache, which every server process shares
(see docs/operators.md, "The cache"). With the file cache an increment is a read then a write,
so two requests at the same instant may count once: a limit can be passed by a request or two,
never by many. Redis counts exactly.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: behind our reverse proxy, the last address of X-Forwarded-For,
    the one the proxy appended (the ones before it are whatever the client sent); else the
    connection's address. None when there is no valid one (a Unix socket without the proxy's
    header): django-axes stores it in an IP address column, which PostgreSQL checks, so a
    made-up word there would turn a sign-in into a server error."""
    address = ""
    if settings.BEHIND_PROXY:
        address = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
    address = address or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


@dataclass(frozen=True)
class Throttled:
    minutes: int  # until the request may be made again, rounded up


def _email_key(group: str, request: HttpRequest) -> str:
    return request.POST.get("email", "").strip().lower()


def _client_key(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"  # clients without an address share one limit


def password_reset_throttled(request: HttpRequest) -> Throttled | None:
    """Count this reset request, per e-mail address and per client; say how long to wait when
    either is over its limit."""
    waits = []
    for group, key, rate in (
        ("password-reset-email", _email_key, settings.PASSWORD_RESET_RATE_PER_EMAIL),
        ("password-reset-client", _client_key, settings.PASSWORD_RESET_RATE_PER_CLIENT),
    ):
        usage = get_usage(request, group=group, key=key, rate=rate, method="POST", increment=True)
        if usage is not None and usage["should_limit"]:
            waits.append(max(usage["time_left"], 60))
    if not waits:
        return None
    return Throttled(minutes=-(-max(waits) // 60))
