"""Load the demonstration data (`manage.py load_demo`) through the one write path.

Every record is written by `save_owned` (as the demo's superuser) or
`register.services.save_shared` (directory entries), so the rules of each app and the audit
log apply as they would to a user's input.

Idempotent: records are looked up by natural keys (member slug, authority name and country,
partnership authority + partner + kind, project slug...) and only missing ones are created;
nothing found is ever changed, so what users changed since survives. The parts of a record
(a project's plan and lines, a visit's participants, an authority's opening hours...) are
created together with the record only: a plan's lines are one balanced whole, and a part a user
deleted on purpose is not brought back.

Atomic: the whole load is one transaction; on any refusal nothing stays.
"""

from __future__ import annotations

import csv
import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from io import TextIOBase
from pathlib import Path
from typing import Any, TextIO, cast

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command, get_commands
from django.db import models, transaction
from django.utils import translation
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext_noop
from django_countries import countries

from jumelage.accounts.models import Membership, User
from jumelage.actors.models import Actor, Mission, Person, Position, ProjectActor, Skill
from jumelage.agreements.models import Agreement, CouncilDecision
from jumelage.content.models import Document, NewsItem
from jumelage.core.models import AtlasTheme, Country, SharedModel
from jumelage.demo import data
from jumelage.networks.models import Network, NetworkMember
from jumelage.partners.models import (
    Authority,
    Label,
    MemberAuthority,
    OpeningHours,
    Partnership,
)
from jumelage.projects.models import (
    Application,
    Call,
    ExpenseLine,
    FinancingPlan,
    Funder,
    Indicator,
    IndicatorPeriod,
    Instalment,
    Project,
    ProjectCountry,
    ProjectSector,
    ReportDue,
    ResourceLine,
    Result,
    Transaction,
)
from jumelage.register.services import save_shared
from jumelage.tenancy.members.services import membership_grant, user_invite
from jumelage.tenancy.services import locked_version, save_owned
from jumelage.visits.models import Participant, ProgrammeItem, Visit, VisitCost

# Stored untranslated in the audit log, translated when shown.
VERB = gettext_noop("demo data loaded")

# Fields of an example project taken as they are from `data.PROJECTS`.
PROJECT_FIELDS = (
    "title", "summary", "description", "objectives", "places", "sdg_targets",
    "planned_start", "planned_end", "is_public", "oda_purpose",
)  # fmt: skip

ATLAS_THEMES_CSV = (
    Path(__file__).resolve().parent.parent / "core" / "reference" / "atlas_themes.csv"
)


@dataclass
class DemoSummary:
    """What a load created, by model."""

    created: Counter[type[models.Model]] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.created.values())


# --- Reference data ---------------------------------------------------------------------------


def ensure_reference(*, stdout: TextIO | TextIOBase | None = None) -> None:
    """Load the reference data when there is none, then make sure the rows the demo uses exist.

    `load_reference` loads everything (countries, codelists, ODA list, Atlas themes); where it is
    not installed, a handful of countries and Atlas themes are created so the demo still loads.
    """
    if not Country.objects.exists() and has_load_reference():
        call_command("load_reference", **({"stdout": stdout} if stdout else {}))
    ensure_demo_reference_rows()


def has_load_reference() -> bool:
    return "load_reference" in get_commands()


def ensure_demo_reference_rows() -> int:
    """Create the countries and Atlas themes the demo needs, if missing; return how many.

    Names come from django-countries (French and English) and from the Atlas themes file, the
    same sources as `load_reference`, so its later run finds them as it would have made them.
    """
    made = 0
    for code in data.COUNTRY_CODES:
        with translation.override("fr"):
            name_fr = str(countries.name(code))
        with translation.override("en"):
            name_en = str(countries.name(code))
        _country, created = Country.objects.get_or_create(
            code=code,
            defaults={
                "name_fr": name_fr,
                "name_en": name_en,
                "is_eu_member": code in data.EU_MEMBERS,
            },
        )
        made += created
    with ATLAS_THEMES_CSV.open(encoding="utf-8") as handle:
        rows = {row["code"]: row for row in csv.DictReader(handle)}
    wanted: set[str] = set()
    for code in data.ATLAS_THEME_CODES:
        parts = code.split(".")
        wanted.update(".".join(parts[: depth + 1]) for depth in range(len(parts)))
    for code in sorted(wanted, key=lambda value: value.count(".")):  # parents first
        row = rows[code]
        parent_code = code.rpartition(".")[0]
        _theme, created = AtlasTheme.objects.get_or_create(
            code=code,
            defaults={
                "name_fr": row["name_fr"],
                "name_en": row["name_en"],
                "level": int(row["level"]),
                "parent": AtlasTheme.objects.get(code=parent_code) if parent_code else None,
            },
        )
        made += created
    return made


