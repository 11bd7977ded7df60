"""The workspace's import of a workbook holding an officer's people and visits: each sheet's
kind proposed, its clean rows imported (twice changes nothing), the other rows downloaded with
an error column; another authority's officer neither sees the job nor writes anything."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jumelage.actors.models import Person
from jumelage.actors.tests.factories import SkillFactory
from jumelage.partners.tests.factories import ForeignAuthorityFactory, PartnershipFactory
from jumelage.reporting.models import SpreadsheetJob
from jumelage.reporting.tests.officer_files import xlsx
from jumelage.visits.models import Visit

pytestmark = pytest.mark.django_db

PEOPLE: list[list[Any]] = [
    ["Nom", "Prénom", "Service", "Compétences", "Langues parlées", "Disponibilités", "Bénévole"],
    ["Démo", "Claire", "État civil", "Archivage", "anglais", "mars 2026", "oui"],
    ["Exemple", "Karim", "Petite enfance", "Petite enfance", None, "03/2026-06/2026", "oui"],
]
VISITS: list[list[Any]] = [
    ["Visites 2025", None, None, None, None, None],
    ["Du", "Au", "Ville", "Sens", "Participants", "Coût"],
    ["12 mai 2025", "15 mai 2025", "Cap-Haïtien", "déplacement", "Claire Démo", "1 200,00 €"],
    ["03/2026", None, "Holon", "accueil", "Karim Exemple", "beaucoup"],
]


@pytest.fixture
def records(db, city_a, city_b):
    SkillFactory(name="Archivage")
    SkillFactory(name="Petite enfance")
    SkillFactory(name="Anglais")
    PartnershipFactory(authority=city_a, partner=ForeignAuthorityFactory(name="Cap-Haïtien"))
    PartnershipFactory(
        authority=city_a, partner=ForeignAuthorityFactory(name="Holon", country__code="IL")
    )


def upload(client: Any, slug: str) -> SpreadsheetJob:
    content = xlsx({"Agents": PEOPLE, "Visites": VISITS})
    client.post(
        reverse("workspace:imports", args=[slug]),
        {"file": SimpleUploadedFile("suivi.xlsx", content)},
    )
    return SpreadsheetJob.objects.filter(kind="check").latest("pk")


def test_each_sheet_is_recognised_and_its_clean_rows_go_in_once(
    client, officer_a, city_a, city_b, records
):
    client.force_login(officer_a)
    job = upload(client, city_a.slug)
    people, visits = job.sheets
    assert (people["kind"], people["ready"], people["problem_rows"]) == ("people", 2, [])
    assert (visits["kind"], visits["ready"], visits["problem_rows"]) == ("visits", 1, [4])
    page = client.get(reverse("workspace:import_job", args=[city_a.slug, job.pk]))
    assert "Sheet “Agents”: people" in page.content.decode()

    for index in (0, 1):
        client.post(reverse("workspace:import_start", args=[city_a.slug, job.pk]), {"sheet": index})
        done = SpreadsheetJob.objects.filter(kind="import").latest("pk")
        assert done.status == "done", done.message

    assert sorted(
        (p.last_name, p.availability, sorted(s.name for s in p.skills.all()))
        for p in Person.objects.filter(authority=city_a)
    ) == [
        ("Démo", "March 2026", ["Anglais", "Archivage"]),
        ("Exemple", "March 2026 to June 2026", ["Petite enfance"]),
    ]
    assert [(v.other_party, v.partnership.partner.name) for v in Visit.objects.all()] == [
        ("", "Cap-Haïtien")
    ]
    assert not Person.objects.filter(authority=city_b).exists()
    versions = sorted(Person.objects.values_list("pk", "version"))

    again = upload(client, city_a.slug)
    assert [sheet["remembered"] for sheet in again.sheets] == [True, True]
    client.post(reverse("workspace:import_start", args=[city_a.slug, again.pk]), {"sheet": 0})
    done = SpreadsheetJob.objects.filter(kind="import").latest("pk")
    assert done.counts == {"create": 0, "update": 0, "unchanged": 2}
    assert sorted(Person.objects.values_list("pk", "version")) == versions


def test_the_visit_with_a_problem_downloads_with_its_error(client, officer_a, city_a, records):
    client.force_login(officer_a)
    job = upload(client, city_a.slug)

    response = client.get(
        reverse("workspace:import_rows_to_fix", args=[city_a.slug, job.pk]), {"sheet": 1}
    )

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Problems to fix", "Du", "Au", "Ville", "Sens", "Participants", "Coût")
    assert len(rows) == 2
    assert rows[1][0].startswith("Coût : “beaucoup” is not an amount")
    assert not Visit.objects.exists()


def test_another_authority_s_officer_neither_sees_the_job_nor_imports_it(
    client, officer_a, officer_b, city_a, city_b, records
):
    client.force_login(officer_a)
    job = upload(client, city_a.slug)
    client.force_login(officer_b)

    page = client.get(reverse("workspace:import_job", args=[city_b.slug, job.pk]))
    started = client.post(
        reverse("workspace:import_start", args=[city_b.slug, job.pk]), {"sheet": 0}
    )

    assert page.status_code == 404
    assert started.status_code == 404
    assert not Person.objects.exists()
