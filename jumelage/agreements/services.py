"""Writes of the agreements app: council decisions and the legal steps of an agreement.

The legal conditions are rules registered on the models, so that every write path (these
services, the admin forms, the API, imports) checks them. The step services (approve, sign,
transmit, terminate, renew) add the conditions of the step itself, then write through
tenancy.services.save_owned, which checks the user's role, writes atomically and logs the change.

A step works on the record as stored (locked for the transaction), not on the caller's copy,
and refuses with ConcurrentEditError if the record changed since the caller read it. On
success the caller's instance is refreshed; on refusal nothing is written.
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.agreements.selectors import SIGNED_STATUSES
from jumelage.partners.models import Authority
from jumelage.tenancy.services import check_can_write, register_rule, save_owned

M = TypeVar("M", bound=models.Model)

ENDED_STATUSES = (Agreement.Status.EXPIRED, Agreement.Status.TERMINATED)


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


# --- Rules on council decisions ---------------------------------------------------------------


@register_rule(CouncilDecision)
def decision_is_transmitted_after_its_sitting(decision: CouncilDecision) -> None:
    # CGCT L2131-1 (L3131-1, L4141-1): the decision is sent to the prefect after it is voted.
    if decision.transmitted_on and decision.date and decision.transmitted_on < decision.date:
        raise ValidationError(
            {
                "transmitted_on": _(
                    "The decision is recorded as transmitted to the prefect before the sitting "
                    "that voted it. Check the two dates."
                )
            }
        )


@register_rule(CouncilDecision)
def decision_is_enforceable_once_transmitted(decision: CouncilDecision) -> None:
    # CGCT L2131-1 (L3131-1, L4141-1): a decision becomes enforceable only once transmitted to
    # the prefect (and published or notified), never before.
    if decision.enforceable_on is None:
        return
    if decision.transmitted_on is None:
        raise ValidationError(
            {
                "enforceable_on": _(
                    "A decision becomes enforceable only once transmitted to the prefect. "
                    "Give the date of transmission first."
                )
            }
        )
    if decision.enforceable_on < decision.transmitted_on:
        raise ValidationError(
            {
                "enforceable_on": _(
                    "The decision cannot be enforceable before it was transmitted to the "
                    "prefect. Give a date on or after the transmission."
                )
            }
        )


# --- Rules on agreements ----------------------------------------------------------------------


@register_rule(Agreement)
def signature_follows_an_enforceable_council_decision(agreement: Agreement) -> None:
    # Every act is approved first by a council decision, which must itself be enforceable
    # before the mayor signs. CGCT L2131-1: a decision is enforceable ("exécutoire de plein
    # droit") once published and transmitted to the prefect; a contract signed before its
    # authorising decision was transmitted is illegal (CE, avis, 10 June 1996, Préfet de la
    # Côte-d'Or, n° 176873), though the judge no longer voids it automatically (CE, Assemblée,
    # 28 December 2009, Commune de Béziers, n° 304802). The decision is enforceable from the day
    # recorded, so a signature that day is accepted; the dates cannot show the hour, hence the
    # guide's advice to keep the prefect's receipt (docs/legal-notes.md). The special mandate
    # of a visit follows the same reading (visits.selectors.travel_paper_problems).
    marked_signed = agreement.signed_on is not None or agreement.status in SIGNED_STATUSES
    if not marked_signed:
        return
    if agreement.signed_on is None:
        raise ValidationError(
            {
                "signed_on": _(
                    "Give the date the agreement was signed before marking it signed or in force."
                )
            }
        )
    if agreement.council_decision_id is None:
        raise ValidationError(
            {
                "council_decision": _(
                    "Link the council decision that approved this agreement: an act can be "
                    "signed only after the council approved it and its decision became "
                    "enforceable."
                )
            }
        )
    decision = CouncilDecision._base_manager.get(pk=agreement.council_decision_id)
    if decision.enforceable_on is None:
        raise ValidationError(
            {
                "council_decision": _(
                    "The council decision %(number)s is not enforceable yet. Record the date it "
                    "became enforceable (after transmission to the prefect) before recording "
                    "the signature."
                )
                % {"number": decision.number}
            }
        )
    if decision.enforceable_on > agreement.signed_on:
        raise ValidationError(
            {
                "signed_on": _(
                    "The agreement cannot be signed on %(signed)s: its council decision "
                    "%(number)s became enforceable only on %(enforceable)s (CGCT L2131-1: once "
                    "transmitted to the prefect and published), and the act is signed once the "
                    "decision is enforceable. Check the dates, or sign the act again from that "
                    "day."
                )
                % {
                    "signed": _date(agreement.signed_on),
                    "number": decision.number,
                    "enforceable": _date(decision.enforceable_on),
                }
            }
        )


@register_rule(Agreement)
def approval_names_its_council_decision(agreement: Agreement) -> None:
    # Every act is approved first by a council decision (CGCT L2121-29: the council settles
    # the affairs of the commune by its decisions): "approved" means a decision is linked.
    # Signed statuses are checked above.
    if agreement.status == Agreement.Status.APPROVED and agreement.council_decision_id is None:
        raise ValidationError(
            {
                "council_decision": _(
                    "Link the council decision that approves this agreement before marking it "
                    "approved."
                )
            }
        )


@register_rule(Agreement)
def convention_states_its_object_and_forecast_commitments(agreement: Agreement) -> None:
    # CGCT L1115-1, al. 2 (loi n° 2007-147 du 2 février 2007): a convention states the object of
    # the planned actions and the forecast amount of the financial commitments.
    if agreement.kind not in Agreement.CONVENTION_KINDS:
        return
    errors: dict[str, str] = {}
    if not (agreement.object or "").strip():
        errors["object"] = _(
            "A convention must state the object of the planned actions (CGCT L1115-1). "
            "Describe what the partners will do."
        )
    if agreement.forecast_commitment is None:
        errors["forecast_commitment"] = _(
            "A convention must state the forecast amount of the financial commitments (CGCT "
            "L1115-1). Give the amount, or 0 if there is none."
        )
    elif agreement.forecast_commitment < 0:
        errors["forecast_commitment"] = _(
            "The forecast financial commitments cannot be negative. Give an amount of 0 or more."
        )
    if errors:
        raise ValidationError(errors)


@register_rule(Agreement)
def no_act_with_a_foreign_state_or_an_unrecognised_entity(agreement: Agreement) -> None:
    # Conseil d'État, 13 May 2024, n° 474652: no act of any form with an entity France does not
    # recognise, without exception. CGCT L1115-5 (loi n° 2016-1657 of 5 December 2016): no
    # convention with a foreign State, except in the cases the article lists (Agreement.
    # StateCase), the prefect authorising the signature beforehand, or in another case a law
    # provides. Recording the end of an act is allowed: it is how an authority complies.
    if agreement.partnership_id is None or agreement.status in ENDED_STATUSES:
        return
    partner = (
        Authority.objects.filter(partnerships__pk=agreement.partnership_id)
        .only("name", "kind", "is_recognised_by_france")
        .first()
    )
    if partner is None:
        return  # a missing partnership is reported by the field's own validation
    if not partner.is_recognised_by_france:
        raise ValidationError(
            {
                "partnership": _(
                    "France does not recognise %(name)s, so no act can be made with it "
                    "(Conseil d'État, 13 May 2024). Choose another partnership."
                )
                % {"name": partner.name}
            }
        )
    if partner.kind == Authority.Kind.STATE:
        _check_state_case(agreement, partner)
    elif agreement.state_case:
        raise ValidationError(
            {
                "state_case": _(
                    "%(name)s is not a State, so the agreement needs no exception of CGCT "
                    "L1115-5: leave “case allowing an agreement with a foreign State” empty."
                )
                % {"name": partner.name}
            }
        )


def _check_state_case(agreement: Agreement, partner: Authority) -> None:
    """An agreement with a foreign State: one of the cases of L1115-5, with what it needs."""
    case = agreement.state_case
    if not case:
        raise ValidationError(
            {
                "partnership": _(
                    "%(name)s is a State: a local authority may make an agreement with a foreign "
                    "State only in the cases the law provides (CGCT L1115-5): to create a GECT, "
                    "a GEC or a GLCT, or for territorial or regional cooperation in the three "
                    "cases of its second paragraph, the prefect authorising the signature "
                    "beforehand. Choose the case under “case allowing an agreement with a "
                    "foreign State”, or make the agreement with a local authority of that "
                    "country."
                )
                % {"name": partner.name}
            }
        )
    if case == Agreement.StateCase.OTHER_LAW and not agreement.legal_basis.strip():
        raise ValidationError(
            {
                "legal_basis": _(
                    "Give the text of the law that allows this agreement with a foreign State "
                    "(article and code, or law and date)."
                )
            }
        )
    if case not in Agreement.PREFECT_AUTHORISED_CASES:
        return
    signed = agreement.signed_on is not None or agreement.status in SIGNED_STATUSES
    authorised = agreement.prefect_authorised_on
    if signed and authorised is None:
        raise ValidationError(
            {
                "prefect_authorised_on": _(
                    "In this case of CGCT L1115-5 the prefect authorises the signature "
                    "beforehand: give the date of the authorisation before recording the "
                    "signature."
                )
            }
        )
    signed_on = agreement.signed_on
    if authorised is not None and signed_on is not None and authorised > signed_on:
        raise ValidationError(
            {
                "prefect_authorised_on": _(
                    "The prefect's authorisation (%(authorised)s) comes after the signature "
                    "(%(signed)s), but CGCT L1115-5 asks for it beforehand. Check the dates."
                )
                % {"authorised": _date(authorised), "signed": _date(signed_on)}
            }
        )


@register_rule(Agreement)
def agreement_comes_into_force_after_signature_and_transmission(agreement: Agreement) -> None:
    # CGCT L2131-1: the signed act is enforceable once transmitted to the prefect, so the
    # transmission follows the signature and "in force" needs both. (That the period ends
    # after it starts is the model's check constraint, run by full_clean on every write.)
    if agreement.transmitted_on is not None:
        if agreement.signed_on is None:
            raise ValidationError(
                {
                    "transmitted_on": _(
                        "Only a signed act is transmitted to the prefect. Give the signature "
                        "date first."
                    )
                }
            )
        if agreement.transmitted_on < agreement.signed_on:
            raise ValidationError(
                {
                    "transmitted_on": _(
                        "The signed act cannot be transmitted to the prefect before it was "
                        "signed. Give a date on or after the signature."
                    )
                }
            )
    if agreement.status == Agreement.Status.ENFORCEABLE and agreement.transmitted_on is None:
        raise ValidationError(
            {
                "transmitted_on": _(
                    "An agreement is in force only once the signed act is transmitted to the "
                    "prefect. Give the date of transmission."
                )
            }
        )


# Legal facts are recorded once they happened: a signature, a transmission to the prefect or
# an enforceability dated in the future would make the rules above (signature after an
# enforceable decision, in force from transmission) pass on a promise. Checked on every write,
# forms and steps alike.
LEGAL_DATES = {
    CouncilDecision: (
        ("transmitted_on", gettext_noop("The date of transmission")),
        ("enforceable_on", gettext_noop("The date it became enforceable")),
    ),
    Agreement: (
        ("signed_on", gettext_noop("The signature date")),
        ("transmitted_on", gettext_noop("The date of transmission")),
    ),
}


def legal_dates_are_not_in_the_future(record: CouncilDecision | Agreement) -> None:
    today = timezone.localdate()
    errors = {}
    for field, what in LEGAL_DATES[type(record)]:
        value = getattr(record, field)
        if value is not None and value > today:
            errors[field] = _(
                "%(what)s cannot be in the future. Record it once it has happened."
            ) % {"what": _(what)}
    if errors:
        raise ValidationError(errors)


register_rule(CouncilDecision)(legal_dates_are_not_in_the_future)
register_rule(Agreement)(legal_dates_are_not_in_the_future)


@register_rule(Agreement)
def renewal_renews_an_agreement_of_the_same_partnership(agreement: Agreement) -> None:
    # Consistency of the agreement's history (renewed protocols, e.g. 1998 then 2018).
    if agreement.renews_id is None:
        return
    if agreement.pk is not None and agreement.renews_id == agreement.pk:
        raise ValidationError({"renews": _("An agreement cannot renew itself.")})
    renewed = Agreement._base_manager.filter(pk=agreement.renews_id).values("partnership_id")
    if renewed and renewed[0]["partnership_id"] != agreement.partnership_id:
        raise ValidationError(
            {
                "renews": _(
                    "The renewed agreement belongs to another partnership. Choose an agreement "
                    "of the same partnership."
                )
            }
        )


# --- Services: council decisions --------------------------------------------------------------


def _current(instance: M, user: Any) -> M:
    """The stored record, locked for the transaction, once the user may change it."""
    current = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    check_can_write(user, current)
    return current


def _save_step(current: M, *, seen: M, user: Any, verb: str) -> M:
    """Save a step on the locked record, refused if it changed since the caller read `seen`;
    then bring the caller's copy up to date."""
    save_owned(current, user=user, expected_version=seen.version, verb=verb)  # type: ignore[attr-defined]
    seen.refresh_from_db()
    return seen


