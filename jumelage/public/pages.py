"""Page cache of the public site.

A page is rendered once and kept under `core.cache.page_key(authority, ...)`, a key that
changes on every write to that authority's records or to the shared directory, so an edit in
the back office shows at once. What depends on the clock (is the service open now?) is left out
of the cached HTML: a marker stands in its place and is filled on each request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language

from jumelage.core.cache import GLOBAL, generation, page_key
from jumelage.public.contact import Period, open_state

# Every write expires a page at once; the timeout only bounds what depends on the date (a news
# item dated tomorrow, a position that ends today).
PAGE_TIMEOUT = 10 * 60
HOME_TIMEOUT = 60  # the directory of members is not expired by a member's writes
OPEN_NOW_MARK = "<!--jumelage:open-now-->"


def _parts(request: HttpRequest, *parts: object) -> tuple[object, ...]:
    # The host and scheme are in the HTML (canonical and share URLs), so in the key too.
    return (get_language(), request.scheme, request.get_host(), *parts)


def member_page_key(request: HttpRequest, member_id: int, *parts: object) -> str:
    return page_key(member_id, *_parts(request, *parts))


def home_page_key(request: HttpRequest, *parts: object) -> str:
    suffix = ":".join(str(part) for part in _parts(request, *parts))
    return f"jumelage:page:{GLOBAL}:{generation()}:{suffix}"


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

    def build() -> dict[str, Any]:
        values = context()
        return {
            "html": render_to_string(template, values, request=request),
            "hours": values.get("opening_periods", []),
            "time_zone": values.get("opening_time_zone", ""),
        }

    entry = cached(key, build, timeout)
    html = entry["html"]
    if OPEN_NOW_MARK in html:
        html = html.replace(
            OPEN_NOW_MARK, open_now_html(entry["hours"], entry.get("time_zone", ""))
        )
    return HttpResponse(html)


def open_now_html(periods: list[Period], time_zone: str = "") -> str:
    state = open_state(periods, time_zone=time_zone)  # "" (an older cache entry): Paris
    if state is None:
        return ""
    return render_to_string("public/includes/open_now.html", {"state": state})
