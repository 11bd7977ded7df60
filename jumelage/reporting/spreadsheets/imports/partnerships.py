"""A member authority's partnerships: one row per partnership."""

from __future__ import annotations

import datetime
import re
from collections.abc import Hashable
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jumelage.agreements.models import CouncilDecision
from jumelage.agreements.services import council_decision_save
from jumelage.audit.services import snapshot
from jumelage.core.values import DAY, DateValue
from jumelage.partners.matching import Towns, town_key
from jumelage.partners.models import Authority, Partnership
from jumelage.partners.services import partnership_save
from jumelage.reporting.spreadsheets import cells
from jumelage.reporting.spreadsheets.cells import CellProblem, norm
from jumelage.reporting.spreadsheets.exports import field_header
from jumelage.reporting.spreadsheets.imports.base import (
    Context,
    Field,
    ImportKind,
    Planned,
    Problem,
    RowProblems,
    TownQuestion,
    authority_candidates,
)
from jumelage.tenancy.services import rules_for, run_rules, user_can_write

# --- Partnerships --------------------------------------------------------------------------------


class PartnershipImport(ImportKind):
    name = "partnerships"
    title = gettext_lazy("Partnerships")
    description = gettext_lazy(
        "Your authority's twinnings, cooperations and pacts, with partners of the directory."
    )
    what = gettext_lazy("partnership")
    existing_rows = gettext_lazy(
        "A partnership your authority already has (same partner, same kind) is updated: filled "
        "cells replace what is stored, empty cells leave it unchanged. A row identical to what "
        "is stored is skipped. The partner must already be in the directory: import the "
        "authorities template first if needed."
    )
    fields = (
        Field(
            "partner",
            field_header(Partnership, "partner"),
            "text",
            gettext_lazy("The partner's name, as in the directory of authorities."),
            "Kragujevac",
            required=True,
            args=(200,),
        ),
        Field(
            "partner_country",
            gettext_lazy("Partner's country"),
            "country",
            gettext_lazy("Its country (name or ISO code), to tell apart towns of the same name."),
            "RS",
        ),
        Field(
            "partner_siren",
            gettext_lazy("Partner's SIREN"),
            "siren",
            gettext_lazy("For a French partner, its SIREN instead of the name and country."),
        ),
        Field(
            "kind",
            field_header(Partnership, "kind"),
            "choice",
            gettext_lazy("One of the list."),
            required=True,
            choices=Partnership.Kind,
        ),
        Field(
            "status",
            field_header(Partnership, "status"),
            "choice",
            gettext_lazy("One of the list; active if empty."),
            choices=Partnership.Status,
        ),
        Field(
            "title_fr",
            gettext_lazy("Title (French)"),
            "text",
            gettext_lazy("As on the Atlas sheet; the partner's name if empty."),
            model_field="title",
            args=(300,),
        ),
        Field(
            "started_year",
            field_header(Partnership, "started_year"),
            "read_date",
            gettext_lazy(
                "A year, e.g. 1998; or a period, 2019-2022, for its start and its end (when no "
                "column gives the end)."
            ),
            "1998",
        ),
        Field(
            "started_on",
            field_header(Partnership, "started_on"),
            "read_date",
            gettext_lazy(
                "A date, e.g. 15/06/1998; a month (03/1998) or a year gives the start year "
                "only, and a period (2019-2022) its start and its end."
            ),
        ),
        Field(
            "ended_on",
            field_header(Partnership, "ended_on"),
            "date",
            gettext_lazy("A date, for an ended partnership."),
        ),
        Field(
            "main_theme",
            field_header(Partnership, "main_theme"),
            "theme",
            gettext_lazy("The code of an Atlas theme (listed in the back office)."),
        ),
        Field(
            "is_public",
            field_header(Partnership, "is_public"),
            "boolean",
            gettext_lazy("Yes to show it on your public pages; no if empty."),
        ),
        Field(
            "council_decision",
            gettext_lazy("Council decision"),
            "raw",
            gettext_lazy(
                "The council decision that approved the partnership, its number and the date "
                "of the sitting: DCM 84-112 du 02/04/1984. It is recorded with the council "
                "decisions of your authority."
            ),
            "DCM 84-112 du 02/04/1984",
        ),
    )
    plain = ("status", "started_year", "started_on", "ended_on", "main_theme", "is_public")

    def may_write(self, ctx: Context) -> str | None:
        if ctx.member is None:
            return _("Choose the member authority the partnerships are for.")
        if user_can_write(ctx.user, Partnership(authority=ctx.member)):
            return None
        return _(
            "You may not change the partnerships of %(authority)s. Ask its administrator for "
            "an officer's role."
        ) % {"authority": ctx.member}

    def prepare(self, ctx: Context, rows: list[tuple[int, dict[str, Any]]]) -> None:
        sirens = [v["partner_siren"] for _r, v in rows if v.get("partner_siren")]
        self.by_siren = {a.siren: a for a in Authority.objects.filter(siren__in=sirens)}
        self.by_name = authority_candidates(
            (v["partner"], v.get("partner_country")) for _r, v in rows if v.get("partner")
        )
        self.towns: Towns | None = None
        self.decisions: dict[str, CouncilDecision] | None = None
        self.existing = {
            (p.partner_id, p.kind): p
            for p in Partnership.objects.of_authority(ctx.member.pk)  # type: ignore[union-attr]
        }

    def near_partner(self, row: int, values: dict[str, Any], ctx: Context) -> Authority:
        """A partner written otherwise than the directory has it ("Weissenburg" for Weißenburg
        in Bayern): the officer's choice if made, else the one near match that stands out,
        said in a note; otherwise the closest entries are suggested. Each case is kept as a
        question (ctx.towns) so that the workspace offers the choice, or adds the town."""
        if self.towns is None:
            self.towns = Towns()
        name, country = values["partner"], values.get("partner_country")
        match = self.towns.match(name, country)
        offered = [a for a in (match.authority, *match.suggestions) if a is not None]
        chosen_pk = ctx.choices.get(town_key(name))
        chosen = next((a for a in offered if a.pk == chosen_pk), None)
        if chosen is None and chosen_pk is not None:
            chosen = Authority.objects.filter(pk=chosen_pk).first()
            if chosen is not None:
                offered.insert(0, chosen)
        taken = chosen or match.authority
        ctx.towns.append(
            TownQuestion(
                row=row,
                name=str(name),
                country=country,
                chosen=taken.pk if taken is not None else None,
                candidates=[(a.pk, f"{a.name} ({a.country_id})") for a in offered[:4]],
            )
        )
        if taken is not None:
            if chosen is None:
                ctx.notes.append(
                    self.problem(
                        row,
                        "partner",
                        _("“%(name)s” read as “%(entry)s” (%(country)s), from the directory.")
                        % {"name": name, "entry": taken.name, "country": taken.country_id},
                    )
                )
            return cast(Authority, taken)
        if match.suggestions:
            message = _(
                "no authority called “%(name)s” is in the directory; did you mean %(names)s? "
                "Write the name as the directory has it, or add the partner to the directory "
                "first."
            ) % {
                "name": name,
                "names": ", ".join(f"“{a.name}” ({a.country_id})" for a in match.suggestions[:3]),
            }
        else:
            message = _(
                "no authority called “%(name)s” is in the directory; add it first "
                "(authorities template, or the back office), or check the spelling "
                "and the partner's country."
            ) % {"name": name}
        raise RowProblems([self.problem(row, "partner", message)])

    def partner(self, row: int, values: dict[str, Any], ctx: Context) -> Authority:
        if values.get("partner_siren"):
            found = self.by_siren.get(values["partner_siren"])
            if found is None:
                raise RowProblems(
                    [
                        self.problem(
                            row,
                            "partner_siren",
                            _(
                                "no authority of the directory has this SIREN; add the partner "
                                "to the directory first (authorities template), or check the "
                                "number."
                            ),
                        )
                    ]
                )
            return found
        name = norm(values["partner"])
        if values.get("partner_country"):
            named = self.by_name.get((name, values["partner_country"]), [])
        else:
            named = [a for (n, _c), found in self.by_name.items() if n == name for a in found]
        if not named:
            return self.near_partner(row, values, ctx)
        if len(named) > 1:
            raise RowProblems(
                [
                    self.problem(
                        row,
                        "partner_country" if not values.get("partner_country") else "partner",
                        _(
                            "several authorities of the directory are called “%(name)s”; give "
                            "the partner's country, or its SIREN, to say which one."
                        )
                        % {"name": values["partner"]},
                    )
                ]
            )
        return named[0]

    def key(self, values: dict[str, Any]) -> Hashable | None:
        return None  # known once the partner is found: see plan()

    def dates(self, row: int, values: dict[str, Any]) -> None:
        """The start as precise as the file gives it: a day as the start date, a month or a
        year as the start year (no day is made up), a period as the start year and the end
        date, unless a column gives the end. An end in the past ends the partnership, unless
        a column gives its status."""
        read: dict[str, DateValue] = {
            key: values.pop(key) for key in ("started_on", "started_year") if key in values
        }
        for key, found in read.items():
            if found.end is not None:
                values.setdefault("started_year", found.start.year)
                if found.precision == DAY and key == "started_on":
                    values.setdefault("started_on", found.start)
                if "ended_on" not in values:
                    values["ended_on"] = found.end
                    if "status" not in values and found.end < timezone.localdate():
                        values["status"] = Partnership.Status.ENDED
            elif found.precision == DAY and key == "started_on":
                values["started_on"] = found.start
                values.setdefault("started_year", found.start.year)
            else:
                values.setdefault("started_year", found.start.year)
        year = values.get("started_year")
        if year is not None and not 1900 <= year <= 2100:
            column = "started_on" if "started_on" in values else "started_year"
            raise RowProblems(
                [
                    self.problem(
                        row,
                        column,
                        _("%(year)s is not a year of a partnership; check the date.")
                        % {"year": year},
                    )
                ]
            )

    def decision(
        self, row: int, raw: Any, partner: Authority, kind: str, ctx: Context
    ) -> CouncilDecision | None:
        """The council decision the row names, to record (None: already recorded, as read)."""
        try:
            number, day = read_decision(raw)
        except CellProblem as problem:
            raise RowProblems([self.problem(row, "council_decision", problem.message)]) from None
        problems: list[Problem] = []
        if not number:
            problems.append(
                self.problem(
                    row,
                    "council_decision",
                    _(
                        "“%(value)s” gives no number of a council decision; write its number "
                        "and the date of the sitting, for example “DCM 84-112 du 02/04/1984”."
                    )
                    % {"value": cells.shown(raw)},
                )
            )
        elif day is None:
            problems.append(
                self.problem(
                    row,
                    "council_decision",
                    _(
                        "“%(value)s” gives no date of the sitting; add it after the number, for "
                        "example “%(number)s du 02/04/1984”."
                    )
                    % {"value": cells.shown(raw), "number": number},
                )
            )
        if problems or day is None:
            raise RowProblems(problems)
        if self.decisions is None:
            self.decisions = {
                d.number: d
                for d in CouncilDecision.objects.of_authority(ctx.member.pk)  # type: ignore[union-attr]
            }
        existing = self.decisions.get(number)
        if existing is not None:
            if existing.date != day:
                raise RowProblems(
                    [
                        self.problem(
                            row,
                            "council_decision",
                            _(
                                "your authority's council decision %(number)s is dated "
                                "%(stored)s, not %(date)s; check the number and the date."
                            )
                            % {
                                "number": number,
                                "stored": existing.date.strftime("%d/%m/%Y"),
                                "date": day.strftime("%d/%m/%Y"),
                            },
                        )
                    ]
                )
            return None
        with translation.override(settings.LANGUAGE_CODE):
            kind_label = str(Partnership.Kind(kind).label)
            subject = _("Approval of the %(kind)s with %(partner)s.") % {
                "kind": kind_label,
                "partner": partner.name,
            }
        decision = CouncilDecision(authority=ctx.member, number=number, date=day, subject=subject)
        try:
            decision.full_clean(exclude=["authority"])
            run_rules(decision, rules_for(decision))
        except ValidationError as error:
            raise RowProblems(
                [self.problem(row, "council_decision", message) for message in error.messages]
            ) from error
        self.decisions[number] = decision
        return decision

    def plan(self, row: int, values: dict[str, Any], ctx: Context) -> Planned:
        self.dates(row, values)
        partner = self.partner(row, values, ctx)
        decision = None
        if "council_decision" in values:
            decision = self.decision(
                row, values.pop("council_decision"), partner, values["kind"], ctx
            )
        existing = self.existing.get((partner.pk, values["kind"]))
        if existing is None:
            instance = Partnership(authority=ctx.member, partner=partner, kind=values["kind"])
            stored = None
        else:
            instance = Partnership.objects.get(pk=existing.pk)
            stored = snapshot(instance)
        self.set_values(instance, values, self.plain)
        self.set_text(instance, values, "title", "title_fr")
        planned = self.outcome(row, instance, stored)
        planned.key = (partner.pk, values["kind"])
        if decision is not None:
            planned.extra["decision"] = decision
            if planned.action == "unchanged":
                planned.action = "update"
                planned.record_changed = False
        return planned

    def write(self, planned: Planned, ctx: Context) -> None:
        if planned.record_changed:
            partnership_save(
                partnership=planned.instance,
                user=ctx.user,
                expected_version=planned.instance.version,  # as read when the row was planned
            )
        decision = planned.extra.get("decision")
        if decision is not None:
            council_decision_save(decision=decision, user=ctx.user, expected_version=None)


