"""Writes for local actors and people, and the rules every write of them runs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from jumelage.actors.models import Actor, Mission, Person, Position, ProjectActor, Skill
from jumelage.actors.selectors import mission_in_kind_value
from jumelage.projects.models import ExpenseLine, FinancingPlan, ResourceLine
from jumelage.projects.selectors import financing_plan_summary
from jumelage.projects.services import check_plan_balance, plan_balance_checked_at_end
from jumelage.register.services import save_shared
from jumelage.tenancy.services import (
    check_can_write,
    locked_version,
    one_edit,
    register_rule,
    save_owned,
)

# --- Rules ----------------------------------------------------------------------------------


def _check_dates_in_order(started_on: Any, ended_on: Any, *, message: str) -> None:
    if started_on and ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": message})


@register_rule(Position)
def position_ends_after_it_starts(position: Position) -> None:
    # A mandate or a seat runs from a start to an end (domain guide §3, elected officials).
    _check_dates_in_order(
        position.started_on,
        position.ended_on,
        message=_("A position cannot end before it starts: correct the start or the end date."),
    )


@register_rule(Mission)
def mission_ends_after_it_starts(mission: Mission) -> None:
    # The time given is counted between the two dates (domain guide §3, staff volunteers).
    _check_dates_in_order(
        mission.started_on,
        mission.ended_on,
        message=_("A mission cannot end before it starts: correct the start or the end date."),
    )


@register_rule(Mission)
def mission_person_is_staff(mission: Mission) -> None:
    # Missions are the time the authority's own staff give; only that time can be valued in
    # kind in a financing plan (domain guide §3, staff volunteer and financing plan).
    # Not tied to the person field: in the person's page the missions are rows without it.
    if mission.person_id is not None and mission.person.kind != Person.Kind.STAFF:
        raise ValidationError(
            _(
                "Only a staff member can go on a mission: record %(person)s as a staff member "
                "first, or give the mission to a staff member."
            )
            % {"person": mission.person}
        )


@register_rule(Person)
def person_with_missions_stays_staff(person: Person) -> None:
    # The other side of `mission_person_is_staff`: the missions already recorded stay staff time.
    if (
        person.pk is not None
        and person.kind != Person.Kind.STAFF
        and Mission.objects.filter(person_id=person.pk).exists()
    ):
        raise ValidationError(
            {
                "kind": _(
                    "This person has missions, which only staff members can have: keep them as "
                    "a staff member, or delete their missions first."
                )
            }
        )


# --- Writes ---------------------------------------------------------------------------------


def skill_save(
    *,
    skill: Skill,
    user: Any,
    expected_version: int | None = None,
    authority_id: int | None = None,
) -> Skill:
    """Add or correct a skill of the shared vocabulary (`authority_id`: the member authority
    the user adds it for, recorded as who added it)."""
    return save_shared(  # type: ignore[return-value]
        skill, user=user, expected_version=expected_version, authority_id=authority_id
    )


def actor_save(
    *,
    actor: Actor,
    user: Any,
    partnerships: Iterable[Any] | None = None,
    expected_version: int | None,
) -> Actor:
    m2m = {"partnerships": partnerships} if partnerships is not None else None
    return save_owned(actor, user=user, m2m=m2m, expected_version=expected_version)


def person_save(
    *,
    person: Person,
    user: Any,
    skills: Iterable[Any] | None = None,
    themes: Iterable[Any] | None = None,
    expected_version: int | None,
) -> Person:
    m2m = {
        name: values
        for name, values in (("skills", skills), ("themes", themes))
        if values is not None
    }
    return save_owned(person, user=user, m2m=m2m, expected_version=expected_version)


# A person's positions and missions are checked against the person's version the editor saw;
# an actor's roles in projects against the actor's (they are edited on the actor's page).


def position_save(*, position: Position, user: Any, expected_version: int | None) -> Position:
    return save_owned(position, user=user, expected_version=expected_version)


def project_actor_save(
    *, project_actor: ProjectActor, user: Any, expected_version: int | None
) -> ProjectActor:
    return save_owned(project_actor, user=user, expected_version=expected_version)


def mission_save(*, mission: Mission, user: Any, expected_version: int | None) -> Mission:
    return save_owned(mission, user=user, expected_version=expected_version)


@one_edit()
def mission_value_in_plan(*, mission: Mission, plan: FinancingPlan, user: Any) -> ResourceLine:
    """Value the mission's time in a financing plan of its project, in kind: an own resource
    line (the authority's contribution) and the matching expense line (the staff cost), so that
    the plan stays balanced. Updates the lines that already value it there. Returns the
    resource line.

    The value is the stored mission's days times its person's daily cost: call again after
    changing either to bring the lines up to date.
    """
    # Lock the mission's person, the mission and the plan: two clicks must not add two pairs of
    # lines, and the plan's balance is checked on the whole. A step, not a page: it writes
    # what it reads here, under these locks, so it checks the versions it has just read.
    person_version = locked_version(mission)
    mission = Mission._base_manager.select_for_update().select_related("person").get(pk=mission.pk)
    plan = FinancingPlan._base_manager.select_for_update().get(pk=plan.pk)
    check_can_write(user, mission)
    check_can_write(user, plan)
    if mission.project_id is None:
        raise ValidationError(
            _("Link the mission to the plan's project first, then value it in the plan.")
        )
    if mission.project_id != plan.project_id:
        raise ValidationError(
            _(
                "This financing plan belongs to another project than the mission's: choose a "
                "plan of the mission's project."
            )
        )
    if plan.currency != settings.REPORTING_CURRENCY:
        raise ValidationError(
            _(
                "Daily costs are in %(reporting)s but this plan is in %(currency)s: value the "
                "mission by hand in this plan, or choose a plan in %(reporting)s."
            )
            % {"reporting": settings.REPORTING_CURRENCY, "currency": plan.currency}
        )
    if not mission.days:
        raise ValidationError(_("Give the number of days given to this mission before valuing it."))
    value = mission_in_kind_value(mission)
    if value is None:
        raise ValidationError(
            _("Give the daily cost of %(person)s before valuing their mission.")
            % {"person": mission.person}
        )

    days = mission.days
    label = _("Staff time: %(person)s, %(days)s days (%(mission)s)") % {
        "person": mission.person,
        "days": number_format(days, decimal_pos=0 if days == days.to_integral_value() else 1),
        "mission": mission.description,
    }
    year = plan.year or (mission.started_on.year if mission.started_on else None)
    expense = mission.expense_lines.filter(plan_id=plan.pk).first() or ExpenseLine(
        plan=plan, category=ExpenseLine.Category.STAFF
    )
    resource = mission.resource_lines.filter(plan_id=plan.pk).first() or ResourceLine(plan=plan)
    new_lines = expense.pk is None or resource.pk is None
    expense.in_kind = True
    resource.is_own, resource.in_kind, resource.funder = True, True, None
    for line in (expense, resource):
        line.amount = value
        line.year = year
        line.label = label[: type(line)._meta.get_field("label").max_length]

    verb = "mission valued in kind"
    # Both lines change by the same amount: the balance is checked once both are written.
    # Writing them moves the plan's version on, so that a plan page opened before is refused.
    with plan_balance_checked_at_end():
        save_owned(expense, user=user, expected_version=plan.version, verb=verb)
        save_owned(resource, user=user, expected_version=plan.version, verb=verb)
    check_plan_balance(financing_plan_summary(plan), status=plan.status)
    if new_lines:
        save_owned(
            mission,
            user=user,
            expected_version=person_version,
            m2m={
                "expense_lines": {*mission.expense_lines.all(), expense},
                "resource_lines": {*mission.resource_lines.all(), resource},
            },
            verb=verb,
        )
    return resource
