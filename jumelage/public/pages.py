"""Page cache of the public site.

A page is rendered once and kept under `core.cache.page_key(authority, ...)`, a key that
changes on every write to that authority's records or to the shared directory, so an edit in
the back office shows at once. What depends on the clock (is the service open now?) is left out
of the cached HTML: a marker stands in its place and is filled on each request.

A member's page (`current_page`) is also kept in the memory of each process that served it
(`_Hot`): the bytes of the page, filled for the current minute, and the same compressed with
gzip. A hit then reads only the two generations from the shared cache (a few bytes, not the
page), checks them against the copy's, and answers the copy, compressed once rather than on
every request (Django's GZipMiddleware compresses a 300 KB page in 2 to 3 ms, several times the
rest of the hit). The copy is never the truth: it is served only under the generations it was
built with, which every write replaces in the shared cache (so another process's write is seen
at once), never after the page's own timeout, and only while the shared cache holds the mark
(`EPOCH`) it held when the copy was made: a cache emptied by hand empties the copies too. At most
`PUBLIC_PAGES_IN_MEMORY` bytes are kept per process, the least recently served dropped first.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language

from jumelage.core.cache import GLOBAL, generation, generations_with, new_token, page_key
from jumelage.core.middleware import holds_no_secret
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


def current_page(
    request: HttpRequest, key: str, member_id: int
) -> tuple[HttpResponse | None, tuple[str, str]]:
    """The page under `key` if it was built under the current generations (else None), and
    those generations: the member's and the directory's. From this process's copy when it
    has one built under them (one cache read, of the generations); else from the shared cache
    (one cache read, of the page and both generations)."""
    hot = _hot_pages.get(key)
    if hot is not None:
        tokens, found = generations_with(member_id, EPOCH)
        if hot.generations == tokens and hot.epoch == found.get(EPOCH):
            return hot.respond(request), tokens
        _hot_pages.drop(key)
    tokens, found = generations_with(member_id, key, EPOCH)
    entry = found.get(key)
    if isinstance(entry, dict) and entry.get("generations") == tokens:
        return _respond_kept(request, key, entry, _epoch(found)), tokens
    return None, tokens


# A mark the shared cache holds while the copies in memory stand for what it holds: drawn by the
# first reader that finds none (after the cache was emptied, or lost it), which no copy made
# before has.
EPOCH = "jumelage:pages-in-memory"


def _epoch(found: dict[str, object]) -> str:
    epoch = found.get(EPOCH)
    if epoch is None:
        epoch = new_token()
        if not cache.add(EPOCH, epoch, None):
            epoch = cache.get(EPOCH) or epoch
    return str(epoch)


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
    entry["expires"] = time.time() + PAGE_TIMEOUT
    cache.set(key, entry, PAGE_TIMEOUT)
    return _respond_kept(request, key, entry, _epoch({EPOCH: cache.get(EPOCH)}))


def _respond_kept(
    request: HttpRequest, key: str, entry: dict[str, Any], epoch: str
) -> HttpResponse:
    """Answer a member's page read from the shared cache or just built, keeping a copy in
    this process's memory when it fits (an entry cached before copies were made has no
    `expires`: answered, not copied)."""
    expires = entry.get("expires")
    if not isinstance(expires, float) or expires <= time.time():
        return _respond(entry, request)
    hot = _Hot(entry, tuple(entry["generations"]), epoch, expires)  # type: ignore[arg-type]
    _hot_pages.keep(key, hot)
    return hot.respond(request)


@dataclass
class _Hot:
    """A member's page in this process's memory: the cached entry, and its bytes for the
    current minute, plain and compressed (each made once, when first asked for)."""

    entry: dict[str, Any]
    generations: tuple[str, str]
    epoch: str
    expires: float  # time.time() after which the page is built again (PAGE_TIMEOUT)
    minute: datetime.datetime | None = None
    html: bytes = b""
    gzipped: bytes | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    # Whether the page has the open-now line to fill, found once (a scan of a 300 KB page
    # costs more than the rest of a hit); a page without it is served as it is.
    marked: bool = field(init=False)
    page: bytes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        html = self.entry["html"]
        self.page = html.encode() if isinstance(html, str) else html
        self.marked = _OPEN_NOW_BYTES in self.page
        if not self.marked:
            self.html, self.gzipped = self.page, self.entry.get("gzip")

    @property
    def size(self) -> int:
        # The entry's bytes, the filled copy and the compressed one (a tenth at most).
        return len(self.page) * 2 + len(self.page) // 10

    def _bytes(self) -> tuple[bytes, bytes | None]:
        if not self.marked:
            return self.html, self.gzipped
        minute = timezone.now().replace(second=0, microsecond=0)
        with self.lock:
            if self.minute != minute:
                filled = open_now_html(self.entry["hours"], self.entry.get("time_zone", ""))
                self.html = self.page.replace(_OPEN_NOW_BYTES, filled.encode())
                self.minute, self.gzipped = minute, None
            return self.html, self.gzipped

    def respond(self, request: HttpRequest) -> HttpResponse:
        html, gzipped = self._bytes()

        def compress() -> bytes:
            made = compress_string(html)
            with self.lock:
                if self.html is html:  # not replaced by the next minute's meanwhile
                    self.gzipped = made
            return made

        return _answer(request, html, gzipped or compress)


class _HotPages:
    """The members' pages this process served last, at most `PUBLIC_PAGES_IN_MEMORY` bytes
    (a setting; 0 keeps none), the least recently served dropped first."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, _Hot] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> _Hot | None:
        with self._lock:
            hot = self._pages.get(key)
            if hot is None:
                return None
            if hot.expires <= time.time():
                self._forget(key)
                return None
            self._pages.move_to_end(key)
            return hot

    def keep(self, key: str, hot: _Hot) -> None:
        limit = getattr(settings, "PUBLIC_PAGES_IN_MEMORY", 0)
        if hot.size > limit // 4:
            return  # a page that would push out most others is served from the cache only
        with self._lock:
            self._forget(key)
            self._pages[key] = hot
            self._size += hot.size
            while self._size > limit and self._pages:
                self._forget(next(iter(self._pages)))

    def drop(self, key: str) -> None:
        with self._lock:
            self._forget(key)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._size = 0

    def _forget(self, key: str) -> None:
        hot = self._pages.pop(key, None)
        if hot is not None:
            self._size -= hot.size


