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

from jumelage.core.cache import GENERATION_TIMEOUT, GLOBAL, generation, page_key
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


def member_id(slug: str, find: Callable[[], int]) -> int:
    """The id of the member authority at `slug`, kept in the cache so that a cached page costs
    no query; `find()` (a database read that raises Http404) fills it. A stale id is harmless:
    the key of a member's page holds its slug and the generations, and a page missing from the
    cache is built only after the database confirmed the member (`confirm_member_id`)."""
    key = f"jumelage:member-id:{slug}"
    found = cache.get(key)
    if found is None:
        found = find()
        cache.set(key, found, GENERATION_TIMEOUT)
    return int(found)


def confirm_member_id(slug: str, found: int, real: int) -> None:
    """Forget the cached id of `slug` when the database says otherwise."""
    if found != real:
        cache.set(f"jumelage:member-id:{slug}", real, GENERATION_TIMEOUT)


def cached_html(request: HttpRequest, key: str) -> HttpResponse | None:
    """The cached page under `key`, with its clock-dependent part filled, or None."""
    entry = cache.get(key)
    return None if entry is None else _respond(entry)


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

    return _respond(cached(key, build, timeout))


def _respond(entry: dict[str, Any]) -> HttpResponse:
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
