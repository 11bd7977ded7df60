"""Sector and recipient-country percentages split 100 % (IATI rules, GUIDE §5.2)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jumelage.core.tests.factories import CountryFactory
from jumelage.projects.models import ProjectCountry, ProjectSector
from jumelage.projects.services import project_set_countries, project_set_sectors
from jumelage.projects.tests.factories import (
    ProjectCountryFactory,
    ProjectFactory,
    ProjectSectorFactory,
)
from jumelage.projects.validators import (
    validate_country_percentages,
    validate_percentage_split,
    validate_sector_percentages,
)


def _split(*shares):
    validate_percentage_split(shares, what="the sectors", one="sector")


def test_percentages_that_add_up_to_100_pass_even_with_rounding():
    _split(("A", "33.33"), ("B", "33.33"), ("C", "33.34"))
    _split(("A", Decimal("60")), ("B", Decimal("40")))
    _split()


def test_percentages_that_do_not_add_up_to_100_are_refused_with_their_total():
    with pytest.raises(ValidationError, match="add up to 90"):
        _split(("A", "50"), ("B", "40"))
    with pytest.raises(ValidationError, match=r"add up to 100\.01"):
        _split(("A", "33.34"), ("B", "33.34"), ("C", "33.33"))


def test_a_single_row_must_be_100_or_omitted():
    _split(("A", None))
    _split(("A", "100"))
    with pytest.raises(ValidationError, match="counts for 100"):
        _split(("A", "80"))


def test_with_several_rows_each_needs_a_percentage():
    with pytest.raises(ValidationError, match="give each a percentage"):
        _split(("A", "100"), ("B", None))


def test_a_row_listed_twice_or_out_of_range_is_refused():
    with pytest.raises(ValidationError, match="listed twice"):
        _split(("A", "50"), ("A", "50"))
    with pytest.raises(ValidationError, match="between 0 and 100"):
        _split(("A", "150"), ("B", "-50"))


def test_each_sector_vocabulary_adds_up_to_100_on_its_own():
    validate_sector_percentages([("1", "15112", "60"), ("1", "15150", "40"), ("2", "151", "100")])
    with pytest.raises(ValidationError, match="3 digits"):
        validate_sector_percentages([("1", "15112", "100"), ("2", "151", "50"), ("2", "140", "40")])


def test_country_percentages_add_up_to_100():
    validate_country_percentages([("HT", "70"), ("RS", "30")])
    with pytest.raises(ValidationError, match="recipient countries"):
        validate_country_percentages([("HT", "70"), ("RS", "20")])


# --- The services -----------------------------------------------------------------------------


@pytest.fixture
def project(city_a):
    return ProjectFactory(authority=city_a)


def test_set_sectors_replaces_every_row(project, officer_a):
    old = ProjectSectorFactory(project=project, code="15112", percentage=50)
    ProjectSectorFactory(project=project, code="99810", percentage=50)
    project_set_sectors(
        project=project,
        user=officer_a,
        sectors=[{"code": "15112", "percentage": "70"}, {"code": "14030", "percentage": "30"}],
        expected_version=project.version,
    )
    rows = dict(project.sectors.values_list("code", "percentage"))
    assert rows == {"15112": Decimal("70.00"), "14030": Decimal("30.00")}
    assert project.sectors.get(code="15112").pk == old.pk


def test_set_sectors_gives_100_to_a_single_sector_without_percentage(project, officer_a):
    project_set_sectors(
        project=project,
        user=officer_a,
        sectors=[{"code": "15112"}],
        expected_version=project.version,
    )
    assert project.sectors.get().percentage == 100


def test_set_sectors_writes_nothing_when_percentages_do_not_add_up(project, officer_a):
    ProjectSectorFactory(project=project, code="15112", percentage=100)
    with pytest.raises(ValidationError, match="add up to 90"):
        project_set_sectors(
            project=project,
            user=officer_a,
            sectors=[{"code": "15112", "percentage": 50}, {"code": "14030", "percentage": 40}],
            expected_version=project.version,
        )
    assert list(project.sectors.values_list("code", "percentage")) == [("15112", Decimal(100))]


def test_set_sectors_writes_nothing_when_one_code_is_wrong(project, officer_a):
    ProjectSectorFactory(project=project, code="15112", percentage=100)
    with pytest.raises(ValidationError, match="5 digits"):
        project_set_sectors(
            project=project,
            user=officer_a,
            sectors=[{"code": "14030", "percentage": 50}, {"code": "151", "percentage": 50}],
            expected_version=project.version,
        )
    assert list(project.sectors.values_list("code", flat=True)) == ["15112"]


def test_set_countries_replaces_every_row(project, officer_a):
    ProjectCountryFactory(project=project)  # HT, 100 %
    serbia = CountryFactory(code="RS")
    project_set_countries(
        project=project,
        user=officer_a,
        countries=[{"country": "HT", "percentage": "60"}, {"country": serbia, "percentage": 40}],
        expected_version=project.version,
    )
    rows = dict(project.countries.values_list("country_id", "percentage"))
    assert rows == {"HT": Decimal("60.00"), "RS": Decimal("40.00")}


def test_set_countries_writes_nothing_when_percentages_do_not_add_up(project, officer_a):
    ProjectCountryFactory(project=project)
    CountryFactory(code="RS")
    with pytest.raises(ValidationError):
        project_set_countries(
            project=project,
            user=officer_a,
            countries=[{"country": "HT", "percentage": 60}, {"country": "RS", "percentage": 60}],
            expected_version=project.version,
        )
    assert list(project.countries.values_list("country_id", "percentage")) == [("HT", Decimal(100))]


def test_set_sectors_and_countries_refuse_another_authority(project, officer_b, contributor_a):
    for user in (officer_b, contributor_a):
        with pytest.raises(PermissionDenied):
            project_set_sectors(
                project=project,
                user=user,
                sectors=[{"code": "15112"}],
                expected_version=project.version,
            )
        with pytest.raises(PermissionDenied):
            project_set_countries(
                project=project,
                user=user,
                countries=[{"country": "FR"}],
                expected_version=project.version,
            )
    assert not ProjectSector.objects.exists()
    assert not ProjectCountry.objects.exists()