def council_decision_save(
    *, decision: CouncilDecision, user: Any, expected_version: int | None
) -> CouncilDecision:
    """Record a council decision, or correct it."""
    return save_owned(
        decision,
        user=user,
        expected_version=expected_version,
        verb=gettext_noop("council decision saved"),
    )


@transaction.atomic
def council_decision_mark_transmitted(
    *, decision: CouncilDecision, user: Any, transmitted_on: datetime.date
) -> CouncilDecision:
    """Record the day the decision was transmitted to the prefect."""
    current = _current(decision, user)
    if current.transmitted_on is not None:
        raise ValidationError(
            _(
                "This decision is already recorded as transmitted on %(date)s. To correct the "
                "date, edit the decision."
            )
            % {"date": _date(current.transmitted_on)}
        )
    current.transmitted_on = transmitted_on
    return _save_step(
        current,
        seen=decision,
        user=user,
        verb=gettext_noop("council decision transmitted to the prefect"),
    )


@transaction.atomic
def council_decision_mark_enforceable(
    *, decision: CouncilDecision, user: Any, enforceable_on: datetime.date
) -> CouncilDecision:
    """Record the day the decision became enforceable (after its transmission)."""
    current = _current(decision, user)
    if current.enforceable_on is not None:
        raise ValidationError(
            _(
                "This decision is already recorded as enforceable from %(date)s. To correct the "
                "date, edit the decision."
            )
            % {"date": _date(current.enforceable_on)}
        )
    current.enforceable_on = enforceable_on
    return _save_step(
        current, seen=decision, user=user, verb=gettext_noop("council decision enforceable")
    )


