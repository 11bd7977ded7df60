"""`project_save`: a project with its partnerships, countries and sectors written as one edit
(the workspace's project form), its version checked once, a refusal writing nothing; and the
usual sectors and Atlas themes an authority's lists offer first."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jumelage.audit.models import AuditEntry
from jumelage.core.tests.factories import AtlasThemeFactory, CodelistItemFactory, CountryFactory
from jumelage.partners.tests.factories import PartnershipFactory
from jumelage.projects.models import Project
from jumelage.projects.selectors import usual_atlas_themes, usual_sectors
from jumelage.projects.services import project_save
from jumelage.projects.tests.factories import (
    ProjectCountryFactory,
    ProjectFactory,
    ProjectSectorFactory,
    TransactionFactory,
)
from jumelage.tenancy.services import ConcurrentEditError

pytestmark = pytest.mark.django_db


@pytest.fixture
def codes(db):
    CountryFactory(code="HT")
    CountryFactory(code="RS")
    CodelistItemFactory(code="15112")
    CodelistItemFactory(code="14030", name_en="Basic drinking water supply")


def test_a_new_project_is_written_with_its_lists_at_version_one(city_a, officer_a, codes):
    partnership = PartnershipFactory(authority=city_a)
    project = project_save(
        project=Project(authority=city_a, slug="eau", title={"fr": "Eau"}),
        user=officer_a,
        expected_version=None,
        partnerships=[partnership],
        countries=[
            {"country": "HT", "percentage": Decimal("66.7")},
            {"country": "RS", "percentage": "33.3"},
        ],
        sectors=[{"code": "14030"}],
    )
    project.refresh_from_db()
    assert project.version == 1
    assert list(project.partnerships.all()) == [partnership]
    assert sorted(project.countries.values_list("country_id", "percentage")) == [
        ("HT", Decimal("66.70")),
        ("RS", Decimal("33.30")),
    ]
    assert list(project.sectors.values_list("code", "percentage")) == [("14030", Decimal(100))]


def test_a_change_moves_the_version_on_once(city_a, officer_a, codes):
    project = ProjectFactory(authority=city_a, version=4)
    ProjectCountryFactory(project=project, country=CountryFactory(code="HT"))
    project.title = {"fr": "Nouveau titre"}
    saved = project_save(
        project=project,
        user=officer_a,
        expected_version=4,
        countries=[{"country": "RS"}],
        sectors=[{"code": "15112"}],
    )
    assert saved.version == 5
    project.refresh_from_db()
    assert project.version == 5 and project.title == {"fr": "Nouveau titre"}
    assert list(project.countries.values_list("country_id", flat=True)) == ["RS"]


def test_a_bad_split_after_the_project_writes_nothing_at_all(city_a, officer_a, codes):
    project = ProjectFactory(authority=city_a, title={"fr": "Avant"}, version=2)
    ProjectSectorFactory(project=project, code="15112")
    project.title = {"fr": "Après"}
    with pytest.raises(ValidationError, match="add up to 110"):
        project_save(
            project=project,
            user=officer_a,
            expected_version=2,
            sectors=[{"code": "15112", "percentage": 60}, {"code": "14030", "percentage": 50}],
        )
    project.refresh_from_db()
    assert project.title == {"fr": "Avant"} and project.version == 2
    assert list(project.sectors.values_list("code", flat=True)) == ["15112"]
    assert not AuditEntry.objects.exists()


def test_a_stale_version_is_refused(city_a, officer_a, codes):
    project = ProjectFactory(authority=city_a, title={"fr": "Avant"}, version=3)
    project.title = {"fr": "Après"}
    with pytest.raises(ConcurrentEditError):
        project_save(project=project, user=officer_a, expected_version=2, countries=[])
    project.refresh_from_db()
    assert project.title == {"fr": "Avant"} and project.version == 3


def test_another_authoritys_officer_and_a_viewer_cannot_write(city_a, officer_b, viewer_a, codes):
    project = ProjectFactory(authority=city_a, title={"fr": "Avant"}, version=1)
    for user in (officer_b, viewer_a):
        project.title = {"fr": "Après"}
        with pytest.raises(PermissionDenied):
            project_save(project=project, user=user, expected_version=1)
    with pytest.raises(PermissionDenied):
        project_save(
            project=Project(authority=city_a, slug="x", title={"fr": "X"}),
            user=officer_b,
            expected_version=None,
        )
    project.refresh_from_db()
    assert project.title == {"fr": "Avant"}
    assert Project.objects.count() == 1


def test_usual_sectors_and_themes_are_the_authoritys_own_most_used_first(city_a, city_b):
    for _n in range(2):
        ProjectSectorFactory(project=ProjectFactory(authority=city_a), code="14030")
    TransactionFactory(project=ProjectFactory(authority=city_a), sector_code="15112")
    ProjectSectorFactory(project=ProjectFactory(authority=city_b), code="11110")
    theme = AtlasThemeFactory(level=3)
    ProjectFactory(authority=city_a, atlas_theme=theme)
    ProjectFactory(authority=city_b, atlas_theme=AtlasThemeFactory(level=3))

    assert usual_sectors(city_a.pk) == ["14030", "15112"]
    assert usual_sectors(city_b.pk) == ["11110"]
    assert usual_atlas_themes(city_a.pk) == [theme.pk]


def test_an_unknown_sdg_target_refuses_the_whole_edit(city_a, officer_a, codes):
    """The SDG targets are checked by the project's own rule (`sdg_targets_are_codes`) inside
    the one edit: a refusal writes neither the project nor its lists."""
    CodelistItemFactory(codelist="UNSDG-Targets", code="6.1", name_en="Drinking water")
    project = ProjectFactory(authority=city_a, title={"fr": "Avant"}, version=1)
    ProjectCountryFactory(project=project, country=CountryFactory(code="HT"))
    project.title = {"fr": "Après"}
    project.sdg_targets = ["6.1", "6.9"]
    project.oda_purpose = Project.OdaPurpose.DEVELOPMENT
    project.iati_identifier = "FR-RCS-123456789-EAU"
    with pytest.raises(ValidationError) as refused:
        project_save(
            project=project,
            user=officer_a,
            expected_version=1,
            countries=[{"country": "RS"}],
            sectors=[{"code": "14030"}],
        )
    assert "“6.9” is not a code" in refused.value.message_dict["sdg_targets"][0]
    project.refresh_from_db()
    assert project.title == {"fr": "Avant"} and project.sdg_targets == []
    assert project.oda_purpose == Project.OdaPurpose.NOT_CHECKED
    assert project.iati_identifier == "" and project.version == 1
    assert list(project.countries.values_list("country_id", flat=True)) == ["HT"]
    assert not project.sectors.exists()
    assert not AuditEntry.objects.filter(object_id=str(project.pk)).exists()
