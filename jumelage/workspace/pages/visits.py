"""A visit's page and the list of visits: what, when, partnership, the delegation and the
papers each member still lacks to travel (with the rule's reason), the programme (by day and
time, an item the visit's dates no longer cover marked), hosting and costs; and the forms that
change them in place.

One query per kind of row, whatever the number of participants, items, hosts or costs: the
page's count does not grow with the delegation.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, QuerySet
from django.shortcuts import get_object_or_404

from jumelage.actors.models import Person
from jumelage.agreements.models import CouncilDecision
from jumelage.core.i18n import translate
from jumelage.core.money import Money
from jumelage.partners.models import Partnership
from jumelage.tenancy.access import may_write
from jumelage.visits.models import Hosting, Participant, ProgrammeItem, Visit, VisitCost
from jumelage.visits.selectors import (
    programme_date_problem,
    special_mandate_article,
    travel_paper_problems,
)
from jumelage.workspace.forms.applications import RowForm
from jumelage.workspace.forms.visits import (
    CostForm,
    HostingForm,
    ParticipantForm,
    ProgrammeItemForm,
    RemoveForm,
    StatusForm,
    VisitForm,
)
from jumelage.workspace.selectors import Seat


def may_write_visits(place: Seat) -> bool:
    return may_write(place.user, place.member.pk, Visit.write_roles)


def visit_of(place: Seat, pk: int) -> Visit:
    """The visit of this authority the user may read, with what its page shows of it; a 404
    for a visit of another authority."""
    visits = (
        Visit.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .select_related("partnership__partner", "authority__authority", "project", "theme")
    )
    return get_object_or_404(visits, pk=pk)


def partnerships_of(place: Seat) -> QuerySet[Partnership]:
    return (
        Partnership.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .select_related("partner")
        .order_by("partner__name", "kind")
    )


def people_of(place: Seat) -> QuerySet[Person]:
    return (
        Person.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .order_by("kind", "last_name", "first_name")
    )


def decisions_of(place: Seat) -> QuerySet[CouncilDecision]:
    """The authority's council decisions, those that grant a special mandate first."""
    return (
        CouncilDecision.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .order_by("-is_special_mandate", "-date", "number")
    )


@dataclass
class ParticipantRow:
    participant: Participant
    problems: list[str]
    key: str
    edit: ParticipantForm | None = None
    remove: RemoveForm | None = None


@dataclass
class ProgrammeRow:
    item: ProgrammeItem
    key: str
    outside: str = ""  # why the day no longer fits the visit's dates (they were changed)
    edit: ProgrammeItemForm | None = None
    remove: RemoveForm | None = None


@dataclass
class HostingRow:
    hosting: Hosting
    key: str
    edit: HostingForm | None = None
    remove: RemoveForm | None = None


@dataclass
class CostRow:
    cost: VisitCost
    key: str
    edit: CostForm | None = None
    remove: RemoveForm | None = None


@dataclass
class VisitPage:
    visit: Visit
    participants: list[ParticipantRow]
    programme: list[ProgrammeRow]
    hostings: list[HostingRow]
    costs: list[CostRow]
    totals: list[Money]
    may_write: bool
    article: str
    missing: int
    purpose: str = ""
    outcomes: str = ""
    notice: str = ""
    alert: str = ""
    open: str = ""
    forms: dict[str, RowForm] = field(default_factory=dict)


