"""Shared helpers of the spreadsheet tests (no tests here): a French catalogue for the strings
the tests read, data for every exported list, and import files built in memory.

Until the project's French .po files hold these strings, `french()` adds the translations the
tests need to the French catalogue for the duration of a test, so that the tests check what
matters here: headers, labels and messages go through gettext in the language of the export
or import, not in the language active when the module was imported.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.utils.translation import trans_real
from openpyxl import Workbook

from jumelage.actors.tests.factories import ActorFactory, PersonFactory, SkillFactory
from jumelage.agreements.tests.factories import AgreementFactory
from jumelage.core.tests.factories import AtlasThemeFactory, CountryFactory
from jumelage.partners.models import MemberAuthority
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.projects.tests.factories import (
    ExpenseLineFactory,
    FinancingPlanFactory,
    FunderFactory,
    ProjectCountryFactory,
    ProjectFactory,
    ResourceLineFactory,
)
from jumelage.visits.tests.factories import VisitFactory

# The French the tests read; also a proposal for the .po files.
FRENCH = {
    "ID": "ID",
    "member authority": "collectivité membre",
    "partner authority": "collectivité partenaire",
    "Partner's country": "Pays du partenaire",
    "Partner's SIREN": "SIREN du partenaire",
    "kind": "type",
    "status": "statut",
    "title": "titre",
    "started (year)": "début (année)",
    "started (date)": "début (date)",
    "ended on": "fin le",
    "main Atlas theme": "thème principal de l'Atlas",
    "published": "publié",
    "twinning": "jumelage",
    "decentralised cooperation": "coopération décentralisée",
    "friendship pact": "pacte d'amitié",
    "one-off action": "action ponctuelle",
    "active": "actif",
    "dormant": "en sommeil",
    "ended": "terminé",
    "yes": "oui",
    "no": "non",
    "forecast financial commitments": "engagements financiers prévisionnels",
    "signed on": "signé le",
    "Plan ID": "ID du plan",
    "amount": "montant",
    "planned start": "début prévu",
    "daily cost for in-kind valuation": "coût journalier pour la valorisation",
    "from": "du",
    "name": "nom",
    "country": "pays",
    "Title (French)": "Titre (français)",
    "partnerships": "partenariats",
    "Recipient countries": "Pays bénéficiaires",
    "Row %(row)s, column “%(column)s”: %(problem)s": (
        "Ligne %(row)s, colonne « %(column)s » : %(problem)s"
    ),
    "“%(value)s” is not a known country; write its name or its ISO code (%(code)s for %(name)s).": (
        "« %(value)s » n'est pas un pays connu ; écrivez le nom ou le code ISO "
        "(%(code)s pour %(name)s)."
    ),
}


@contextmanager
def french(extra: dict[str, str] | None = None) -> Iterator[None]:
    """Add FRENCH (and `extra`) to the French catalogue while the block runs."""
    entries = {**FRENCH, **(extra or {})}
    catalog = trans_real.translation("fr")._catalog  # type: ignore[attr-defined]  # a private API
    first = catalog._catalogs[0] if hasattr(catalog, "_catalogs") else catalog
    saved = {key: first[key] for key in entries if key in first}
    first.update(entries)
    try:
        yield
    finally:
        for key in entries:
            first.pop(key, None)
        first.update(saved)


# --- Data ---------------------------------------------------------------------------------------


def country(code: str, name_fr: str, name_en: str) -> Any:
    found = CountryFactory(code=code)
    found.name_fr, found.name_en = name_fr, name_en
    found.save()  # type: ignore[attr-defined]  # a factory_boy model instance
    return found


def reference_countries() -> None:
    country("FR", "France", "France")
    country("DE", "Allemagne", "Germany")
    country("HT", "Haïti", "Haiti")
    country("RS", "Serbie", "Serbia")


def fill(member: MemberAuthority, rows: int = 1, *, prefix: str = "A") -> None:
    """`rows` records in every exported list of the member authority, with their parts."""
    reference_countries()
    theme = AtlasThemeFactory(code="1.2", name_fr="Gouvernance locale", name_en="Local governance")
    skill = SkillFactory(name="Eau")
    for index in range(rows):
        partner = ForeignAuthorityFactory(
            name=f"Partenaire {prefix}{index}", country=CountryFactory(code="HT")
        )
        partnership = PartnershipFactory(
            authority=member,
            partner=partner,
            kind="twinning",
            started_on=datetime.date(1998, 6, 15),
            main_theme=theme,
        )
        AgreementFactory(partnership=partnership, signed_on=datetime.date(2018, 7, 2))
        project = ProjectFactory(
            authority=member,
            slug=f"projet-{prefix.lower()}{index}",
            title={"fr": f"Projet {prefix}{index}"},
            atlas_theme=theme,
        )
        project.partnerships.add(partnership)  # type: ignore[attr-defined]  # a factory_boy model instance
        ProjectCountryFactory(project=project, country=CountryFactory(code="HT"), percentage=80)
        ProjectCountryFactory(project=project, country=CountryFactory(code="RS"), percentage=20)
        plan = FinancingPlanFactory(project=project, year=2026)
        ExpenseLineFactory(plan=plan, amount="12345.67")
        ResourceLineFactory(plan=plan, amount="10000.00")
        ResourceLineFactory(
            plan=plan, is_own=False, funder=FunderFactory(name="AFD"), amount="2345.67"
        )
        actor = ActorFactory(authority=member, name=f"Collège {prefix}{index}")
        actor.partnerships.add(partnership)  # type: ignore[attr-defined]  # a factory_boy model instance
        person = PersonFactory(authority=member, daily_rate="350.00")
        person.skills.add(skill)  # type: ignore[attr-defined]  # a factory_boy model instance
        VisitFactory(authority=member, partnership=partnership, project=project)


# --- Import files -------------------------------------------------------------------------------


def xlsx_file(rows: Sequence[Sequence[Any]], *, formulas: dict[str, str] | None = None) -> bytes:
    """A workbook whose first sheet holds `rows`; `formulas` puts formulas in cells ("C3")."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for reference, formula in (formulas or {}).items():
        sheet[reference] = formula
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def csv_file(rows: Sequence[Sequence[Any]], *, delimiter: str = ";") -> bytes:
    stream = io.StringIO()
    csv.writer(stream, delimiter=delimiter).writerows(rows)
    return stream.getvalue().encode("utf-8-sig")
