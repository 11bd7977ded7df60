"""Back-office pages of the ODA declaration: the declaration of a year with its drill-down, its
files, and the two corrections it offers in one click (split a payment by the project's country
shares; record a project's ODA purpose), which write through the projects' services. Staff
members of the authority only; anybody else gets a 404.

The national view (every member authority's counted ODA of a year, with its files) is for the
readers `tenancy.access.may_read_national_reports` names; anybody else gets a 404 too."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jumelage.core.selectors import OdaListMissing
from jumelage.partners.models import MemberAuthority
from jumelage.projects.models import Project, Transaction
from jumelage.projects.services import (
    project_set_oda_purpose,
    transaction_split_by_country_shares,
)
from jumelage.reporting.oda import export
from jumelage.reporting.oda.selectors import (
    ACTION_PURPOSE,
    NO_COUNTRY,
    OdaDeclaration,
    OdaItem,
    national_declaration,
    oda_declaration,
    oda_years,
)
from jumelage.reporting.oda.window import declaration_window
from jumelage.tenancy.access import may_read_national_reports

# Years a URL may name; outside, the page does not exist (and no date is built from it).
FIRST_YEAR, LAST_YEAR = 1990, 2100
NO_COUNTRY_PARAMETER = "none"
# Authorities listed on one page of the national view (a national instance has about 5 000).
NATIONAL_PAGE_SIZE = 50


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
    context = {
        **admin.site.each_context(request),
        "title": _("ODA declaration of %(authority)s for %(year)s")
        % {"authority": member, "year": year},
        "member": member,
        "year": year,
        "year_links": [
            (other, reverse("reporting:oda_declaration", args=[member.slug, other]))
            for other in oda_years()
        ],
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
        purpose_count=len({w.item.pk for w in declaration.to_fix if w.action == ACTION_PURPOSE}),
        purposes=Project.OdaPurpose,
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


def _back_to(member: MemberAuthority, year: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse("reporting:oda_declaration", args=[member.slug, year]) + "#to-fix"
    )


def _version(request: HttpRequest) -> int | None:
    """The version of the record the page showed; None (refused as stale) when missing."""
    version = request.POST.get("version", "")
    return int(version) if version.isdigit() and len(version) < 10 else None


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@staff_member_required
@require_POST
def split_transaction(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    """Split a payment without a country by its project's country shares (projects.services)."""
    member = _member(request, slug)
    _check_year(year)
    tx = get_object_or_404(
        Transaction.objects.for_user(request.user).filter(authority=member), pk=pk
    )
    try:
        parts = transaction_split_by_country_shares(
            tx=tx, user=request.user, expected_version=_version(request)
        )
    except PermissionDenied:
        messages.error(request, _("You may read this declaration but not change transactions."))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("The payment is now split into %(count)s transactions, one per country.")
            % {"count": len(parts)},
        )
    return _back_to(member, year)


@staff_member_required
@require_POST
def set_project_purpose(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    """Record a project's ODA purpose, as the officer confirms it (projects.services)."""
    member = _member(request, slug)
    _check_year(year)
    project = get_object_or_404(
        Project.objects.for_user(request.user).filter(authority=member), pk=pk
    )
    try:
        project_set_oda_purpose(
            project=project,
            purpose=request.POST.get("purpose", ""),
            user=request.user,
            expected_version=_version(request),
        )
    except PermissionDenied:
        messages.error(request, _("You may read this declaration but not change projects."))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("The purpose of “%(project)s” is recorded: %(purpose)s.")
            % {"project": project, "purpose": project.get_oda_purpose_display()},
        )
    return _back_to(member, year)


# --- The national view: every member authority at once --------------------------------------


def _national_reader(request: HttpRequest) -> None:
    if not may_read_national_reports(request.user):
        raise Http404(
            _(
                "Only the instance's administrators and the readers of national reports see "
                "every authority's ODA. Ask an administrator of the instance."
            )
        )


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise Http404(_("There is no such page."))
    return int(raw)


@staff_member_required
@require_GET
def national_current(request: HttpRequest) -> HttpResponseRedirect:
    """The national view of the year to declare in the current or next window."""
    _national_reader(request)
    return HttpResponseRedirect(reverse("reporting:oda_national", args=[declaration_window().year]))


@staff_member_required
@require_GET
def national_page(request: HttpRequest, year: int) -> HttpResponse:
    """Every member authority's counted ODA of a year: by category, by country, and by
    authority a page at a time, from the one aggregation the command reads too."""
    _national_reader(request)
    _check_year(year)
    number = _page_number(request)
    years = oda_years()
    context = {
        **admin.site.each_context(request),
        "title": _("ODA of every member authority for %(year)s") % {"year": year},
        "year": year,
        "year_links": [(other, reverse("reporting:oda_national", args=[other])) for other in years],
        "window": declaration_window(),
    }
    if year not in years:
        # Without the DAC list of the year nothing can count: say so rather than show zeros.
        context["error"] = " ".join(OdaListMissing(year).messages)
        return render(request, "reporting/oda/national.html", context)
    national = national_declaration(year)
    try:
        page = Paginator(national.by_authority, NATIONAL_PAGE_SIZE).page(number)
    except EmptyPage as error:
        raise Http404(_("There is no such page.")) from error
    context.update(
        national=national,
        page=page,
        xlsx_url=reverse("reporting:oda_national_file", args=[year, export.XLSX]),
        csv_url=reverse("reporting:oda_national_file", args=[year, export.CSV]),
    )
    return render(request, "reporting/oda/national.html", context)


@staff_member_required
@require_GET
def national_file(request: HttpRequest, year: int, extension: str) -> HttpResponse:
    """The national view as XLSX (categories, countries, authorities) or CSV (authorities),
    the CSV being the one `manage.py oda_national` writes."""
    _national_reader(request)
    _check_year(year)
    if extension not in export.FORMATS:
        raise Http404(_("The declaration is offered as XLSX or CSV only."))
    if year not in oda_years():
        raise Http404(" ".join(OdaListMissing(year).messages))
    national = national_declaration(year)
    if extension == export.XLSX:
        content = export.national_xlsx_bytes(national)
    else:
        content = export.national_csv_bytes(national)
    response = HttpResponse(content, content_type=export.CONTENT_TYPES[extension])
    name = export.national_file_name(national, extension)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
