"""The old back-office addresses of the "1 %" laws page. The budgets and their ceilings are
read and written in the workspace now (`workspace:service_budgets`): these addresses, kept for
bookmarks and links, send there. Members of the authority only; anybody else gets a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jumelage.partners.models import MemberAuthority

# Years a URL may name; outside, the page does not exist.
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _member(request: HttpRequest, slug: str) -> MemberAuthority:
    return get_object_or_404(MemberAuthority.objects.for_user(request.user), slug=slug)


@login_required
@require_GET
def ceilings_current(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    """The workspace's page of the current year."""
    member = _member(request, slug)
    year = timezone.localdate().year
    # By name: reporting never imports the workspace (docs/architecture.md, Layers).
    return HttpResponseRedirect(reverse("workspace:service_budgets", args=[member.slug, year]))


@login_required
@require_GET
def ceilings_page(request: HttpRequest, slug: str, year: int) -> HttpResponseRedirect:
    """The workspace's page of that year."""
    member = _member(request, slug)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404(_("There are no service budgets for this year."))
    return HttpResponseRedirect(reverse("workspace:service_budgets", args=[member.slug, year]))
