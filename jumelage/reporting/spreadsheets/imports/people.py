"""A member authority's people (staff volunteers, elected officials, contacts): one row per
person, as an officer's list of volunteers has it.

Skills are matched to the shared register of skills (without case or accents, then a near
spelling that stands out, said in a note); a skill the register lacks is added only when the
register's rules let the user add entries (`register.selectors.may_add_entries`), and said in a
note; a near miss with several candidates is a problem that names them. Languages spoken are
recorded as skills named after the language, as the volunteers' search reads them
(`actors.selectors.search_volunteers`). Written by `actors.services.person_save`.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jumelage.actors.models import Person, Skill
from jumelage.actors.selectors import language_code, language_skill_name, language_skill_names
from jumelage.actors.services import person_save, skill_save
from jumelage.audit.services import snapshot
from jumelage.core.formats import long_date
from jumelage.core.values import MONTH, YEAR, CellProblem, DateValue, read_date, shown
from jumelage.register.selectors import may_add_entries
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
from jumelage.tenancy.services import lock_current, user_can_write

# Items of a list cell: commas, semicolons or line breaks ("Eau potable, gestion de projet").
_ITEMS = re.compile(r"\s*[,;\n]+\s*")
# Two dates joined by a dash with or without spaces ("03/2026-06/2026", "mars - juin 2026").
_TWO_DATES = re.compile(r"(.+?)\s*[-–]\s*(.+)")  # noqa: RUF001
# rapidfuzz scores: a skill suggested; a skill taken on its own, ahead of the next by MARGIN.
NEAR, STANDS_OUT, MARGIN = 80, 90, 5
MAX_AVAILABILITY = Person._meta.get_field("availability").max_length or 200


def items(value: Any) -> list[str]:
    return [item for item in _ITEMS.split(shown(value).strip()) if item.strip(" .")]


def _one_date(text: str) -> DateValue | None:
    try:
        found = read_date(text)
    except CellProblem:
        return None
    return found if found.end is None else None


def _shown_date(found: DateValue) -> str:
    if found.precision == YEAR:
        return str(found.start.year)
    if found.precision == MONTH:
        return date_format(found.start, "F Y")
    return long_date(found.start, "j F Y")


def _dates(value: Any, text: str) -> tuple[DateValue, DateValue | None] | None:
    """The date or the two dates of an availability, None for a text that is no date."""
    try:
        found = read_date(value)
    except CellProblem:
        match = _TWO_DATES.fullmatch(text)
        if match is None:
            return None
        first, last = (_one_date(part) for part in match.groups())
        if first is None or last is None or last.start < first.start:
            return None
        return first, last
    if found.end is None:
        return found, None
    return (
        DateValue(found.start, precision=found.precision),
        DateValue(found.end, precision=found.precision),
    )


def availability(value: Any) -> str:
    """Availability as a text the volunteers' search reads: dates and periods ("mars 2026",
    "03/2026-06/2026") written out with month names in the user's language; any other text
    ("un jour par mois") kept as typed."""
    text = shown(value).strip()
    # A text without digits ("un jour par mois", "demain") is no date of the calendar: kept as
    # typed, never turned into a day relative to today.
    dates = _dates(value, text) if re.search(r"\d", text) else None
    if dates is None:
        result = text
    elif dates[1] is None:
        result = _shown_date(dates[0])
    else:
        result = pgettext("availability", "%(start)s to %(end)s") % {
            "start": _shown_date(dates[0]),
            "end": _shown_date(dates[1]),
        }
    if len(result) > MAX_AVAILABILITY:
        raise CellProblem(
            _("the text is %(length)s characters long, more than the %(max)s allowed; shorten it.")
            % {"length": len(result), "max": MAX_AVAILABILITY}
        )
    return result


class PersonImport(ImportKind):
    name = "people"
    title = gettext_lazy("People and volunteers")
    description = gettext_lazy(
        "Your staff volunteers, elected officials and contacts, with their skills, languages "
        "and availability."
    )
    what = gettext_lazy("person")
    existing_rows = gettext_lazy(
        "A person your authority already has (same e-mail, or same last and first name) is "
        "updated: filled cells replace what is stored, empty cells leave it unchanged; a list "
        "of skills replaces the person's skills, a list of languages the languages they speak. "
        "A row identical to what is stored is skipped. A skill the shared register lacks is "
        "added to it, and said before the import."
    )
    fields = (
        Field(
            "last_name",
            field_header(Person, "last_name"),
            "text",
            "",
            "Modèle",
            required=True,
            args=(100,),
        ),
        Field("first_name", field_header(Person, "first_name"), "text", "", "Lucía", args=(100,)),
        Field(
            "kind",
            field_header(Person, "kind"),
            "choice",
            gettext_lazy(
                "One of the list; if empty, a staff member when a department or volunteering "
                "is given, else a contact."
            ),
            choices=Person.Kind,
        ),
        Field(
            "department",
            field_header(Person, "department"),
            "text",
            "",
            "Eau et assainissement",
            args=(200,),
        ),
        Field("title", field_header(Person, "title"), "text", "", "Ingénieure", args=(200,)),
        Field("email", field_header(Person, "email"), "text", "", args=(254,)),
        Field(
            "phone",
            field_header(Person, "phone"),
            "phone",
            gettext_lazy("01 42 04 96 77 or +33 1 42 04 96 77."),
            "01 42 04 96 77",
        ),
        Field(
            "skills",
            field_header(Person, "skills"),
            "raw",
            gettext_lazy(
                "Skills separated by commas, as the shared register names them. They replace "
                "the person's skills."
            ),
            "Eau potable, gestion de projet",
        ),
        Field(
            "languages",
            gettext_lazy("Languages spoken"),
            "raw",
            gettext_lazy("Languages separated by commas, in French or English."),
            "espagnol, anglais",
        ),
        Field(
            "availability",
            field_header(Person, "availability"),
            "raw",
            gettext_lazy("A month, a period or a few words: mars 2026, 03/2026-06/2026."),
            "03/2026-06/2026",
        ),
        Field(
            "is_volunteer",
            field_header(Person, "is_volunteer"),
            "boolean",
            gettext_lazy("Yes for a staff volunteer."),
        ),
        Field(
            "is_public",
            field_header(Person, "is_public"),
            "boolean",
            gettext_lazy("Yes to show them on your public pages (officials); no if empty."),
        ),
    )
    plain = ("kind", "first_name", "department", "title", "email", "phone", "is_volunteer")

    def may_write(self, ctx: Context) -> str | None:
        if ctx.member is None:
            return _("Choose the member authority the people are for.")
        if user_can_write(ctx.user, Person(authority=ctx.member)):
            return None
        return _(
            "You may not change the people of %(authority)s. Ask its administrator for an "
            "officer's role."
        ) % {"authority": ctx.member}

    # --- what the rows refer to ---

    def prepare(self, ctx: Context, rows: list[tuple[int, dict[str, Any]]]) -> None:
        member = ctx.member
        assert member is not None
        self.by_name: dict[tuple[str, str], list[Person]] = {}
        self.by_email: dict[str, list[Person]] = {}
        for person in Person.objects.of_authority(member.pk):
            self.by_name.setdefault((norm(person.last_name), norm(person.first_name)), []).append(
                person
            )
            if person.email:
                self.by_email.setdefault(norm(person.email), []).append(person)
        self.links: dict[int, set[int]] = {}
        links = Person.skills.through.objects.filter(person__authority=member)
        for person_id, skill_id in links.values_list("person_id", "skill_id"):
            self.links.setdefault(person_id, set()).add(skill_id)
        self.skills: dict[str, Skill] = {}
        self.skill_of: dict[int, Skill] = {}
        if any("skills" in values or "languages" in values for _row, values in rows):
            for skill in Skill.objects.all():
                self.skills.setdefault(norm(skill.name), skill)
                self.skill_of[skill.pk] = skill
        self.new_skills: dict[str, Skill] = {}  # added by this file, written once
        self.may_add = may_add_entries(ctx.user)

    # --- skills and languages ---

    def _new_skill(self, name: str) -> Skill:
        return self.new_skills.setdefault(norm(name), Skill(name=name))

    def _skill(self, row: int, name: str, ctx: Context) -> Skill:
        from rapidfuzz import fuzz, process

        key = norm(name)
        if key in self.skills:
            return self.skills[key]
        if key in self.new_skills:
            return self.new_skills[key]
        found = process.extract(key, list(self.skills), scorer=fuzz.ratio, score_cutoff=NEAR)
        ranked = [(score, self.skills[near]) for near, score, _index in found]
        if (
            ranked
            and ranked[0][0] >= STANDS_OUT
            and (len(ranked) == 1 or ranked[1][0] <= ranked[0][0] - MARGIN)
        ):
            taken = ranked[0][1]
            ctx.notes.append(
                self.problem(
                    row,
                    "skills",
                    _("“%(name)s” read as “%(skill)s”, from the shared register of skills.")
                    % {"name": name, "skill": taken.name},
                )
            )
            return taken
        if ranked:
            raise CellProblem(
                _(
                    "“%(name)s” is not in the shared register of skills; did you mean "
                    "%(names)s? Write the skill as the register names it."
                )
                % {"name": name, "names": ", ".join(f"“{s.name}”" for _score, s in ranked[:3])}
            )
        if not self.may_add:
            raise CellProblem(
                _(
                    "“%(name)s” is not in the shared register of skills, and you may not add "
                    "to it; ask an officer of your authority to add it, or leave it out."
                )
                % {"name": name}
            )
        ctx.notes.append(
            self.problem(
                row,
                "skills",
                _("“%(name)s” is not in the shared register of skills: it will be added.")
                % {"name": name},
            )
        )
        return self._new_skill(name[:1].upper() + name[1:])

    def _language(self, row: int, name: str, ctx: Context) -> Skill:
        code = language_code(name)
        if code is None:
            raise CellProblem(
                _(
                    "“%(name)s” is not a language we know; write its name in French or in "
                    "English, for example espagnol."
                )
                % {"name": name}
            )
        names = language_skill_names(code)
        for key in sorted(names):
            if key in self.skills:
                return self.skills[key]
            if key in self.new_skills:
                return self.new_skills[key]
        skill_name = language_skill_name(code)
        if not self.may_add:
            raise CellProblem(
                _(
                    "no skill of the shared register names the language “%(name)s”, and you "
                    "may not add to it; ask an officer of your authority to add “%(skill)s”."
                )
                % {"name": name, "skill": skill_name}
            )
        if norm(skill_name) not in self.new_skills:
            ctx.notes.append(
                self.problem(
                    row,
                    "languages",
                    _(
                        "the language “%(name)s” is not in the shared register of skills: "
                        "“%(skill)s” will be added."
                    )
                    % {"name": name, "skill": skill_name},
                )
            )
        return self._new_skill(skill_name)

    def _is_language(self, skill: Skill) -> bool:
        return language_code(skill.name) is not None

    def _skills(
        self, row: int, values: dict[str, Any], stored: set[int], ctx: Context
    ) -> list[Skill] | None:
        """The person's skills as the row sets them (None: the row names none)."""
        if "skills" not in values and "languages" not in values:
            return None
        problems: list[Problem] = []
        chosen: list[Skill] = []
        for key, read in (("skills", self._skill), ("languages", self._language)):
            if key not in values:
                continue
            for item in items(values[key]):
                try:
                    skill = read(row, item, ctx)
                except CellProblem as problem:
                    problems.append(self.problem(row, key, problem.message))
                    continue
                if skill not in chosen:
                    chosen.append(skill)
        if problems:
            raise RowProblems(problems)
        # A column left out keeps what it would have set: the languages when only skills are
        # given, the other skills when only languages are.
        for pk in sorted(stored):
            kept_skill = self.skill_of.get(pk)
            if kept_skill is None or kept_skill in chosen:
                continue
            kept = "languages" if self._is_language(kept_skill) else "skills"
            if kept not in values:
                chosen.append(kept_skill)
        return chosen

    # --- rows ---

    def key(self, values: dict[str, Any]) -> tuple[str, str]:
        return (norm(values.get("last_name", "")), norm(values.get("first_name", "")))

    def _existing(self, row: int, values: dict[str, Any]) -> Person | None:
        found: list[Person] = []
        if values.get("email"):
            found = self.by_email.get(norm(values["email"]), [])
        if not found:
            found = self.by_name.get(self.key(values), [])
        if len(found) > 1:
            raise RowProblems(
                [
                    self.problem(
                        row,
                        "last_name",
                        _(
                            "your authority has several people with this name; give their "
                            "e-mail to say which one, or rename one of them in the workspace."
                        ),
                    )
                ]
            )
        return found[0] if found else None

    def plan(self, row: int, values: dict[str, Any], ctx: Context) -> Planned:
        if "availability" in values:
            try:
                values["availability"] = availability(values["availability"])
            except CellProblem as problem:
                raise RowProblems([self.problem(row, "availability", problem.message)]) from problem
        existing = self._existing(row, values)
        if existing is None:
            instance = Person(authority=ctx.member, last_name=values["last_name"])
            if "kind" not in values:
                staff = values.get("is_volunteer") or values.get("department")
                instance.kind = Person.Kind.STAFF if staff else Person.Kind.CONTACT
            stored = None
            linked: set[int] = set()
        else:
            instance = Person.objects.get(pk=existing.pk)
            stored = snapshot(instance)
            instance.last_name = values["last_name"]
            linked = self.links.get(instance.pk, set())
        self.set_values(instance, values, (*self.plain, "availability", "is_public"))
        skills = self._skills(row, values, linked, ctx)
        m2m = {"skills": skills} if skills is not None else {}
        planned = self.outcome(
            row, instance, stored, m2m=m2m, stored_m2m={"skills": linked} if stored else None
        )
        planned.key = ("person", existing.pk) if existing is not None else self.key(values)
        return planned

    def begin_writing(self, ctx: Context) -> None:
        # The rows were planned before the import's transaction began: another import of the
        # same file may have added the same people, or the same skills, since. The authority's
        # row, locked, makes the two one after the other; what is stored by now is read again.
        assert ctx.member is not None
        lock_current(ctx.member)
        self.recorded = {
            (norm(last), norm(first))
            for last, first in Person.objects.of_authority(ctx.member.pk).values_list(
                "last_name", "first_name"
            )
        }
        new = [name for name, skill in self.new_skills.items() if skill.pk is None]
        self.added: dict[str, Skill] = {}
        if new:
            for skill in Skill.objects.all():
                if norm(skill.name) in new:
                    self.added[norm(skill.name)] = skill

    def write(self, planned: Planned, ctx: Context) -> None:
        if planned.instance.pk is None:
            person = planned.instance
            key = (norm(person.last_name), norm(person.first_name))
            if key in self.recorded:
                planned.action = "unchanged"  # added meanwhile: the same file twice, once
                return
            self.recorded.add(key)
        skills = planned.m2m.get("skills")
        if skills is not None:
            for index, skill in enumerate(skills):
                if skill.pk is None and norm(skill.name) in self.added:
                    skills[index] = self.added[norm(skill.name)]  # added meanwhile
                elif skill.pk is None:  # new to the register: added once, for the first row
                    skill_save(skill=skill, user=ctx.user, authority_id=ctx.member.pk)  # type: ignore[union-attr]
        person_save(
            person=planned.instance,
            user=ctx.user,
            skills=skills,
            expected_version=planned.instance.version,  # as read when the row was planned
        )
