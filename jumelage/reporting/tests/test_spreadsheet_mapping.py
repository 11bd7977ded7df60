"""Proposing the kind of a sheet and a field for each column, from the officer's headers and
the values; a mapping remembered per authority for the next file of the same shape."""

from __future__ import annotations

import pytest

from jumelage.audit.models import AuditEntry
from jumelage.core.tests.factories import all_countries
from jumelage.reporting.models import ColumnMapping
from jumelage.reporting.spreadsheets.mapping import (
    propose,
    propose_kind,
    remember_mapping,
    remembered_mapping,
    signature,
)
from jumelage.reporting.spreadsheets.reading import Table


@pytest.fixture(autouse=True)
def countries(db):
    all_countries()


def table(headers, *rows) -> Table:
    return Table(
        file_format="xlsx",
        headers=list(headers),
        header_row=1,
        rows=[(number, list(row)) for number, row in enumerate(rows, start=2)],
        sheet="Feuil1",
    )


def fields(proposal) -> dict[str, str | None]:
    return {column.header: column.field for column in proposal.columns}


KINDS = [
    (["N° de mandat", "Date du mandat", "Imputation", "Bénéficiaire", "Montant TTC"], "payments"),
    (["Ville partenaire", "Pays", "Depuis", "Type"], "partnerships"),
    (["Intitulé du projet", "Pays", "Période", "Statut"], "projects"),
    (["Nom de la structure", "Catégorie", "Adresse", "Code postal", "Ville"], "actors"),
    (["Nom", "Prénom", "Fonction", "Courriel"], "people"),
    (["Délégation", "Date de la visite", "Hébergement"], "visits"),
    (["Nom", "Pays", "Population", "Code INSEE"], "authorities"),
    (["Colonne 1", "Colonne 2"], None),
]


@pytest.mark.parametrize(("headers", "kind"), KINDS)
def test_the_kind_of_record_is_proposed_from_the_headers(headers, kind):
    assert propose_kind(headers) == kind


def test_each_column_of_a_payments_sheet_gets_its_field_from_the_officers_words():
    sheet = table(
        ["N° de mandat", "Date du mandat", "Imputation", "Bénéficiaire", "Pays", "Montant TTC"],
        ["2023-0112", "12/05/2023", "65748", "Mairie de Thiès", "Sénégal", "3 870,40 €"],
    )
    proposal = propose(sheet)
    assert proposal.kind == "payments"
    assert fields(proposal) == {
        "N° de mandat": "order_number",
        "Date du mandat": "date",
        "Imputation": "budget_line",
        "Bénéficiaire": "beneficiary",
        "Pays": "country",
        "Montant TTC": "amount",
    }


def test_near_spellings_of_a_header_are_recognised():
    sheet = table(["Ville partenaires", "Pays ", "Depuis le", "Type de partenariat"])
    assert fields(propose(sheet, kind="partnerships")) == {
        "Ville partenaires": "partner",
        "Pays ": "partner_country",
        "Depuis le": "started_year",
        "Type de partenariat": "kind",
    }


def test_a_column_without_a_known_header_is_recognised_by_its_values():
    sheet = table(
        ["Ville partenaire", "Où", "Depuis"],
        ["Kragujevac", "Serbie", 2011],
        ["Hackney", "Royaume-Uni", 1984],
        ["Cap-Haïtien", "Haïti", 1998],
    )
    proposal = propose(sheet, kind="partnerships")
    assert fields(proposal)["Où"] == "partner_country"
    assert next(c for c in proposal.columns if c.header == "Où").why == "values"


def test_values_that_contradict_a_vague_header_win():
    sheet = table(
        ["Intitulé", "Date", "Début"],
        ["Forages", "Mairie de Thiès", "03/2019"],
        ["École", "Mairie de Bafoussam", "2020"],
    )
    assert fields(propose(sheet, kind="projects"))["Début"] == "planned_start"
    assert fields(propose(sheet, kind="projects"))["Date"] is None


def test_the_signature_of_a_file_ignores_the_order_and_spelling_of_its_headers():
    assert signature(["Pays", "Ville partenaire"]) == signature(["VILLE PARTENAIRE", "pays"])
    assert signature(["Pays"]) != signature(["Pays", "Depuis"])


def test_a_mapping_is_remembered_for_the_authority_and_offered_for_the_same_shape(
    city_a, city_b, officer_a, officer_b
):
    headers = ["Commune jumelle", "Pays", "Depuis"]
    proposal = propose(table(headers), kind="partnerships")
    proposal.columns[0].field = "partner"  # the officer says which column is the partner
    remember_mapping(member=city_a, user=officer_a, proposal=proposal, headers=headers)

    stored = ColumnMapping.objects.get()
    assert (stored.authority, stored.kind) == (city_a, "partnerships")
    assert stored.mapping == {
        "commune jumelle": "partner",
        "pays": "partner_country",
        "depuis": "started_year",
    }
    assert AuditEntry.objects.filter(model="reporting.columnmapping").count() == 1

    kind, mapping = remembered_mapping(city_a, ["Depuis", "PAYS", "Commune jumelle"])
    assert kind == "partnerships"
    again = propose(table(["Depuis", "PAYS", "Commune jumelle"]), kind=kind, remembered=mapping)
    assert fields(again) == {
        "Depuis": "started_year",
        "PAYS": "partner_country",
        "Commune jumelle": "partner",
    }
    assert remembered_mapping(city_b, headers) is None  # another authority's is not offered
    assert not ColumnMapping.objects.for_user(officer_b).exists()

    # Remembering the same mapping again writes nothing.
    remember_mapping(member=city_a, user=officer_a, proposal=proposal, headers=headers)
    assert ColumnMapping.objects.get().version == stored.version
