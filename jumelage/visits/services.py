"""Writes for visits and delegations, and the rules every write of them runs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jumelage.tenancy.services import delete_owned, one_edit, register_rule, save_owned
from jumelage.visits.models import Hosting, Participant, ProgrammeItem, Visit, VisitCost
from jumelage.visits.selectors import (
    is_travelling,
    programme_date_problem,
    special_mandate_problem,
    travel_paper_problems,
    visit_travel_paper_problems,
)

# --- Rules ----------------------------------------------------------------------------------


@register_rule(Visit)
def travelling_delegation_has_its_papers(visit: Visit) -> None:
    # CGCT L2123-18 (communes), L3123-19 (départements), L4135-19 (régions): an elected
    # official travelling abroad is reimbursed only under a special mandate voted by the
    # council; staff need a mission order (domain guide §4). Checked on
    # every save of a confirmed or done outgoing visit, so that moving its departure before a
    # mandate is enforceable is refused too.
    if not is_travelling(visit):
        return
    found = visit_travel_paper_problems(visit)
    if found:
        raise ValidationError(
            {
                "status": [
                    message for _participant, problems in found for message in problems.values()
                ]
            }
        )


@register_rule(Participant)
def participant_is_named(participant: Participant) -> None:
    if participant.person_id is None and not participant.name.strip():
        raise ValidationError(
            {"name": _("Choose the person who takes part, or write the participant's name.")}
        )


@register_rule(Participant)
def participant_has_travel_papers(participant: Participant) -> None:
    # The special mandate (CGCT L2123-18, L3123-19, L4135-19) and the mission order, as for the
    # visit: a participant
    # added to, or changed in, a delegation already confirmed must hold them too.
    visit = participant.visit
    if is_travelling(visit):
        problems = travel_paper_problems(participant, visit)
    else:
        wrong = special_mandate_problem(participant, visit)
        problems = {"special_mandate": wrong} if wrong else {}
    if problems:
        raise ValidationError(problems)


@register_rule(ProgrammeItem)
def programme_item_is_during_the_visit(item: ProgrammeItem) -> None:
    # The programme is what the delegation does during the visit (domain guide §3): an item
    # dated outside the visit's days is refused, whoever writes it (workspace, admin, demo).
    # Changing the visit's dates is not refused for the items left outside: the page marks them,
    # so that a postponed visit's programme can be moved item by item.
    problem = programme_date_problem(item.date, item.visit) if item.date else None
    if problem:
        raise ValidationError({"date": problem})


# --- Writes ---------------------------------------------------------------------------------


def visit_save(*, visit: Visit, user: Any, expected_version: int | None) -> Visit:
    return save_owned(visit, user=user, expected_version=expected_version)


def visit_plan(*, visit: Visit, participants: Iterable[Participant], user: Any) -> Visit:
    """Plan a new visit with its delegation, in one edit: the visit and every participant are
    written, or nothing is. Each participant runs its own rules (named, a special mandate of
    the visit's authority); the travel papers still missing of a planned visit are not a
    refusal but the home's to-do (`selectors.coming_visits_missing_papers`)."""
    if visit.pk is not None:
        raise ValueError("visit_plan plans a new visit; change one with visit_save.")
    with one_edit():
        save_owned(visit, user=user, expected_version=None, verb=gettext_noop("visit planned"))
        for participant in participants:
            participant.visit = visit
            save_owned(participant, user=user, expected_version=None)
    visit.refresh_from_db(fields=["version"])
    return visit


def visit_set_status(
    *, visit: Visit, status: str, user: Any, expected_version: int | None
) -> Visit:
    """Move a visit to a status (confirmed, done...), refused while papers are missing."""
    visit.status = status
    return save_owned(visit, user=user, expected_version=expected_version, verb=f"visit {status}")


# A visit's rows (participants, programme, hosting, costs) are checked against the visit's
# version the editor saw, and move it on.


def participant_save(
    *, participant: Participant, user: Any, expected_version: int | None
) -> Participant:
    return save_owned(participant, user=user, expected_version=expected_version)


def participant_remove(
    *, participant: Participant, user: Any, expected_version: int | None
) -> None:
    """Take a participant off the delegation (audited; the visit's version moves on)."""
    delete_owned(
        participant,
        user=user,
        expected_version=expected_version,
        verb=gettext_noop("participant removed"),
    )


def programme_item_save(
    *, item: ProgrammeItem, user: Any, expected_version: int | None
) -> ProgrammeItem:
    return save_owned(item, user=user, expected_version=expected_version)


def programme_item_remove(*, item: ProgrammeItem, user: Any, expected_version: int | None) -> None:
    """Take an item off the visit's programme (audited; the visit's version moves on)."""
    delete_owned(
        item,
        user=user,
        expected_version=expected_version,
        verb=gettext_noop("programme item removed"),
    )


def hosting_save(*, hosting: Hosting, user: Any, expected_version: int | None) -> Hosting:
    return save_owned(hosting, user=user, expected_version=expected_version)


def hosting_remove(*, hosting: Hosting, user: Any, expected_version: int | None) -> None:
    """Take a host off the visit's hosting (audited; the visit's version moves on)."""
    delete_owned(
        hosting, user=user, expected_version=expected_version, verb=gettext_noop("host removed")
    )


def visit_cost_save(*, cost: VisitCost, user: Any, expected_version: int | None) -> VisitCost:
    return save_owned(cost, user=user, expected_version=expected_version)


def visit_cost_remove(*, cost: VisitCost, user: Any, expected_version: int | None) -> None:
    """Take a cost off the visit (audited; the visit's version moves on)."""
    delete_owned(
        cost, user=user, expected_version=expected_version, verb=gettext_noop("cost removed")
    )