# --- Services: agreements -----------------------------------------------------------------------


# Changed only by the step services below (approve, sign, transmit, terminate): a form that
# could set them would skip the steps' own checks.
STEP_FIELDS = ("status", "council_decision", "signed_on", "transmitted_on")


def agreement_save(*, agreement: Agreement, user: Any, expected_version: int | None) -> Agreement:
    """Create or change an agreement; the legal rules above run on every save.

    A new agreement may be recorded as it stands (an act signed years ago, checked by the
    rules); once recorded, its status and legal dates change only through the steps.
    """
    if agreement.pk is not None:
        stored = Agreement._base_manager.filter(pk=agreement.pk).values(*STEP_FIELDS).first()
        attnames = {field.name: field.attname for field in Agreement._meta.concrete_fields}
        changed = [
            field
            for field in STEP_FIELDS
            if stored is not None and stored[field] != getattr(agreement, attnames[field])
        ]
        if changed:
            raise ValidationError(
                {
                    field: _(
                        "The status and legal dates change through the steps: use the button "
                        "for the next step (approve, sign, transmit, terminate)."
                    )
                    for field in changed
                }
            )
    return save_owned(
        agreement,
        user=user,
        expected_version=expected_version,
        verb=gettext_noop("agreement saved"),
    )


@transaction.atomic
def agreement_record(
    *,
    agreement: Agreement,
    user: Any,
    council_decision: CouncilDecision | None = None,
    signed_on: datetime.date | None = None,
    transmitted_on: datetime.date | None = None,
) -> Agreement:
    """Record a new agreement as it stands: saved as a draft, then taken through the steps its
    dates show (approved by `council_decision`, signed on `signed_on`, transmitted to the
    prefect on `transmitted_on`), each step with its own checks. A refusal at any step writes
    nothing, the draft included: an act signed years ago is recorded whole or not at all."""
    if agreement.pk is not None:
        raise ValueError("agreement_record records a new agreement; use agreement_save.")
    if signed_on is not None and council_decision is None:
        raise ValidationError(
            {
                "council_decision": _(
                    "Choose the council decision that approved this agreement: an act can be "
                    "signed only after the council approved it."
                )
            }
        )
    if transmitted_on is not None and signed_on is None:
        raise ValidationError(
            {
                "transmitted_on": _(
                    "Only a signed act is transmitted to the prefect. Give the signature "
                    "date first."
                )
            }
        )
    agreement.status = Agreement.Status.DRAFT
    agreement.council_decision = None
    agreement.signed_on = None
    agreement.transmitted_on = None
    agreement_save(agreement=agreement, user=user, expected_version=None)
    if council_decision is not None:
        agreement_approve(agreement=agreement, user=user, council_decision=council_decision)
    if signed_on is not None:
        agreement_sign(agreement=agreement, user=user, signed_on=signed_on)
    if transmitted_on is not None:
        agreement_transmit(agreement=agreement, user=user, transmitted_on=transmitted_on)
    return agreement


