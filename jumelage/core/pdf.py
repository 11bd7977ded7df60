"""PDF files of the report pages, printed by WeasyPrint from their HTML.

The print stylesheet is a static file read from disk; WeasyPrint fetches nothing else: any
address in the HTML (an image in a news text, a link to another host) is refused, so that
producing a report never makes the server reach the network or read other files.
"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders


def _refusing_fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetchingError

    class RefuseAll(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise URLFetchingError(f"Reports fetch nothing: {url[:80]}")

    return RefuseAll()


def html_to_pdf(html: str, *, stylesheet: str) -> bytes:
    """The PDF of a page of HTML, laid out by `stylesheet` (a static file's path: A4, page
    numbers and running heads are in it)."""
    # Imported here: WeasyPrint loads Pango through cffi at import, which a process that never
    # prints a report need not pay for.
    from weasyprint import CSS, HTML

    path = finders.find(stylesheet)
    if not path:
        raise FileNotFoundError(stylesheet)
    document = HTML(string=html, url_fetcher=_refusing_fetcher())
    return bytes(document.write_pdf(stylesheets=[CSS(filename=path)]))