_hot_pages = _HotPages()


def forget_pages_in_memory() -> None:
    """Drop this process's copies of the members' pages (the tests, which give each test a
    cache of its own, and a benchmark of the cold page). Never needed for correctness: a copy
    is served only under the generations of the shared cache."""
    _hot_pages.clear()


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

    return _respond(cached(key, lambda: _build(request, template, context), timeout), request)


def _build(
    request: HttpRequest, template: str, context: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    values = context()
    # Kept as UTF-8 bytes: a cached hit answers them as they are, without encoding the page
    # again on every request; and compressed once, for the browsers that accept gzip (all of
    # them), unless the page has a line filled on each request (`_respond` compresses those).
    html = render_to_string(template, values, request=request).encode()
    return {
        "html": html,
        "gzip": None if _OPEN_NOW_BYTES in html else compress_string(html),
        "hours": values.get("opening_periods", []),
        "time_zone": values.get("opening_time_zone", ""),
    }


def _respond(entry: dict[str, Any], request: HttpRequest) -> HttpResponse:
    html = entry["html"]
    if isinstance(html, str):  # an entry cached before pages were kept as bytes
        html = html.encode()
    kept = entry.get("gzip")  # made only for a page without the open-now line: no scan
    if kept is None and _OPEN_NOW_BYTES in html:
        filled = open_now_html(entry["hours"], entry.get("time_zone", ""))
        html = html.replace(_OPEN_NOW_BYTES, filled.encode())
    return _answer(request, html, kept or (lambda: compress_string(html)))


def _answer(
    request: HttpRequest, html: bytes, gzipped: bytes | Callable[[], bytes]
) -> HttpResponse:
    """The page, compressed when the browser accepts gzip and the answer holds no secret (the
    rule of SafeGZipMiddleware, which would compress it on every request otherwise): what
    GZipMiddleware answers, from bytes compressed once. `gzipped`: the bytes, or a function
    that makes them (called only when they are needed)."""
    response = HttpResponse(html)
    if not re_accepts_gzip.search(request.headers.get("accept-encoding", "")):
        return response
    if not holds_no_secret(request, response):
        return response  # left as it is: the middleware does not compress it either
    if callable(gzipped):
        gzipped = gzipped()
    if len(gzipped) >= len(html):
        return response
    response.content = gzipped
    response["Content-Encoding"] = "gzip"  # the middleware leaves an encoded answer alone
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


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
