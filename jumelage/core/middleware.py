"""An id too large for the database, typed into an address or a list filter, is "not found".

The URL converters (`core.converters`) keep such ids out of the site's own addresses, and the
admin's choice fields out of its forms; this catches the rest (the admin's list filters take any
`?field=value`). SQLite refuses integers above 64 bits in Python (OverflowError); PostgreSQL
compares them and finds nothing, and raises a DataError "out of range" only where it must
convert one. Either way no record has that id, so the answer is the site's 404 page, not a
server error.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.handlers.exception import response_for_exception
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse


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
