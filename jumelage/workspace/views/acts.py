"""The acts of a partnership in the workspace: a council decision recorded or corrected, an
agreement recorded as it stands or its content corrected. The agreements app's services check
the law, the user's role and the version shown, write and log; a refusal comes back on the form
and writes nothing. An act's status changes only by the step button of the partnership page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.agreements.services import agreement_record, agreement_save, council_decision_save
from jumelage.agreements.steps import next_legal_step
from jumelage.partners.models import Partnership
from jumelage.workspace import navigation
from jumelage.workspace.forms.acts import AgreementForm, CouncilDecisionForm, add_refusal
from jumelage.workspace.pages.acts import (
    authority_decisions,
    may_write_acts,
    readable_agreement,
    readable_decision,
)
from jumelage.workspace.pages.partnerships import readable_partnership
from jumelage.workspace.selectors import Seat, seat
from jumelage.workspace.views.frame import render_page


def _writer(request: HttpRequest, slug: str, pk: int) -> tuple[Seat, Partnership]:
    """The seat and the partnership (a 404 for another authority's), once the user may write
    the authority's acts (a 403 for a viewer or a contributor)."""
    place = seat(request.user, slug)
    partnership = readable_partnership(place, pk)
    if not may_write_acts(place):
        raise PermissionDenied(
            _("Your role lets you read this partnership's acts, not change them.")
        )
    return place, partnership


def _page(place: Seat, partnership: Partnership, anchor: str) -> str:
    return reverse("workspace:partnership", args=[place.member.slug, partnership.pk]) + anchor


def _version(form: CouncilDecisionForm | AgreementForm) -> int | None:
    return form.cleaned_data.get("version") if form.instance is not None else None


# --- Council decisions ---------------------------------------------------------------------------


def _decision_page(
    request: HttpRequest,
    place: Seat,
    partnership: Partnership,
    form: CouncilDecisionForm,
    decision: CouncilDecision | None,
) -> HttpResponse:
    title = _("Correct the council decision") if decision else _("Record a council decision")
    return render_page(
        request,
        "workspace/acts/decision_form.html",
        place,
        nav=navigation.PARTNERSHIPS,
        title=title,
        context={"form": form, "partnership": partnership, "decision": decision},
        status=400 if form.is_bound and form.errors else 200,
    )


def _save_decision(request: HttpRequest, form: CouncilDecisionForm) -> CouncilDecision | None:
    try:
        return council_decision_save(
            decision=form.build(), user=request.user, expected_version=_version(form)
        )
    except ValidationError as error:
        add_refusal(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Record a council decision from a partnership's page; its acts' approval step then
    offers it."""
    place, partnership = _writer(request, slug, pk)
    form = CouncilDecisionForm(request.POST or None, member=place.member)
    if request.method == "POST" and form.is_valid():
        saved = _save_decision(request, form)
        if saved is not None:
            messages.success(
                request,
                _(
                    "Council decision %(number)s is recorded. A draft act it approves is linked "
                    "to it by the button “Record the council's approval”."
                )
                % {"number": saved.number},
            )
            return redirect(_page(place, partnership, "#steps-title"))
    return _decision_page(request, place, partnership, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, slug: str, pk: int, decision_pk: int) -> HttpResponse:
    """Correct a council decision, or record when it was transmitted to the prefect and became
    enforceable; a page opened before a colleague's change is refused."""
    place, partnership = _writer(request, slug, pk)
    decision = readable_decision(place, decision_pk)
    form = CouncilDecisionForm(request.POST or None, member=place.member, instance=decision)
    if request.method == "POST" and form.is_valid():
        saved = _save_decision(request, form)
        if saved is not None:
            messages.success(
                request,
                _("Council decision %(number)s is saved.") % {"number": saved.number},
            )
            return redirect(_page(place, partnership, "#agreements-title"))
        decision = readable_decision(place, decision_pk)  # as stored, for the page's title
    return _decision_page(request, place, partnership, form, decision)


# --- Agreements ----------------------------------------------------------------------------------


def _agreement_page(
    request: HttpRequest,
    place: Seat,
    partnership: Partnership,
    form: AgreementForm,
    agreement: Agreement | None,
) -> HttpResponse:
    title = _("Correct the agreement") if agreement else _("Record an agreement")
    step = next_legal_step(agreement) if agreement is not None else None
    return render_page(
        request,
        "workspace/acts/agreement_form.html",
        place,
        nav=navigation.PARTNERSHIPS,
        title=title,
        context={
            "form": form,
            "partnership": partnership,
            "agreement": agreement,
            "step": step,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Record an act of the partnership as it stands: a draft, or an act the council already
    approved, signed or sent to the prefect (each taken as its step, all or nothing)."""
    place, partnership = _writer(request, slug, pk)
    form = AgreementForm(
        request.POST or None, partnership=partnership, decisions=authority_decisions(place)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = agreement_record(
                agreement=form.build(),
                user=request.user,
                council_decision=data.get("council_decision"),
                signed_on=data.get("signed_on"),
                transmitted_on=data.get("transmitted_on"),
            )
        except ValidationError as error:
            add_refusal(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("“%(agreement)s” is recorded.") % {"agreement": saved})
            return redirect(_page(place, partnership, f"#agreement-{saved.pk}"))
    return _agreement_page(request, place, partnership, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, slug: str, pk: int, agreement_pk: int) -> HttpResponse:
    """Correct an act's content (title, object, amounts, signatories, period, publishing);
    its status and legal dates change by the step button."""
    place, partnership = _writer(request, slug, pk)
    agreement = readable_agreement(place, partnership, agreement_pk)
    form = AgreementForm(request.POST or None, partnership=partnership, instance=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            saved = agreement_save(
                agreement=form.build(), user=request.user, expected_version=_version(form)
            )
        except ValidationError as error:
            add_refusal(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("“%(agreement)s” is saved.") % {"agreement": saved})
            return redirect(_page(place, partnership, f"#agreement-{saved.pk}"))
        agreement = readable_agreement(place, partnership, agreement_pk)
    return _agreement_page(request, place, partnership, form, agreement)