def _refuse_unless_status(agreement: Agreement, allowed: tuple[str, ...], message: str) -> None:
    if agreement.status not in allowed:
        raise ValidationError(
            message % {"status": agreement.get_status_display()}, code="invalid_step"
        )


@transaction.atomic
def agreement_approve(
    *, agreement: Agreement, user: Any, council_decision: CouncilDecision
) -> Agreement:
    """Link the council decision that approves a draft agreement."""
    current = _current(agreement, user)
    _refuse_unless_status(
        current,
        (Agreement.Status.DRAFT,),
        _(
            "Only a draft agreement can be approved; this one is %(status)s. To link another "
            "decision, edit the agreement."
        ),
    )
    current.council_decision = council_decision
    current.status = Agreement.Status.APPROVED
    return _save_step(current, seen=agreement, user=user, verb=gettext_noop("agreement approved"))


@transaction.atomic
def agreement_sign(
    *, agreement: Agreement, user: Any, signed_on: datetime.date, signatories: str | None = None
) -> Agreement:
    """Record the signature of an approved agreement.

    The approving decision must have become enforceable on or before `signed_on` (rule
    `signature_follows_an_enforceable_council_decision`).
    """
    current = _current(agreement, user)
    _refuse_unless_status(
        current,
        (Agreement.Status.APPROVED,),
        _(
            "Only an agreement approved by the council can be signed; this one is %(status)s. "
            "Have the council approve it first."
        ),
    )
    current.signed_on = signed_on
    if signatories is not None:
        current.signatories = signatories
    current.status = Agreement.Status.SIGNED
    return _save_step(current, seen=agreement, user=user, verb=gettext_noop("agreement signed"))


