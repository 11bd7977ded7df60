"""Back-office page of the "1 %" laws: for a year, each water, sanitation, energy, waste or
mobility budget of the authority with its resources, its ceiling (1 %), what is committed, paid
and used, and the transactions taken on it. Read only: budgets are entered in the back office
(Service budgets), transactions name the budget they are taken on. Staff members of the
authority only; anybody else gets a 404."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jumelage.partners.models import MemberAuthority
from jumelage.projects.service_budgets import service_budget_years, service_budgets_of_year

# Years a URL may name; outside, the page does not exist.
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _member(request: HttpRequest, slug: str) -> MemberAuthority:
    return get_object_or_404(MemberAuthority.objects.for_user(request.user), slug=slug)


def _admin_url(name: str, *args: object) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@staff_member_required
@require_GET
def ceilings_current(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    """The ceilings of the current year."""
    member = _member(request, slug)
    year = timezone.localdate().year
    return HttpResponseRedirect(reverse("reporting:budget_ceilings", args=[member.slug, year]))


@staff_member_required
@require_GET
def ceilings_page(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    member = _member(request, slug)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404(_("There are no service budgets for this year."))
    uses = service_budgets_of_year(member.pk, year)
    years = service_budget_years(member.pk)
    context = {
        **admin.site.each_context(request),
        "title": _("The 1 %% laws: service budgets of %(authority)s for %(year)s")
        % {"authority": member, "year": year},
        "member": member,
        "year": year,
        "years": sorted({*years, year}, reverse=True),
        "uses": uses,
        "add_url": _admin_url("admin:projects_servicebudget_add"),
        "list_url": _admin_url("admin:projects_servicebudget_changelist"),
    }
    return render(request, "reporting/budgets/ceilings.html", context)