# --- The load ---------------------------------------------------------------------------------


def load_demo(*, stdout: TextIO | TextIOBase | None = None) -> DemoSummary:
    """Load the demo (reference data first, if there is none); return what was created."""
    with transaction.atomic():
        ensure_reference(stdout=stdout)
        # Single-language texts are stored in the instance's language, whatever the caller's.
        with translation.override(settings.LANGUAGE_CODE):
            return DemoLoader().run()


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values to store: lazy translations evaluated (in the active language)."""
    return {
        key: str(value) if isinstance(value, Promise) else value for key, value in values.items()
    }


def _without(values: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in values.items() if key not in keys}


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _time(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


class DemoLoader:
    def __init__(self) -> None:
        self.summary = DemoSummary()
        self.admin: User
        self.themes = {theme.code: theme for theme in AtlasTheme.objects.all()}

    # --- the write path -----------------------------------------------------------------------

    def create(
        self,
        instance: models.Model,
        *,
        m2m: Mapping[str, Iterable[Any]] | None = None,
        shared: bool = False,
    ) -> Any:
        if shared:
            save_shared(cast(SharedModel, instance), user=self.admin, m2m=m2m, verb=VERB)
        else:
            # The demo writes what it has just made itself: it checks the version it reads.
            save_owned(
                instance,
                user=self.admin,
                expected_version=locked_version(instance),
                m2m=m2m,
                verb=VERB,
            )
        self.summary.created[type(instance)] += 1
        return instance

    def find_or_create(
        self,
        model: type[models.Model],
        key: Mapping[str, Any],
        fields: Mapping[str, Any] | None = None,
        *,
        m2m: Mapping[str, Iterable[Any]] | None = None,
        shared: bool = False,
    ) -> tuple[Any, bool]:
        """The record with this natural key, else a new one with `fields` too."""
        found = model._base_manager.filter(**key).first()
        if found is not None:
            return found, False
        instance = model(**key, **_plain(fields or {}))
        return self.create(instance, m2m=m2m, shared=shared), True

    def update(self, instance: models.Model, **changes: Any) -> None:
        """A step of a record created in this run (e.g. a plan adopted once its lines are in)."""
        for name, value in _plain(changes).items():
            setattr(instance, name, value)
        save_owned(instance, user=self.admin, expected_version=locked_version(instance), verb=VERB)

    # --- the whole ----------------------------------------------------------------------------

    def run(self) -> DemoSummary:
        self.admin = self.superuser()
        suresnes = self.member(
            data.SURESNES_SLUG, data.SURESNES, data.SURESNES_MEMBER, data.SURESNES_OPENING_HOURS
        )
        second = self.member(data.SECOND_SLUG, data.SECOND, data.SECOND_MEMBER, ())
        self.users({data.SURESNES_SLUG: suresnes, data.SECOND_SLUG: second})
        self.load_suresnes(suresnes)
        self.load_second(second)
        return self.summary

    # --- users --------------------------------------------------------------------------------

    @cached_property
    def password_hash(self) -> str:
        # One hash for the accounts' one shared password: hashing is slow on purpose.
        return make_password(settings.DEMO_PASSWORD)

    def superuser(self) -> User:
        """`admin`, who writes the demo: the instance's superuser (password set on creation)."""
        user = User.objects.filter(username="admin").first()
        if user is None:
            user = User(
                username="admin", email="admin@example.org", is_staff=True, is_superuser=True
            )
            user.password = self.password_hash
            user.save()
            self.summary.created[User] += 1
        return user

    def users(self, members: Mapping[str, MemberAuthority]) -> None:
        for username, slug, role in (*data.USERS, *data.EXTRA_MEMBERSHIPS):
            member = members[slug]
            user = User.objects.filter(username=username).first()
            if user is None:
                # Invited through the accounts service (audited, with the membership); the demo
                # password is then set directly, as it is meant to be simple.
                user = user_invite(
                    authority=member,
                    role=role,
                    by=self.admin,
                    username=username,
                    email=f"{username}@example.org",  # a reserved domain: nothing is delivered
                )
                user.password = self.password_hash
                user.save(update_fields=["password"])
                self.summary.created[User] += 1
                self.summary.created[Membership] += 1
            elif not Membership.objects.filter(user=user, authority=member).exists():
                membership_grant(authority=member, user_to_add=user, role=role, by=self.admin)
                self.summary.created[Membership] += 1

    # --- authorities --------------------------------------------------------------------------

    def authority(self, values: Mapping[str, Any]) -> Authority:
        """A directory entry, found by SIREN or by name and country."""
        fields = dict(values)
        name, country = fields.pop("name"), fields.pop("country")
        found = None
        if fields.get("siren"):
            found = Authority.objects.filter(siren=fields["siren"]).first()
        found = found or Authority.objects.filter(name=name, country_id=country).first()
        if found is not None:
            return found
        return self.create(Authority(name=name, country_id=country, **fields), shared=True)

    def member(
        self,
        slug: str,
        authority: Mapping[str, Any],
        settings_values: Mapping[str, Any],
        opening_hours: Iterable[tuple[int, str, str]],
    ) -> MemberAuthority:
        member = MemberAuthority.objects.filter(slug=slug).first()
        if member is not None:
            return member
        member = self.create(
            MemberAuthority(
                slug=slug,
                authority=self.authority(authority),
                is_demo=True,
                **_plain(settings_values),
            )
        )
        for weekday, opens, closes in opening_hours:
            self.create(
                OpeningHours(
                    member=member, weekday=weekday, opens=_time(opens), closes=_time(closes)
                )
            )
        return member

    def partnership(
        self, member: MemberAuthority, partner: Authority, kind: str, **fields: Any
    ) -> Partnership:
        partnership, _created = self.find_or_create(
            Partnership, {"authority": member, "partner": partner, "kind": kind}, fields
        )
        return partnership

    # --- Suresnes -----------------------------------------------------------------------------

    def load_suresnes(self, member: MemberAuthority) -> None:
        partnerships: dict[tuple[str, str], Partnership] = {}
        for values in data.TWINNINGS:
            partner = self.authority({**values, "kind": Authority.Kind.MUNICIPALITY})
            partnerships[values["name"], "twinning"] = self.partnership(
                member, partner, Partnership.Kind.TWINNING, is_public=True
            )
        kragujevac = partnerships["Kragujevac", "twinning"].partner
        partnerships["Kragujevac", "cooperation"] = self.partnership(
            member,
            kragujevac,
            Partnership.Kind.COOPERATION,
            is_public=True,
            **data.KRAGUJEVAC_COOPERATION,
        )
        cap = dict(data.CAP_HAITIEN_COOPERATION)
        cap["main_theme"] = self.themes[cap["main_theme"]]
        cap_haitien = self.partnership(
            member,
            self.authority(data.CAP_HAITIEN),
            Partnership.Kind.COOPERATION,
            is_public=True,
            **cap,
        )
        partnerships["Cap-Haïtien", "cooperation"] = cap_haitien

        self.cap_haitien_agreements(member, cap_haitien)
        funders = self.funders()
        call = self.meae_call(funders[data.MEAE])
        networks = self.networks(member)
        self.labels(member)
        people = self.people(member, networks)
        self.actors(member, cap_haitien)
        self.visits(member)
        for project in data.PROJECTS:
            self.example_project(member, project, partnerships, funders, call, people)

    def cap_haitien_agreements(self, member: MemberAuthority, partnership: Partnership) -> None:
        decisions = {}
        for values in data.CAP_HAITIEN_DECISIONS:
            fields = _without(values, "number")
            decisions[values["number"]], _created = self.find_or_create(
                CouncilDecision,
                {"authority": member, "number": values["number"]},
                {**fields, "body": CouncilDecision.Body.COUNCIL, "is_example": True},
            )
        agreements: dict[str, Agreement] = {}
        for values in data.CAP_HAITIEN_AGREEMENTS:
            fields = _without(values, "decision", "renews")
            renews = agreements.get(values.get("renews", ""))
            agreements[values["decision"]], _created = self.find_or_create(
                Agreement,
                {
                    "authority": member,
                    "partnership": partnership,
                    "council_decision": decisions[values["decision"]],
                },
                {
                    **fields,
                    "kind": Agreement.Kind.COOPERATION_PROTOCOL,
                    "signatories": data.CAP_HAITIEN_SIGNATORIES,
                    "renews": renews,
                    "is_public": True,
                    "is_example": True,
                },
            )

    def funders(self) -> dict[str, Funder]:
        funders = {}
        for values in data.FUNDERS:
            fields = _without(values, "name", "country")
            funders[values["name"]], _created = self.find_or_create(
                Funder,
                {"name": values["name"]},
                {**fields, "country_id": values["country"]},
                shared=True,
            )
        return funders

    def meae_call(self, meae: Funder) -> Call:
        call, _created = self.find_or_create(
            Call,
            {"funder": meae, "title": data.MEAE_CALL["title"], "year": data.MEAE_CALL["year"]},
            _without(data.MEAE_CALL, "funder", "title", "year"),
            shared=True,
        )
        return call

    def networks(self, member: MemberAuthority) -> dict[str, Network]:
        networks = {}
        for values in data.NETWORKS:
            network, created = self.find_or_create(
                Network,
                {"authority": member, "name": values["name"]},
                {
                    "kind": values["kind"],
                    "founded_year": values["founded_year"],
                    "is_animator": values["is_animator"],
                    "description": values["description"],
                    "is_public": True,
                },
                m2m={"countries": Country.objects.filter(code__in=values["countries"])},
            )
            if created:
                self.create(
                    NetworkMember(
                        network=network,
                        authority_member=member.authority,
                        role=str(values["member_role"]),
                        since=values["member_since"],
                    )
                )
            networks[values["name"]] = network
        return networks

    def labels(self, member: MemberAuthority) -> None:
        for values in data.LABELS:
            self.find_or_create(
                Label,
                {"authority": member, "kind": values["kind"], "name": values["name"]},
                _without(values, "kind", "name"),
            )

    def people(self, member: MemberAuthority, networks: Mapping[str, Network]) -> dict[str, Person]:
        people = {}
        for values in data.OFFICIALS:
            person, created = self.find_or_create(
                Person,
                {
                    "authority": member,
                    "first_name": values["first_name"],
                    "last_name": values["last_name"],
                },
                {"kind": Person.Kind.ELECTED, "title": values["title"], "is_public": True},
            )
            if created:
                for title, body, network in values["positions"]:
                    self.create(
                        Position(
                            person=person,
                            title=str(title),
                            body=str(body),
                            network=networks.get(network) if network else None,
                        )
                    )
            people[values["last_name"]] = person
        for values in data.STAFF_VOLUNTEERS:
            skills = [
                self.find_or_create(Skill, {"name": name}, shared=True)[0]
                for name in values["skills"]
            ]
            person, _created = self.find_or_create(
                Person,
                {
                    "authority": member,
                    "first_name": values["first_name"],
                    "last_name": values["last_name"],
                },
                {
                    "kind": Person.Kind.STAFF,
                    "department": values["department"],
                    "is_volunteer": True,
                    "availability": values["availability"],
                    "daily_rate": values["daily_rate"],
                    "is_example": True,
                },
                m2m={"skills": skills, "themes": [self.themes[code] for code in values["themes"]]},
            )
            people[values["last_name"]] = person
        return people

    def actors(self, member: MemberAuthority, cap_haitien: Partnership) -> None:
        for name, kind, description in data.CAP_HAITIEN_ACTORS:
            self.find_or_create(
                Actor,
                {"authority": member, "name": name},
                {"kind": kind, "description": description, "is_public": True},
                m2m={"partnerships": [cap_haitien]},
            )

    def visits(self, member: MemberAuthority) -> None:
        for values in data.VISITS:
            self.find_or_create(
                Visit,
                {
                    "authority": member,
                    "direction": Visit.Direction.INCOMING,
                    "other_party": values["other_party"],
                },
                {
                    "title": values["title"],
                    "purpose": values["purpose"],
                    "theme": self.themes[values["theme"]],
                    "status": Visit.Status.DONE,
                    "is_public": True,
                },
            )

    # --- example projects ---------------------------------------------------------------------

    def example_project(
        self,
        member: MemberAuthority,
        values: Mapping[str, Any],
        partnerships: Mapping[tuple[str, str], Partnership],
        funders: Mapping[str, Funder],
        call: Call,
        people: Mapping[str, Person],
    ) -> None:
        project_partnerships = [partnerships[name, kind] for name, kind in values["partnerships"]]
        project, created = self.find_or_create(
            Project,
            {"authority": member, "slug": values["slug"]},
            {
                **{key: values[key] for key in PROJECT_FIELDS},
                "atlas_theme": self.themes[values["atlas_theme"]],
                # Made ready first (sectors, plan, application), then started below.
                "status": Project.Status.PREPARATION,
                "is_example": True,
            },
            m2m={"partnerships": project_partnerships},
        )
        if not created:
            return
        self.create(ProjectSector(project=project, code=values["sector"], percentage=100))
        self.create(ProjectCountry(project=project, country_id=values["country"], percentage=100))

        application_values = values["application"]
        application = self.create(
            Application(
                project=project,
                call=call,
                amount_requested=application_values["amount_requested"],
                submitted_on=application_values["submitted_on"],
                decision=Application.Decision.GRANTED,
                decided_on=application_values["decided_on"],
                amount_granted=application_values["amount_granted"],
                notes=str(application_values["notes"]),
            )
        )
        self.financing_plan(project, values, funders, application)
        for rank, amount, due_on, condition, received_on in application_values["instalments"]:
            self.create(
                Instalment(
                    application=application,
                    rank=rank,
                    amount=Decimal(amount),
                    due_on=due_on,
                    condition=str(condition),
                    received_on=received_on,
                )
            )
        for kind, due_on, submitted_on in application_values["reports"]:
            self.create(
                ReportDue(
                    application=application, kind=kind, due_on=due_on, submitted_on=submitted_on
                )
            )
        self.update(
            project,
            status=values["status"],
            actual_start=values["actual_start"],
            actual_end=values["actual_end"],
        )
        self.transactions(member, project, values)
        self.results(project, values["results"])
        news = values["news"]
        self.create(
            NewsItem(
                authority=member,
                project=project,
                partnership=project_partnerships[0],
                is_public=True,
                is_example=True,
                **news,
            )
        )
        if "document" in values:
            self.create(
                Document(
                    authority=member,
                    project=project,
                    language="fr",
                    is_example=True,
                    **values["document"],
                )
            )
        if "mission" in values:
            mission = dict(values["mission"])
            self.create(
                Mission(project=project, person=people[mission.pop("person")], **_plain(mission))
            )
        if "visit" in values:
            self.mission_visit(
                member,
                project,
                project_partnerships[0],
                values["visit"],
                people[values["mission"]["person"]],
            )

    def financing_plan(
        self,
        project: Project,
        values: Mapping[str, Any],
        funders: Mapping[str, Funder],
        application: Application,
    ) -> None:
        # Lines go into a draft; the plan is adopted once it balances (expenses = resources).
        plan = self.create(
            FinancingPlan(
                project=project, title=str(values["plan_title"]), status=FinancingPlan.Status.DRAFT
            )
        )
        for label, category, amount, in_kind, *year in values["expenses"]:
            self.create(
                ExpenseLine(
                    plan=plan,
                    label=str(label),
                    category=category,
                    year=year[0] if year else None,
                    amount=Decimal(amount),
                    in_kind=in_kind,
                )
            )
        for label, funder, amount, in_kind, status, applied in values["resources"]:
            self.create(
                ResourceLine(
                    plan=plan,
                    label=str(label),
                    funder=funders[funder] if funder else None,
                    is_own=funder is None,
                    amount=Decimal(amount),
                    in_kind=in_kind,
                    status=status,
                    application=application if applied else None,
                )
            )
        self.update(plan, status=FinancingPlan.Status.ADOPTED)

    def transactions(
        self, member: MemberAuthority, project: Project, values: Mapping[str, Any]
    ) -> None:
        agreement = None
        if values.get("agreement_decision"):
            agreement = Agreement.objects.filter(
                authority=member, council_decision__number=values["agreement_decision"]
            ).first()
        for date, amount, description in values["transactions"]:
            self.create(
                Transaction(
                    project=project,
                    transaction_type="3",  # IATI: disbursement
                    date=date,
                    amount=Decimal(amount),
                    description=str(description),
                    provider=member.authority.name,
                    provider_org_id=member.authority.default_iati_org_id(),
                    receiver=values["receiver"],
                    from_own_funds=True,
                    is_subsidy=values["is_subsidy"],
                    agreement=agreement,
                    oda_category=values["oda_category"],
                    recipient_country_id=values["country"],
                    sector_code=values["sector"],
                    channel_code=values["channel"],
                    flow_type=values["flow_type"],
                )
            )

    def results(self, project: Project, results: Iterable[Mapping[str, Any]]) -> None:
        for values in results:
            result = self.create(
                Result(project=project, type=values["type"], title=values["title"])
            )
            baseline_year, baseline_value = values["baseline"]
            indicator = self.create(
                Indicator(
                    result=result,
                    title=values["indicator"],
                    measure=values["measure"],
                    baseline_year=baseline_year,
                    baseline_value=Decimal(baseline_value),
                )
            )
            for starts_on, ends_on, target, actual in values["periods"]:
                self.create(
                    IndicatorPeriod(
                        indicator=indicator,
                        starts_on=starts_on,
                        ends_on=ends_on,
                        target_value=_decimal(target),
                        actual_value=_decimal(actual),
                    )
                )

    def mission_visit(
        self,
        member: MemberAuthority,
        project: Project,
        partnership: Partnership,
        values: Mapping[str, Any],
        person: Person,
    ) -> None:
        """An outgoing mission: planned, its participant's mission order given, then done."""
        visit = self.create(
            Visit(
                authority=member,
                direction=Visit.Direction.OUTGOING,
                partnership=partnership,
                project=project,
                title=values["title"],
                purpose=values["purpose"],
                theme=project.atlas_theme,
                starts_on=values["starts_on"],
                ends_on=values["ends_on"],
                status=Visit.Status.PLANNED,
                is_example=True,
            )
        )
        self.create(
            Participant(
                visit=visit,
                person=person,
                role=Participant.Role.STAFF,
                mission_order=values["mission_order"],
            )
        )
        for date, place, description in values["programme"]:
            self.create(
                ProgrammeItem(visit=visit, date=date, place=place, description=str(description))
            )
        label, amount = values["cost"]
        self.create(
            VisitCost(visit=visit, label=str(label), amount=amount, paid_by=member.authority.name)
        )
        self.update(visit, status=Visit.Status.CONFIRMED)
        self.update(visit, status=Visit.Status.DONE)

    # --- the fictional second authority ---------------------------------------------------------

    def load_second(self, member: MemberAuthority) -> None:
        partnership = self.partnership(
            member,
            self.authority(data.SECOND_PARTNER),
            Partnership.Kind.TWINNING,
            summary=data.SECOND_PARTNERSHIP_SUMMARY,
            is_public=False,
            is_example=True,
        )
        actor_values = data.SECOND_ACTOR
        actor, _created = self.find_or_create(
            Actor,
            {"authority": member, "name": actor_values["name"]},
            {
                "kind": actor_values["kind"],
                "description": actor_values["description"],
                "is_public": False,
                "is_example": True,
            },
            m2m={"partnerships": [partnership]},
        )
        values = data.SECOND_PROJECT
        project, created = self.find_or_create(
            Project,
            {"authority": member, "slug": values["slug"]},
            {
                "title": values["title"],
                "summary": values["summary"],
                "atlas_theme": self.themes[values["atlas_theme"]],
                "status": Project.Status.IDEA,
                "is_public": False,
                "is_example": True,
            },
            m2m={"partnerships": [partnership]},
        )
        if created:
            self.create(
                ProjectActor(
                    project=project,
                    actor=actor,
                    role=ProjectActor.Role.IMPLEMENTER,
                    description=str(values["role_description"]),
                )
            )