@transaction.atomic
def agreement_transmit(
    *, agreement: Agreement, user: Any, transmitted_on: datetime.date
) -> Agreement:
    """Record the transmission of the signed act to the prefect: it is in force from then."""
    current = _current(agreement, user)
    _refuse_unless_status(
        current,
        (Agreement.Status.SIGNED,),
        _(
            "Only a signed agreement can be transmitted to the prefect; this one is %(status)s. "
            "Record its signature first."
        ),
    )
    current.transmitted_on = transmitted_on
    current.status = Agreement.Status.ENFORCEABLE
    return _save_step(
        current,
        seen=agreement,
        user=user,
        verb=gettext_noop("agreement transmitted to the prefect"),
    )


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, user: Any, ended_on: datetime.date) -> Agreement:
    """End a signed agreement before its term, on `ended_on`."""
    current = _current(agreement, user)
    _refuse_unless_status(
        current,
        SIGNED_STATUSES,
        _(
            "Only a signed agreement or one in force can be terminated; this one is "
            "%(status)s. A draft can simply be deleted."
        ),
    )
    if current.signed_on is not None and ended_on < current.signed_on:
        raise ValidationError(
            {
                "ends_on": _(
                    "An agreement cannot end before it was signed (%(signed)s). Give a later date."
                )
                % {"signed": _date(current.signed_on)}
            }
        )
    if current.ends_on is not None and ended_on > current.ends_on:
        raise ValidationError(
            {
                "ends_on": _(
                    "This agreement already ends on %(ends)s; it cannot be terminated later "
                    "than that. Give an earlier date, or let it expire."
                )
                % {"ends": _date(current.ends_on)}
            }
        )
    current.ends_on = ended_on
    current.status = Agreement.Status.TERMINATED
    return _save_step(current, seen=agreement, user=user, verb=gettext_noop("agreement terminated"))


@transaction.atomic
def agreement_renew(
    *,
    agreement: Agreement,
    user: Any,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Agreement:
    """Draft the renewal of a signed agreement: a new agreement that `renews` it.

    The draft copies the kind, title, object, commitments and signatories; it then goes through
    its own approval, signature and transmission.
    """
    current = _current(agreement, user)
    _refuse_unless_status(
        current,
        (*SIGNED_STATUSES, Agreement.Status.EXPIRED),
        _(
            "Only an agreement that was signed can be renewed; this one is %(status)s. "
            "Edit the draft instead."
        ),
    )
    existing = current.renewals.first()
    if existing is not None:
        raise ValidationError(
            _("This agreement was already renewed by “%(renewal)s”. Renew that one instead.")
            % {"renewal": str(existing)}
        )
    renewal = Agreement(
        authority_id=current.authority_id,
        partnership_id=current.partnership_id,
        kind=current.kind,
        title=dict(current.title or {}),
        object=current.object,
        forecast_commitment=current.forecast_commitment,
        currency=current.currency,
        signatories=current.signatories,
        starts_on=starts_on,
        ends_on=ends_on,
        renews=current,
        is_example=current.is_example,
    )
    return save_owned(
        renewal, user=user, expected_version=None, verb=gettext_noop("agreement renewed")
    )
