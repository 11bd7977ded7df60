"""The reports area: the list of reports, and the annual report for the council on screen and
as a PDF file (printed by WeasyPrint within the request)."""

from __future__ import annotations

import logging
import time

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jumelage.core.pdf import html_to_pdf
from jumelage.workspace import navigation
from jumelage.workspace.pages.reports import FIRST_YEAR, annual_report, reports_page
from jumelage.workspace.selectors import Seat, seat
from jumelage.workspace.views.frame import render_page

logger = logging.getLogger(__name__)

PRINT_STYLESHEET = "workspace/css/report-print.css"


@login_required
@require_GET
def reports(request: HttpRequest, slug: str) -> HttpResponse:
    """The annual report by year, then the declarations and files."""
    place = seat(request.user, slug)
    return render_page(
        request,
        "workspace/reports/index.html",
        place,
        nav=navigation.REPORTS,
        title=_("Reports"),
        context={"reports": reports_page(place)},
    )


def _check_year(year: int) -> None:
    """A year the report can tell: from FIRST_YEAR to the current one (a later year has no
    money yet: 404, as an address that does not exist)."""
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404


def _title(year: int) -> str:
    return _("Annual report %(year)s") % {"year": year}


@login_required
@require_GET
def annual(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The annual report for the council, on screen: every member may read it."""
    place = seat(request.user, slug)
    _check_year(year)
    report = annual_report(place, year)
    return render_page(
        request,
        "workspace/reports/annual.html",
        place,
        nav=navigation.REPORTS,
        title=_title(year),
        context={"report": report},
    )


def _pdf(request: HttpRequest, place: Seat, year: int) -> bytes:
    report = annual_report(place, year)
    html = render_to_string(
        "workspace/reports/annual_pdf.html",
        {
            "report": report,
            "member": place.member,
            "authority": place.member.authority,
            "page_title": _title(year),
        },
        request=request,
    )
    return html_to_pdf(html, stylesheet=PRINT_STYLESHEET)


@login_required
@require_GET
def annual_pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The same report as a PDF file, A4, to attach to the council's papers."""
    place = seat(request.user, slug)
    _check_year(year)
    started = time.monotonic()
    content = _pdf(request, place, year)
    logger.info("Annual report %s of %s printed in %.2f s", year, slug, time.monotonic() - started)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{slugify(_title(year))}-{place.member.slug}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
