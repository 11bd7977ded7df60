"""Middlewares: an id too large for the database is "not found"; answers are compressed only
when they hold no secret.

An id too large for the database, typed into an address or a list filter, is "not found".

The URL converters (`core.converters`) keep such ids out of the site's own addresses, and the
admin's choice fields out of its forms; this catches the rest (the admin's list filters take any
`?field=value`). SQLite refuses integers above 64 bits in Python (OverflowError); PostgreSQL
compares them and finds nothing, and raises a DataError "out of range" only where it must
convert one. Either way no record has that id, so the answer is the site's 404 page, not a
server error.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware


def too_large_for_the_database(exception: Exception) -> bool:
    if isinstance(exception, OverflowError):
        return "SQLite INTEGER" in str(exception)
    return isinstance(exception, DataError) and "out of range" in str(exception)


class OversizedIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if too_large_for_the_database(exception):
            return response_for_exception(request, Http404("No record has such a large id."))
        return None


# Types worth compressing; others (XLSX, PDF, images) are compressed already or not text.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)


def holds_no_secret(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the answer holds nothing secret: no session (no one signed in), no CSRF token in
    the page, no cookie being set.

    Why: BREACH (https://www.breachattack.com/) reads a secret out of a compressed HTTPS answer
    when the same answer also reflects something the attacker sends (a search term, a form
    value): the size of the compressed answer tells how much of the guess matches the secret.
    An answer without a secret leaks nothing that way, whatever it reflects; so only those are
    compressed: the public site, the API, the feeds and the IATI files, seen by anonymous
    visitors, which are most of the traffic and the largest pages. The back office (CSRF
    tokens, personal data) is never compressed.
    """
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page used get_token()
        return False
    if response.cookies:
        return False
    content_type = response.get("Content-Type", "")
    return content_type.startswith(COMPRESSIBLE_TYPES)


class SafeGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for the answers that hold no secret (`holds_no_secret`)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not holds_no_secret(request, response):
            return response
        return super().process_response(request, response)
