"""Page cache of the public site.

A page is rendered once and kept under `core.cache.page_key(authority, ...)`, a key that
changes on every write to that authority's records or to the shared directory, so an edit in
the back office shows at once. What depends on the clock (is the service open now?) is left out
of the cached HTML: a marker stands in its place and is filled on each request.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from jumelage.core.cache import GLOBAL, generation, page_key, with_generations
from jumelage.public.contact import Period, open_state

# Every write expires a page at once; the timeout only bounds what depends on the date (a news
# item dated tomorrow, a position that ends today).
PAGE_TIMEOUT = 10 * 60
HOME_TIMEOUT = 60  # the directory of members is not expired by a member's writes
OPEN_NOW_MARK = "<!--jumelage:open-now-->"
_OPEN_NOW_BYTES = OPEN_NOW_MARK.encode()


def _parts(request: HttpRequest, *parts: object) -> tuple[object, ...]:
    # The host and scheme are in the HTML (canonical and share URLs), so in the key too.
    return (get_language(), request.scheme, request.get_host(), *parts)


def member_page_key(request: HttpRequest, member_id: int, *parts: object) -> str:
    return page_key(member_id, *_parts(request, *parts))


def home_page_key(request: HttpRequest, *parts: object) -> str:
    suffix = ":".join(str(part) for part in _parts(request, *parts))
    return f"jumelage:page:{GLOBAL}:{generation()}:{suffix}"


def current_page_key(request: HttpRequest, member_id: int, *parts: object) -> str:
    """The key of a member's page kept with its generations inside (`current_page`), rather
    than in the key: a hit then costs one cache read for the page and both generations."""
    suffix = ":".join(str(part) for part in _parts(request, *parts))
    return f"jumelage:page:{member_id}:current:{suffix}"


def current_page(key: str, member_id: int) -> tuple[HttpResponse | None, tuple[str, str]]:
    """The page under `key` if it was built under the current generations (else None), and
    those generations: the member's and the directory's, read in the same cache read."""
    tokens, entry = with_generations(member_id, key)
    if isinstance(entry, dict) and entry.get("generations") == tokens:
        return _respond(entry), tokens
    return None, tokens


def render_current_page(
    request: HttpRequest,
    key: str,
    generations: tuple[str, str],
    template: str,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """Render the page and keep it under `key` with the generations read before building it
    (a write during the build leaves a page that the next read finds outdated)."""
    entry = _build(request, template, context)
    entry["generations"] = generations
    cache.set(key, entry, PAGE_TIMEOUT)
    return _respond(entry)


def cached(key: str, build: Callable[[], Any], timeout: int = PAGE_TIMEOUT) -> Any:
    """The value under `key`, built and stored when missing (an Http404 is never stored)."""
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def render_page(
    request: HttpRequest,
    key: str,
    template: str,
    context: Callable[[], dict[str, Any]],
    *,
    timeout: int = PAGE_TIMEOUT,
) -> HttpResponse:
    """Render (or reuse) the page; fill in whether the service is open now (from the
    context's `opening_periods` and `opening_time_zone`, kept with the cached HTML)."""

    return _respond(cached(key, lambda: _build(request, template, context), timeout))


def _build(
    request: HttpRequest, template: str, context: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    values = context()
    return {
        # Kept as UTF-8 bytes: a cached hit answers them as they are, without encoding the
        # page again on every request.
        "html": render_to_string(template, values, request=request).encode(),
        "hours": values.get("opening_periods", []),
        "time_zone": values.get("opening_time_zone", ""),
    }


def _respond(entry: dict[str, Any]) -> HttpResponse:
    html = entry["html"]
    if isinstance(html, str):  # an entry cached before pages were kept as bytes
        html = html.encode()
    if _OPEN_NOW_BYTES in html:
        filled = open_now_html(entry["hours"], entry.get("time_zone", ""))
        html = html.replace(_OPEN_NOW_BYTES, filled.encode())
    return HttpResponse(html)


# The open-now line of the current minute, by (language, periods, time zone): a cached page
# served many times a minute renders it once. Opening hours are whole minutes (the forms take
# HH:MM), so the line cannot change inside a minute; hours with seconds are never memoised.
_open_now_memo: dict[tuple[Any, ...], str] = {}
_open_now_minute: list[datetime.datetime] = []


def open_now_html(periods: list[Period], time_zone: str = "") -> str:
    now = timezone.now()
    whole_minutes = all(
        not (moment.second or moment.microsecond)
        for _day, opens, closes in periods
        for moment in (opens, closes)
    )
    if not whole_minutes:
        return _render_open_now(periods, time_zone, now)
    minute = now.replace(second=0, microsecond=0)
    if _open_now_minute != [minute]:
        _open_now_memo.clear()
        _open_now_minute[:] = [minute]
    key = (get_language(), tuple(periods), time_zone)
    found = _open_now_memo.get(key)
    if found is None:
        found = _open_now_memo[key] = _render_open_now(periods, time_zone, now)
    return found


def _render_open_now(periods: list[Period], time_zone: str, now: datetime.datetime) -> str:
    state = open_state(periods, now, time_zone=time_zone)  # "" (an older cache entry): Paris
    if state is None:
        return ""
    return render_to_string("public/includes/open_now.html", {"state": state})
