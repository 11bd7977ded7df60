"""Writes of a project's applications to funders: the application itself, the funder's
decision (a step: the form never edits the decision), its instalments with the day each is
received, and the reports due with the day each is sent.

Every write goes through `tenancy.services.save_owned` with the version the page showed: an
application counts its own versions; its instalments and reports due are rows it covers, so a
row written from a stale page is refused like the application itself.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jumelage.projects.models import Application, Call, Instalment, Project, ReportDue
from jumelage.tenancy.services import lock_current, one_edit, save_owned

# The decisions a funder gives; "being written" and "submitted" come before any decision.
DECIDED = (
    Application.Decision.GRANTED,
    Application.Decision.PARTLY_GRANTED,
    Application.Decision.REFUSED,
    Application.Decision.WITHDRAWN,
)
GRANTED = (Application.Decision.GRANTED, Application.Decision.PARTLY_GRANTED)


def _not_in_the_future(day: datetime.date | None, field: str, message: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: message}, code="future")


def application_add(
    *,
    project: Project,
    call: Call,
    amount_requested: Decimal,
    currency: str,
    submitted_on: datetime.date | None,
    notes: str = "",
    user: Any,
) -> Application:
    """A project's application to a call: submitted when it has a day of submission, else
    being written."""
    _not_in_the_future(
        submitted_on,
        "submitted_on",
        _("The day of submission cannot be in the future; leave it empty until it is sent."),
    )
    application = Application(
        project=project,
        call=call,
        amount_requested=amount_requested,
        currency=currency or project.currency or "EUR",
        submitted_on=submitted_on,
        decision=Application.Decision.SUBMITTED if submitted_on else Application.Decision.DRAFT,
        notes=(notes or "").strip(),
    )
    return save_owned(
        application,
        user=user,
        expected_version=None,
        verb=gettext_noop("application to a funder added"),
    )


def application_decide(
    *,
    application: Application,
    decision: str,
    decided_on: datetime.date | None,
    amount_granted: Decimal | None,
    user: Any,
    expected_version: int | None,
) -> Application:
    """Record the funder's decision: granted (in full or partly) with the amount and the day,
    refused or withdrawn with the day; or set the application back to submitted."""
    if decision not in (*DECIDED, Application.Decision.SUBMITTED):
        raise ValidationError(
            {"decision": _("Choose granted, partly granted, refused, withdrawn or submitted.")},
            code="invalid",
        )
    errors: dict[str, str] = {}
    if decision in DECIDED and decided_on is None:
        errors["decided_on"] = _("Give the day of the decision, e.g. 12/05/2025.")
    if decision in GRANTED and amount_granted is None:
        errors["amount_granted"] = _("Give the amount granted, e.g. 30 000 €.")
    if decision not in GRANTED and amount_granted is not None:
        errors["amount_granted"] = _(
            "Only a grant has an amount granted: leave the amount empty for this decision."
        )
    if errors:
        raise ValidationError(errors, code="incomplete")
    _not_in_the_future(
        decided_on, "decided_on", _("The day of the decision cannot be in the future.")
    )
    with one_edit():
        current = lock_current(application)
        if current.submitted_on and decided_on and decided_on < current.submitted_on:
            raise ValidationError(
                {"decided_on": _("The decision cannot come before the day of submission.")},
                code="before_submission",
            )
        current.decision = decision
        current.decided_on = decided_on if decision in DECIDED else None
        current.amount_granted = amount_granted if decision in GRANTED else None
        return save_owned(
            current,
            user=user,
            expected_version=expected_version,
            verb=gettext_noop("funder's decision recorded"),
        )


def instalment_save(
    *, instalment: Instalment, user: Any, expected_version: int | None
) -> Instalment:
    """Add or change an instalment (rank, amount, due day, condition) of an application;
    `expected_version` is the application's, as the page showed it."""
    return save_owned(
        instalment,
        user=user,
        expected_version=expected_version,
        verb=gettext_noop("instalment saved"),
    )


def instalment_received(
    *,
    instalment: Instalment,
    received_on: datetime.date | None,
    user: Any,
    expected_version: int | None,
) -> Instalment:
    """Record the day an instalment reached the authority's accounts."""
    if received_on is None:
        raise ValidationError(
            {"received_on": _("Give the day the money was received, e.g. 12/05/2025.")},
            code="required",
        )
    _not_in_the_future(received_on, "received_on", _("The day received cannot be in the future."))
    with one_edit():
        current = lock_current(instalment)
        current.received_on = received_on
        return save_owned(
            current,
            user=user,
            expected_version=expected_version,
            verb=gettext_noop("instalment received"),
        )


def report_due_save(*, report: ReportDue, user: Any, expected_version: int | None) -> ReportDue:
    """Add or change a report owed to the funder (its kind and due day); `expected_version`
    is the application's."""
    return save_owned(
        report, user=user, expected_version=expected_version, verb=gettext_noop("report due saved")
    )


def report_sent(
    *,
    report: ReportDue,
    submitted_on: datetime.date | None,
    user: Any,
    expected_version: int | None,
) -> ReportDue:
    """Record the day a report was sent to the funder."""
    if submitted_on is None:
        raise ValidationError(
            {"submitted_on": _("Give the day the report was sent, e.g. 12/05/2025.")},
            code="required",
        )
    _not_in_the_future(submitted_on, "submitted_on", _("The day sent cannot be in the future."))
    with one_edit():
        current = lock_current(report)
        current.submitted_on = submitted_on
        return save_owned(
            current,
            user=user,
            expected_version=expected_version,
            verb=gettext_noop("report sent to the funder"),
        )
