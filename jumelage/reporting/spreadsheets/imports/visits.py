"""A member authority's visits (delegations hosted, missions abroad): one row per visit, as an
officer's list of delegations has it.

The town or destination is matched to the authority's own partner towns (their names as the
directory has them, without case or accents, then a near spelling that stands out, said in a
note); a place that is no partner is recorded as the visiting or visited party, said in a
note. Participants are matched to the authority's people by name; a name that matches nobody
is recorded as a guest by name, said in a note. A visit is found again by its direction, first
day and town, so the same file twice changes nothing; participants are added, never removed.
Written through `visits.services` (visit_plan, visit_save, participant_save,
visit_cost_save) in one edit of the visit.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jumelage.actors.models import Person
from jumelage.audit.services import snapshot
from jumelage.core.values import Amount, CellProblem, boolean, shown
from jumelage.partners.matching import town_key
from jumelage.partners.models import Partnership
from jumelage.reporting.spreadsheets import cells
from jumelage.reporting.spreadsheets.cells import norm
from jumelage.reporting.spreadsheets.exports import field_header
from jumelage.reporting.spreadsheets.imports.base import (
    Context,
    Field,
    ImportKind,
    Planned,
    Problem,
    RowProblems,
)
from jumelage.tenancy.services import (
    lock_current,
    one_edit,
    rules_for,
    run_rules,
    user_can_write,
)
from jumelage.visits.models import Participant, Visit, VisitCost
from jumelage.visits.services import (
    participant_save,
    visit_cost_save,
    visit_plan,
    visit_save,
)

# Officers' words for the direction of a visit, compared without accents or case.
DIRECTION_WORDS = {
    **dict.fromkeys(
        (
            "accueil",
            "accueillie",
            "accueilli",
            "delegation accueillie",
            "recue",
            "recu",
            "reception",
            "entrante",
            "entrant",
            "arrivee",
            "incoming",
            "hosted",
            "in",
        ),
        Visit.Direction.INCOMING,
    ),
    **dict.fromkeys(
        (
            "deplacement",
            "depart",
            "mission",
            "sortante",
            "sortant",
            "voyage",
            "outgoing",
            "travel",
            "out",
        ),
        Visit.Direction.OUTGOING,
    ),
}
# The label of the cost an import records; found again by it in either language.
COST_LABEL = gettext_noop("Cost (from the spreadsheet)")
_NAMES = re.compile(r"\s*(?:[,;\n]+|\s+et\s+)\s*")
_CIVILITY = re.compile(r"^(?:m|mme|mlle|mr|mrs|ms|dr|pr|me)\.?\s+", re.IGNORECASE)
STANDS_OUT, SUGGESTED = 90, 75  # rapidfuzz scores, as partners.matching.Towns


def cost_labels() -> set[str]:
    found = set()
    for language in cells.interface_languages():
        with translation.override(language):
            found.add(_(COST_LABEL))
    return found


def _best(key: str, keys: list[str]) -> list[tuple[float, int]]:
    """Near matches of a name among names, best first: (score, index)."""
    from rapidfuzz import fuzz, process

    found = process.extract(key, keys, scorer=fuzz.token_set_ratio, score_cutoff=SUGGESTED)
    # token_set_ratio is 100 for a name within another; the plain ratio breaks ties.
    ranked = [(score * 1000 + fuzz.ratio(key, keys[index]), index) for _k, score, index in found]
    ranked.sort(key=lambda item: -item[0])
    return [(score // 1000, index) for score, index in ranked]


class VisitImport(ImportKind):
    name = "visits"
    title = gettext_lazy("Visits and delegations")
    description = gettext_lazy(
        "Delegations your authority hosted and missions it sent: dates, town, purpose, "
        "participants and cost."
    )
    what = gettext_lazy("visit")
    existing_rows = gettext_lazy(
        "A visit your authority already has (same direction, same first day, same town) is "
        "updated: filled cells replace what is stored, empty cells leave it unchanged; "
        "participants not yet on it are added, none is removed. A row identical to what is "
        "stored is skipped."
    )
    fields = (
        Field(
            "direction",
            field_header(Visit, "direction"),
            "raw",
            gettext_lazy("Incoming (we host) or outgoing (we travel): accueil or déplacement."),
            "accueil",
            required=True,
        ),
        Field(
            "starts_on",
            gettext_lazy("First day"),
            "date",
            gettext_lazy("The day of arrival or departure: 12/05/2025 or 12 mai 2025."),
            "12/05/2025",
        ),
        Field("ends_on", gettext_lazy("Last day"), "date", "", "15/05/2025"),
        Field(
            "dates",
            gettext_lazy("Dates"),
            "period",
            gettext_lazy("Instead of the first and last days: 12/05/2025 - 15/05/2025."),
        ),
        Field(
            "place",
            gettext_lazy("Town or visiting party"),
            "text",
            gettext_lazy(
                "A partner town's name (the visit is then linked to the partnership), or "
                "the delegation or place when it is no partner."
            ),
            "Holon",
            args=(200,),
        ),
        Field(
            "title_fr",
            gettext_lazy("Title (French)"),
            "text",
            "",
            model_field="title",
            args=(300,),
        ),
        Field(
            "purpose_fr",
            gettext_lazy("Purpose (French)"),
            "text",
            "",
            "Échanges sur la petite enfance",
            model_field="purpose",
            args=(5000,),
        ),
        Field(
            "status",
            field_header(Visit, "status"),
            "choice",
            gettext_lazy("One of the list; planned if empty."),
            choices=Visit.Status,
        ),
        Field(
            "participants",
            gettext_lazy("Participants"),
            "raw",
            gettext_lazy(
                "Names separated by commas, as your people are recorded (first name and last "
                "name); anyone else is recorded as a guest by name."
            ),
            "Claire Démo, Karim Exemple",
        ),
        Field(
            "cost",
            gettext_lazy("Cost"),
            "amount",
            gettext_lazy("3 870,40 €; euros if no currency."),
            "3 870,40 €",
        ),
        Field(
            "mission_order",
            field_header(Participant, "mission_order"),
            "raw",
            gettext_lazy(
                "Its reference, or yes, for the staff members of the delegation; no or empty "
                "if none yet."
            ),
            "OM-2025-014",
        ),
        Field(
            "is_public",
            field_header(Visit, "is_public"),
            "boolean",
            gettext_lazy("Yes to show it on your public pages; no if empty."),
        ),
    )
    plain = ("starts_on", "ends_on", "status", "is_public")

    def may_write(self, ctx: Context) -> str | None:
        if ctx.member is None:
            return _("Choose the member authority the visits are for.")
        if user_can_write(ctx.user, Visit(authority=ctx.member)):
            return None
        return _(
            "You may not change the visits of %(authority)s. Ask its administrator for an "
            "officer's role."
        ) % {"authority": ctx.member}

    # --- what the rows refer to ---

    def prepare(self, ctx: Context, rows: list[tuple[int, dict[str, Any]]]) -> None:
        member = ctx.member
        assert member is not None
        partnerships = Partnership.objects.of_authority(member.pk).select_related("partner")
        self.towns: dict[str, list[Partnership]] = {}
        for partnership in partnerships.order_by("pk"):
            partner = partnership.partner
            for name in {partner.name, partner.local_name} - {""}:
                self.towns.setdefault(town_key(name), []).append(partnership)
        self.town_keys = list(self.towns)
        self.people: list[Person] = list(
            Person.objects.of_authority(member.pk).select_related("actor")
        )
        self.by_full_name: dict[str, list[Person]] = {}
        self.by_last_name: dict[str, list[Person]] = {}
        for person in self.people:
            for name in {
                f"{person.first_name} {person.last_name}",
                f"{person.last_name} {person.first_name}",
            }:
                self.by_full_name.setdefault(norm(name), []).append(person)
            self.by_last_name.setdefault(norm(person.last_name), []).append(person)
        self.full_names = list(self.by_full_name)
        visits = Visit.objects.of_authority(member.pk)
        self.existing: dict[Hashable, Visit] = {}
        for visit in visits.only("pk", "direction", "starts_on", "partnership", "other_party"):
            self.existing.setdefault(self.visit_key(visit), visit)
        self.participants: dict[int, list[Participant]] = {}
        for participant in Participant.objects.filter(visit__authority=member).order_by("pk"):
            self.participants.setdefault(participant.visit_id, []).append(participant)
        self.labels = cost_labels()
        self.costs: dict[int, VisitCost] = {}
        costs = VisitCost.objects.filter(visit__authority=member, label__in=self.labels)
        for cost in costs.order_by("pk"):
            self.costs.setdefault(cost.visit_id, cost)

    @staticmethod
    def visit_key(visit: Visit) -> Hashable:
        where = visit.partnership_id or ("other", town_key(visit.other_party))
        return (visit.direction, visit.starts_on, where)

    # --- cells read against the authority's records ---

    def _direction(self, row: int, value: Any) -> str:
        word = norm(shown(value)).strip(" .")
        if word in DIRECTION_WORDS:
            return DIRECTION_WORDS[word]
        try:
            return cells.choice(Visit.Direction)(value)
        except CellProblem:
            pass
        raise RowProblems(
            [
                self.problem(
                    row,
                    "direction",
                    _(
                        "“%(value)s” is not a direction; write accueil for a delegation you "
                        "host, or déplacement for a mission of yours abroad."
                    )
                    % {"value": shown(value)},
                )
            ]
        )

    def _place(self, row: int, name: str, ctx: Context) -> Partnership | None:
        """The partnership with the town named, or None for another place (a note says so)."""
        key = town_key(name)
        found = self.towns.get(key, [])
        near = False
        suggestions: list[str] = []
        if not found:
            ranked = _best(key, self.town_keys)
            if (
                ranked
                and ranked[0][0] >= STANDS_OUT
                and (len(ranked) == 1 or ranked[1][0] < ranked[0][0])
            ):
                found, near = self.towns[self.town_keys[ranked[0][1]]], True
            else:
                suggestions = [
                    self.towns[self.town_keys[index]][0].partner.name for _s, index in ranked[:3]
                ]
        if not found:
            if suggestions:
                message = _(
                    "“%(name)s” is none of your partner towns (did you mean %(names)s?): it is "
                    "recorded as the visiting or visited party."
                ) % {"name": name, "names": ", ".join(f"“{n}”" for n in suggestions)}
            else:
                message = _(
                    "“%(name)s” is none of your partner towns: it is recorded as the visiting or "
                    "visited party."
                ) % {"name": name}
            ctx.notes.append(self.problem(row, "place", message))
            return None
        active = [p for p in found if p.status == Partnership.Status.ACTIVE] or found
        partnership = active[0]
        if near or len(active) > 1:
            ctx.notes.append(
                self.problem(
                    row,
                    "place",
                    _("“%(name)s” read as the partnership “%(partnership)s”.")
                    % {"name": name, "partnership": partnership},
                )
            )
        return partnership

    def _person(self, row: int, name: str, ctx: Context) -> Person | None:
        key = norm(_CIVILITY.sub("", name.strip()))
        found = self.by_full_name.get(key) or self.by_last_name.get(key, [])
        if len(found) > 1:
            raise CellProblem(
                _(
                    "several of your people are called “%(name)s”; write the first name and "
                    "the last name."
                )
                % {"name": name}
            )
        if found:
            return found[0]
        ranked = _best(key, self.full_names) if " " in key else []
        if (
            ranked
            and ranked[0][0] >= STANDS_OUT
            and (len(ranked) == 1 or ranked[1][0] < ranked[0][0])
        ):
            named = self.by_full_name[self.full_names[ranked[0][1]]]
            if len(named) == 1:
                ctx.notes.append(
                    self.problem(
                        row,
                        "participants",
                        _("“%(name)s” read as %(person)s, of your people.")
                        % {"name": name, "person": named[0]},
                    )
                )
                return named[0]
        ctx.notes.append(
            self.problem(
                row,
                "participants",
                _("“%(name)s” is none of your people: recorded as a guest by name.")
                % {"name": name},
            )
        )
        return None

    def _participants(self, row: int, value: Any, ctx: Context) -> list[tuple[Person | None, str]]:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise RowProblems(
                [
                    self.problem(
                        row,
                        "participants",
                        _(
                            "%(value)s is a number; write the participants' names, separated "
                            "by commas."
                        )
                        % {"value": shown(value)},
                    )
                ]
            )
        found: list[tuple[Person | None, str]] = []
        problems: list[Problem] = []
        for name in _NAMES.split(shown(value).strip()):
            name = name.strip(" .")
            if not name:
                continue
            if len(name) > 200:
                problems.append(
                    self.problem(
                        row,
                        "participants",
                        _("a name is longer than 200 characters; separate names with commas."),
                    )
                )
                continue
            try:
                person = self._person(row, name, ctx)
            except CellProblem as problem:
                problems.append(self.problem(row, "participants", problem.message))
                continue
            if all((person, name) != (p, n) and (person is None or person != p) for p, n in found):
                found.append((person, name))
        if problems:
            raise RowProblems(problems)
        return found

    def _mission_order(self, row: int, value: Any) -> str:
        """The reference to record on the staff members ("" for none): a reference as typed,
        or the yes word as typed (the officer's record says it exists)."""
        text = shown(value).strip()
        try:
            return text if boolean(value) else ""
        except CellProblem:
            pass
        if len(text) > 100:
            raise RowProblems(
                [
                    self.problem(
                        row,
                        "mission_order",
                        _("the reference is longer than 100 characters; shorten it."),
                    )
                ]
            )
        return text

    # --- rows ---

    def key(self, values: dict[str, Any]) -> Hashable | None:
        return None  # known once the town is found: see plan()

    def plan(self, row: int, values: dict[str, Any], ctx: Context) -> Planned:
        direction = self._direction(row, values["direction"])
        if "dates" in values:
            start, end = values.pop("dates")
            values.setdefault("starts_on", start)
            if end is not None:
                values.setdefault("ends_on", end)
        if not values.get("starts_on"):
            raise RowProblems(
                [
                    self.problem(
                        row,
                        "starts_on",
                        _("give the visit's first day, for example 12/05/2025."),
                    )
                ]
            )
        if values.get("ends_on") and values["ends_on"] < values["starts_on"]:
            raise RowProblems(
                [
                    self.problem(
                        row,
                        "ends_on",
                        _(
                            "The visit ends before it starts. Give a last day on or after the "
                            "first day."
                        ),
                    )
                ]
            )
        cost: Amount | None = values.get("cost")
        if cost is not None and cost.value < 0:
            raise RowProblems(
                [self.problem(row, "cost", _("a cost cannot be negative; write the amount paid."))]
            )
        place = values.get("place", "")
        partnership = self._place(row, place, ctx) if place else None
        other_party = "" if partnership is not None else place
        where = partnership.pk if partnership is not None else ("other", town_key(other_party))
        key = (direction, values["starts_on"], where)
        existing = self.existing.get(key)
        if existing is None:
            instance = Visit(
                authority=ctx.member,
                direction=direction,
                partnership=partnership,
                other_party=other_party,
            )
            stored = None
        else:
            instance = Visit.objects.get(pk=existing.pk)
            stored = snapshot(instance)
        self.set_values(instance, values, self.plain)
        self.set_text(instance, values, "title", "title_fr")
        self.set_text(instance, values, "purpose", "purpose_fr")

        # The delegation: participants not yet on the visit, and the mission order of its
        # staff members.
        order = ""
        if "mission_order" in values:
            order = self._mission_order(row, values["mission_order"])
        present = self.participants.get(instance.pk, []) if instance.pk else []
        new: list[Participant] = []
        for person, name in (
            self._participants(row, values["participants"], ctx) if "participants" in values else []
        ):
            if any(
                (person is not None and p.person_id == person.pk)
                or (person is None and p.person_id is None and norm(p.name) == norm(name))
                for p in present
            ):
                continue
            new.append(
                Participant(
                    visit=instance,
                    person=person,
                    name="" if person is not None else name,
                    role=self._role(person),
                )
            )
        orders: list[Participant] = []
        if order:
            for participant in new:
                if participant.role == Participant.Role.STAFF:
                    participant.mission_order = order
            for participant in present:
                if participant.role == Participant.Role.STAFF and not participant.mission_order:
                    participant.mission_order = order
                    orders.append(participant)
        cost_row: VisitCost | None = None
        if cost is not None:
            currency = cost.currency or "EUR"
            found = self.costs.get(instance.pk) if instance.pk else None
            if found is None:
                cost_row = VisitCost(
                    visit=instance, label=_(COST_LABEL), amount=cost.value, currency=currency
                )
            elif (found.amount, found.currency) != (cost.value, currency):
                found.amount, found.currency = cost.value, currency
                cost_row = found
        planned = self.outcome(row, instance, stored)
        planned.key = key
        parts = {"participants": new, "orders": orders, "cost": cost_row}
        if new or orders or cost_row is not None:
            planned.extra.update(parts)
            if planned.action == "unchanged":
                planned.action = "update"
        return planned

    @staticmethod
    def _role(person: Person | None) -> str:
        if person is None:
            return Participant.Role.GUEST
        if person.kind == Person.Kind.ELECTED:
            return Participant.Role.ELECTED
        if person.kind == Person.Kind.STAFF:
            return Participant.Role.STAFF
        return Participant.Role.ACTOR if person.actor_id else Participant.Role.GUEST

    def validate(self, planned: Planned, ctx: Context) -> list[Problem]:
        """The visit's checks, then each participant's and the cost's, as their services make
        them (travel papers of a confirmed mission, a named participant)."""
        found = super().validate(planned, ctx) if planned.record_changed else []
        rows: list[Any] = [
            *planned.extra.get("participants", []),
            *planned.extra.get("orders", []),
        ]
        if planned.extra.get("cost") is not None:
            rows.append(planned.extra["cost"])
        for part in rows:
            try:
                part.full_clean(exclude=["visit"])
                run_rules(part, rules_for(part))
            except ValidationError as error:
                found.extend(self.problems_of(planned.row, error))
        return found

    def begin_writing(self, ctx: Context) -> None:
        # The rows were planned before the import's transaction began: another import of the
        # same file may have recorded the same visits since. The authority's row, locked, makes
        # the two one after the other; the visits stored by now are read again.
        assert ctx.member is not None
        lock_current(ctx.member)
        visits = Visit.objects.of_authority(ctx.member.pk)
        self.recorded = {
            self.visit_key(visit)
            for visit in visits.only("pk", "direction", "starts_on", "partnership", "other_party")
        }

    def write(self, planned: Planned, ctx: Context) -> None:
        visit = planned.instance
        if visit.pk is None:
            if planned.key in self.recorded:
                planned.action = "unchanged"  # recorded meanwhile: the same file twice, once
                return
            self.recorded.add(planned.key)
        version = visit.version  # as read when the row was planned
        participants = planned.extra.get("participants", [])
        with one_edit():
            if visit.pk is None:
                visit = visit_plan(visit=visit, participants=participants, user=ctx.user)
                participants = []
            elif planned.record_changed:
                visit = visit_save(visit=visit, user=ctx.user, expected_version=version)
            for participant in [*participants, *planned.extra.get("orders", [])]:
                participant.visit = visit
                participant_save(participant=participant, user=ctx.user, expected_version=version)
            cost = planned.extra.get("cost")
            if cost is not None:
                cost.visit = visit
                visit_cost_save(cost=cost, user=ctx.user, expected_version=visit.version)


__all__ = ["VisitImport", "cost_labels"]
