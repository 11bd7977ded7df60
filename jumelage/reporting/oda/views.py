"""Back-office pages of the ODA declaration: the declaration of a year with its drill-down, and
its files. Staff members of the authority only; anybody else gets a 404."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jumelage.core.selectors import OdaListMissing
from jumelage.partners.models import MemberAuthority
from jumelage.reporting.oda import export
from jumelage.reporting.oda.selectors import (
    NO_COUNTRY,
    OdaDeclaration,
    OdaItem,
    oda_declaration,
    oda_years,
)
from jumelage.reporting.oda.window import declaration_window

# Years a URL may name; outside, the page does not exist (and no date is built from it).
FIRST_YEAR, LAST_YEAR = 1990, 2100
NO_COUNTRY_PARAMETER = "none"


def _member(request: HttpRequest, slug: str) -> MemberAuthority:
    return get_object_or_404(MemberAuthority.objects.for_user(request.user), slug=slug)


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404(_("There is no ODA declaration for this year."))


@staff_member_required
@require_GET
def declaration_current(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    """The declaration of the year to declare in the current or next window."""
    member = _member(request, slug)
    year = declaration_window().year
    return HttpResponseRedirect(reverse("reporting:oda_declaration", args=[member.slug, year]))


def _drill_down(
    request: HttpRequest, declaration: OdaDeclaration
) -> tuple[list[OdaItem], str, str]:
    """The counted transactions the page lists, narrowed by ?category= or ?country=, with the
    label of the narrowing and the kind of it ("category", "country" or "")."""
    items = declaration.counted
    category = request.GET.get("category", "")
    if category:
        for total in declaration.by_category:
            if total.key == category:
                chosen = [item for item in items if str(item.category) == category]
                return chosen, total.label, "category"
    country = request.GET.get("country", "")
    if country:
        code = NO_COUNTRY if country == NO_COUNTRY_PARAMETER else country.upper()
        for total in declaration.by_country:
            if total.key == code:
                chosen = [item for item in items if item.declared_country == code]
                return chosen, total.label, "country"
    return items, "", ""


@staff_member_required
@require_GET
def declaration_page(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """A year's declaration: totals by category and country, drill-down, left out, to fix."""
    member = _member(request, slug)
    _check_year(year)
    years = oda_years()
    context = {
        **admin.site.each_context(request),
        "title": _("ODA declaration of %(authority)s for %(year)s")
        % {"authority": member, "year": year},
        "member": member,
        "year": year,
        "years": years,
        "window": declaration_window(),
        "no_country_parameter": NO_COUNTRY_PARAMETER,
    }
    try:
        declaration = oda_declaration(member, year)
    except OdaListMissing as error:
        context["error"] = " ".join(error.messages)
        return render(request, "reporting/oda/declaration.html", context)
    items, narrowed_to, narrowed_by = _drill_down(request, declaration)
    context.update(
        declaration=declaration,
        items=items,
        narrowed_to=narrowed_to,
        narrowed_by=narrowed_by,
        crs_tables=[
            (_("CRS purpose code"), declaration.by_sector),
            (_("CRS channel"), declaration.by_channel),
            (_("Flow type"), declaration.by_flow_type),
            (_("Finance type"), declaration.by_finance_type),
            (_("Aid type"), declaration.by_aid_type),
        ],
        to_fix_count=len({warning.item.pk for warning in declaration.to_fix}),
        xlsx_url=reverse("reporting:oda_declaration_file", args=[member.slug, year, "xlsx"]),
        csv_url=reverse("reporting:oda_declaration_file", args=[member.slug, year, "csv"]),
    )
    return render(request, "reporting/oda/declaration.html", context)


@staff_member_required
@require_GET
def declaration_file(request: HttpRequest, slug: str, year: int, extension: str) -> HttpResponse:
    """The declaration as XLSX or CSV, the same files as `manage.py oda_declaration` writes."""
    member = _member(request, slug)
    _check_year(year)
    if extension not in export.FORMATS:
        raise Http404(_("The declaration is offered as XLSX or CSV only."))
    try:
        declaration = oda_declaration(member, year)
    except OdaListMissing as error:
        raise Http404(" ".join(error.messages)) from None
    if extension == export.XLSX:
        content = export.xlsx_bytes(declaration)
    else:
        content = export.csv_bytes(declaration)
    response = HttpResponse(content, content_type=export.CONTENT_TYPES[extension])
    name = export.file_name(declaration, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