def visit_page(
    place: Seat,
    visit: Visit,
    *,
    bound: dict[str, RowForm] | None = None,
    editing: str = "",
    notice: str = "",
    alert: str = "",
) -> VisitPage:
    """The visit as its page shows it. `bound` holds forms sent back with what to correct (by
    key); `editing` names the row whose form is open ("participant-3", "programme-5",
    "hosting-1", "cost-2", "visit_edit")."""
    bound = bound or {}
    writer = may_write_visits(place)
    participants = list(
        Participant.objects.filter(visit_id=visit.pk)
        .select_related("person", "special_mandate")
        .order_by("role", "name", "pk")
    )
    costs = list(VisitCost.objects.filter(visit_id=visit.pk).order_by("pk"))
    people = people_of(place)
    decisions = decisions_of(place)

    rows = []
    for participant in participants:
        key = f"participant-{participant.pk}"
        problems = list(travel_paper_problems(participant, visit).values())
        row = ParticipantRow(participant, problems, key)
        if writer:
            row.remove = RemoveForm(visit=visit, key=f"remove-{participant.pk}")
            if key in bound or editing == key:
                form = bound.get(key)
                row.edit = (
                    form
                    if isinstance(form, ParticipantForm)
                    else ParticipantForm(
                        visit=visit, people=people, decisions=decisions, row=participant
                    )
                )
        rows.append(row)

    # By day, then time; an item without a time (the whole day) first on its day, whatever the
    # database's order of nulls.
    programme = ProgrammeItem.objects.filter(visit_id=visit.pk).order_by(
        "date", F("time").asc(nulls_first=True), "pk"
    )
    programme_rows = []
    for entry in programme:
        key = f"programme-{entry.pk}"
        line = ProgrammeRow(entry, key, outside=programme_date_problem(entry.date, visit) or "")
        if writer:
            line.remove = RemoveForm(visit=visit, key=f"remove-programme-{entry.pk}")
            if key in bound or editing == key:
                form = bound.get(key)
                line.edit = (
                    form
                    if isinstance(form, ProgrammeItemForm)
                    else ProgrammeItemForm(visit=visit, row=entry)
                )
        programme_rows.append(line)

    hosting_rows = []
    for hosting in Hosting.objects.filter(visit_id=visit.pk).order_by("host", "pk"):
        key = f"hosting-{hosting.pk}"
        host = HostingRow(hosting, key)
        if writer:
            host.remove = RemoveForm(visit=visit, key=f"remove-hosting-{hosting.pk}")
            if key in bound or editing == key:
                form = bound.get(key)
                host.edit = (
                    form if isinstance(form, HostingForm) else HostingForm(visit=visit, row=hosting)
                )
        hosting_rows.append(host)

    cost_rows = []
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for cost in costs:
        sums[cost.currency] += cost.amount
        key = f"cost-{cost.pk}"
        item = CostRow(cost, key)
        if writer:
            item.remove = RemoveForm(visit=visit, key=f"remove-cost-{cost.pk}")
            if key in bound or editing == key:
                form = bound.get(key)
                item.edit = form if isinstance(form, CostForm) else CostForm(visit=visit, row=cost)
        cost_rows.append(item)

    page = VisitPage(
        visit=visit,
        participants=rows,
        programme=programme_rows,
        hostings=hosting_rows,
        costs=cost_rows,
        totals=[Money(total, currency) for currency, total in sorted(sums.items())],
        may_write=writer,
        article=special_mandate_article(visit),
        missing=sum(1 for row in rows if row.problems),
        purpose=translate(visit.purpose),
        outcomes=translate(visit.outcomes),
        notice=notice,
        alert=alert,
    )
    if writer:
        forms: dict[str, RowForm] = {
            "visit_edit": VisitForm(visit=visit, partnerships=partnerships_of(place)),
            "visit_status": StatusForm(visit=visit),
            "participant_new": ParticipantForm(visit=visit, people=people, decisions=decisions),
            "programme_new": ProgrammeItemForm(visit=visit),
            "hosting_new": HostingForm(visit=visit),
            "cost_new": CostForm(visit=visit),
        }
        for key in forms:
            if key in bound:
                forms[key] = bound[key]
                page.open = key
        if editing == "visit_edit":
            page.open = editing
        page.forms = forms
    return page


@dataclass
class VisitList:
    coming: Sequence[Visit]
    past: Sequence[Visit]


def visit_list(place: Seat, *, today: datetime.date) -> VisitList:
    """The authority's visits: those coming or under way (and not dated yet) soonest first,
    then past ones latest first, with their partner town and number taking part (one query)."""
    visits = list(
        Visit.objects.for_user(place.user)
        .of_authority(place.member.pk)
        .select_related("partnership__partner")
        .annotate(participant_count=Count("participants"))
        .order_by("starts_on", "pk")
    )

    def is_past(visit: Visit) -> bool:
        last = visit.ends_on or visit.starts_on
        return last is not None and last < today

    coming = [visit for visit in visits if not is_past(visit)]
    coming.sort(key=lambda visit: (visit.starts_on is None, visit.starts_on or today, visit.pk))
    past = [visit for visit in reversed(visits) if is_past(visit)]
    return VisitList(coming=coming, past=past)
