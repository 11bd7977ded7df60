"""The authority's partnerships: the list, one partnership's page, and the next legal step of
one of its acts (a form posted to the agreements app's step service)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jumelage.agreements.models import Agreement
from jumelage.agreements.steps import next_legal_step, take_step
from jumelage.tenancy.access import may_write
from jumelage.tenancy.services import concurrent_edit_error
from jumelage.workspace import navigation
from jumelage.workspace.forms.calendar import link_errors
from jumelage.workspace.forms.partnerships import step_form
from jumelage.workspace.pages.partnerships import (
    PARTNERSHIPS_PER_PAGE,
    partnership_page,
    partnership_rows,
    readable_partnership,
)
from jumelage.workspace.selectors import seat
from jumelage.workspace.views.frame import render_page


@login_required
@require_GET
def partnerships(request: HttpRequest, slug: str) -> HttpResponse:
    """The authority's partnerships, with their kind, status, first signature and projects."""
    place = seat(request.user, slug)
    paginator = Paginator(partnership_rows(place), PARTNERSHIPS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render_page(
        request,
        "workspace/partnerships/list.html",
        place,
        nav=navigation.PARTNERSHIPS,
        title=_("Partnerships"),
        context={"page": page, "partnerships": page.object_list},
    )


@login_required
@require_GET
def partnership(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One partnership: timeline, key figures, Atlas sheet, the next legal steps."""
    place = seat(request.user, slug)
    page = partnership_page(place, pk, today=timezone.localdate())
    return render_page(
        request,
        "workspace/partnerships/page.html",
        place,
        nav=navigation.PARTNERSHIPS,
        title=str(page.partnership),
        context={"page": page, "partnership": page.partnership},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_step(request: HttpRequest, slug: str, pk: int, agreement_pk: int) -> HttpResponse:
    """The next legal step of one act of the partnership: its form, then the step service
    (which checks the law, the user's role and the version shown, and writes)."""
    place = seat(request.user, slug)
    partnership = readable_partnership(place, pk)
    agreements = Agreement.objects.for_user(place.user).of_authority(place.member.pk)
    agreement = get_object_or_404(
        agreements.select_related("council_decision", "partnership__partner"),
        pk=agreement_pk,
        partnership_id=partnership.pk,
    )
    if not may_write(place.user, place.member.pk, Agreement.write_roles):
        raise PermissionDenied(_("Your role lets you read this partnership, not change it."))
    back = redirect("workspace:partnership", slug=place.member.slug, pk=partnership.pk)
    step = next_legal_step(agreement)
    if step is None:
        messages.info(
            request, _("“%(agreement)s” has no legal step left.") % {"agreement": agreement}
        )
        return back
    if request.method == "POST":
        if request.POST.get("step") != step.name:
            # Someone took a step meanwhile: the form shown was for another one.
            messages.error(request, concurrent_edit_error().messages[0])
            return back
        form = step_form(step, agreement, request.POST)
        if take_step(form, place.user) is not None:
            messages.success(
                request,
                _("Done: %(step)s for “%(agreement)s”.")
                % {"step": str(step.label).lower(), "agreement": agreement},
            )
            return back
        link_errors(form)
    else:
        form = step_form(step, agreement)
    return render_page(
        request,
        "workspace/partnerships/step.html",
        place,
        nav=navigation.PARTNERSHIPS,
        title=str(step.label),
        context={"partnership": partnership, "agreement": agreement, "step": step, "form": form},
    )