# "DCM 84-112 du 02/04/1984", "Délibération n° 2019/45 du 12 mars 2019", "délib. 2019/45".
_DECISION_WORDS = re.compile(
    r"^(?:d[ée]lib[ée]ration(?:s)?(?:\s+du\s+conseil(?:\s+municipal)?)?|d[ée]lib\.?|"
    r"dcm|dcc|dcd|dcr|del\.?|n°|no\.?|num[ée]ro)\s*",
    re.IGNORECASE,
)
_DECISION_DATE = re.compile(
    r"\s+(?:du|le|en\s+date\s+du|,)\s+(?P<date>.+)$|\s+(?P<bare>\d{1,2}[/.]\d{1,2}[/.]\d{2,4})$",
    re.IGNORECASE,
)


def read_decision(value: Any) -> tuple[str, datetime.date | None]:
    """(number, date of the sitting) of a council decision as officers write it; CellProblem
    when the date given cannot be read."""
    text = " ".join(cells.shown(value).split())
    day: datetime.date | None = None
    found = _DECISION_DATE.search(text)
    if found is not None and any(c.isdigit() for c in found.group("date") or found.group("bare")):
        # An unreadable date is said as such ("31/02/1984" is not a date), not taken as part
        # of the number.
        day = cells.date(found.group("date") or found.group("bare"))
        text = text[: found.start()]
    number = text.strip(" ,;:")
    while True:
        shorter = _DECISION_WORDS.sub("", number, count=1).strip(" ,;:")
        if shorter == number:
            break
        number = shorter
    if not any(character.isdigit() for character in number):
        return "", day
    return number[:50], day
