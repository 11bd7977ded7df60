"""A small published world for the public pages: a member town with its service's contact
details and hours, twin towns, a cooperation, projects, news, visits, actors, networks...
with an unpublished record of each kind next to the published one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from jumelage.actors.tests.factories import (
    ActorFactory,
    PersonFactory,
    PositionFactory,
    ProjectActorFactory,
)
from jumelage.content.tests.factories import DocumentFactory, NewsItemFactory
from jumelage.core.tests.factories import AtlasThemeFactory, CountryFactory
from jumelage.networks.tests.factories import NetworkFactory
from jumelage.partners.models import Partnership
from jumelage.partners.tests.factories import (
    AuthorityFactory,
    LabelFactory,
    OpeningHoursFactory,
    PartnershipFactory,
)
from jumelage.projects.models import ResourceLine
from jumelage.projects.tests.factories import (
    ExpenseLineFactory,
    FinancingPlanFactory,
    FunderFactory,
    ProjectFactory,
    ResourceLineFactory,
)
from jumelage.visits.tests.factories import VisitFactory


def country(code: str, fr: str, en: str) -> Any:
    found = CountryFactory(code=code)
    found.name_fr, found.name_en = fr, en
    found.save()  # type: ignore[attr-defined]  # a factory_boy model instance
    return found


def partner_town(name: str, code: str, latitude: str, longitude: str, **fields: Any) -> Any:
    names = {
        "RS": ("Serbie", "Serbia"),
        "HT": ("Haïti", "Haiti"),
        "DE": ("Allemagne", "Germany"),
        "GB": ("Royaume-Uni", "United Kingdom"),
    }
    fr, en = names.get(code, (f"Pays {code}", f"Country {code}"))
    return AuthorityFactory(
        name=name,
        country=country(code, fr, en),
        latitude=Decimal(latitude),
        longitude=Decimal(longitude),
        **fields,
    )


def twin(member: Any, name: str, **fields: Any) -> Partnership:
    partner = fields.pop("partner", None) or partner_town(name, "DE", "51.41", "9.65")
    values = {"kind": Partnership.Kind.TWINNING, "is_public": True, "started_year": 1960}
    return PartnershipFactory(authority=member, partner=partner, **{**values, **fields})


def project(member: Any, partnership: Partnership | None = None, **fields: Any) -> Any:
    values = {"is_public": True}
    created = ProjectFactory(authority=member, **{**values, **fields})
    if partnership is not None:
        created.partnerships.add(partnership)  # type: ignore[attr-defined]  # a factory_boy model instance
    return created


def financing_plan(item: Any, funder_name: str = "Agence française de développement") -> Any:
    """A balanced, adopted plan: 40 000 of expenses; 10 000 own, 30 000 from a funder."""
    plan = FinancingPlanFactory(project=item, status="adopted")
    ExpenseLineFactory(plan=plan, amount=Decimal("30000"), category="training")
    ExpenseLineFactory(plan=plan, amount=Decimal("10000"), category="travel")
    ResourceLineFactory(plan=plan, is_own=True, amount=Decimal("10000"), status="granted")
    ResourceLineFactory(
        plan=plan,
        is_own=False,
        funder=FunderFactory(name=funder_name, acronym="AFD"),
        amount=Decimal("30000"),
        status=ResourceLine.Status.GRANTED,
    )
    return plan


@dataclass
class World:
    member: Any
    kragujevac: Any
    twinning: Partnership
    cooperation: Partnership
    cap_haitien: Partnership
    hidden_partnership: Partnership
    project: Any
    hidden_project: Any
    news: Any
    hidden_news: Any
    visit: Any
    hidden_visit: Any
    actor: Any
    hidden_actor: Any


@pytest.fixture
def world(city_a: Any) -> World:
    member = city_a
    authority = member.authority
    authority.latitude, authority.longitude = Decimal("48.87"), Decimal("2.23")
    authority.website = "https://www.ville-a.example/"
    authority.save()
    member.street, member.postcode, member.city = "22 rue des Carrières", "92150", "Ville A"
    member.phone, member.email = "01 42 04 96 77", "international@ville-a.example"
    member.service_name = "Actions internationales"
    member.introduction = {"fr": "Ville A et le monde.", "en": "Town A and the world."}
    member.goals = {"fr": "Développement local durable.", "en": "Sustainable local development."}
    member.save()
    for weekday in range(5):
        OpeningHoursFactory(member=member, weekday=weekday, opens="09:00", closes="12:30")
        closes = "17:00" if weekday == 4 else "18:00"
        OpeningHoursFactory(member=member, weekday=weekday, opens="13:30", closes=closes)

    kragujevac = partner_town(
        "Kragujevac", "RS", "44.0167", "20.9167", local_name="Крагујевац", local_name_language="sr"
    )
    twinning = twin(
        member,
        "Kragujevac",
        partner=kragujevac,
        started_year=1970,
        history={"sr": "Братимљење од 1970."},
    )
    theme = AtlasThemeFactory(code="1.1.1", name_fr="Appui institutionnel", name_en="Support")
    cooperation = PartnershipFactory(
        authority=member,
        partner=kragujevac,
        kind=Partnership.Kind.COOPERATION,
        is_public=True,
        started_year=2001,
        summary={"fr": "Coopération avec Kragujevac."},
    )
    cap_haitien = PartnershipFactory(
        authority=member,
        partner=partner_town("Cap-Haïtien", "HT", "19.7578", "-72.2042"),
        kind=Partnership.Kind.COOPERATION,
        is_public=True,
        started_year=1998,
        main_theme=theme,
        summary={"fr": "Gouvernance locale.", "en": "Local governance.", "ht": "Gouvènans lokal."},
    )
    hidden_partnership = twin(
        member,
        "Geheimstadt",
        partner=partner_town("Geheimstadt", "DE", "50.1", "8.6"),
        is_public=False,
    )

    item = project(
        member,
        cap_haitien,
        slug="etat-civil",
        title={"fr": "Appui à l'état civil", "en": "Civil registration support"},
        summary={"fr": "Former les officiers d'état civil.", "en": "Training registrars."},
        description={"ht": "Deskripsyon pwojè a."},
        sdg_targets=["16.9"],
    )
    financing_plan(item)
    hidden_project = project(
        member,
        cap_haitien,
        slug="projet-cache",
        title={"fr": "Projet confidentiel", "en": "Secret project"},
        is_public=False,
    )
    financing_plan(hidden_project, funder_name="Bailleur secret")

    news = NewsItemFactory(
        authority=member,
        slug="formation",
        title={"fr": "Une formation réussie", "en": "A successful training"},
        body={"fr": "Quatorze officiers formés.", "en": "Fourteen registrars trained."},
        published_on=datetime.date(2025, 3, 21),
        project=item,
        partnership=cap_haitien,
        is_public=True,
    )
    hidden_news = NewsItemFactory(
        authority=member,
        slug="brouillon",
        title={"fr": "Brouillon secret"},
        is_public=False,
    )
    DocumentFactory(authority=member, project=item, title={"fr": "Rapport 2025"}, is_public=True)
    visit = VisitFactory(
        authority=member,
        title={"fr": "Une délégation chinoise", "en": "A Chinese delegation"},
        other_party="Délégation chinoise",
        is_public=True,
        status="done",
    )
    hidden_visit = VisitFactory(authority=member, title={"fr": "Visite privée"}, is_public=False)
    actor = ActorFactory(authority=member, name="Collège Jean Macé", kind="school", is_public=True)
    actor.partnerships.add(cap_haitien)  # type: ignore[attr-defined]  # a factory_boy model instance
    hidden_actor = ActorFactory(authority=member, name="Association discrète", is_public=False)
    ProjectActorFactory(project=item, actor=actor, role="partner")
    NetworkFactory(authority=member, name="Groupe pays Haïti", is_public=True)
    mayor = PersonFactory(
        authority=member, first_name="Christian", last_name="Maire", kind="elected",
        title="Maire", is_public=True,
    )  # fmt: skip
    PositionFactory(person=mayor, title="Président", body="Groupe pays Haïti")
    PositionFactory(person=mayor, title="Ancien poste", body="Caché", is_public=False)
    secret = PersonFactory(authority=member, last_name="Agent", is_public=False)
    PositionFactory(person=secret, title="Poste secret", body="Nulle part")
    LabelFactory(authority=member, name="PACT2", is_public=True)
    LabelFactory(authority=member, name="Label retiré", is_public=False)
    return World(
        member=member,
        kragujevac=kragujevac,
        twinning=twinning,
        cooperation=cooperation,
        cap_haitien=cap_haitien,
        hidden_partnership=hidden_partnership,
        project=item,
        hidden_project=hidden_project,
        news=news,
        hidden_news=hidden_news,
        visit=visit,
        hidden_visit=hidden_visit,
        actor=actor,
        hidden_actor=hidden_actor,
    )
