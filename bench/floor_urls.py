"""The site's URLs plus the floor of the page benchmarks: a bare Django view that answers the
bytes it is given (`FLOOR`), through the same middleware as every page. A page that costs 2x its
floor spends as much in its own work as Django spends answering at all."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site

FLOOR: dict[str, object] = {
    "body": b"",
    "content_type": "text/html; charset=utf-8",
    "content_encoding": "",
}


def floor(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(FLOOR["body"], content_type=FLOOR["content_type"])
    if FLOOR["content_encoding"]:
        # The page's bytes were compressed already: the same bytes, which the middleware then
        # leaves as they are (it compresses an answer without Content-Encoding only).
        response["Content-Encoding"] = FLOOR["content_encoding"]
    return response


urlpatterns = [path("__bench_floor__/", floor), *site]
