"""Funders' calls closing soon, matched to the projects of one authority that still seek money:
by country and theme, not those that applied already, never another authority's projects."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jumelage.core.tests.factories import AtlasThemeFactory, CountryFactory
from jumelage.projects.models import Project
from jumelage.projects.selectors import calls_that_fit
from jumelage.projects.tests.factories import (
    ApplicationFactory,
    CallFactory,
    ProjectCountryFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 3)


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def seeking(member, country: str = "HT", theme=None, status=Project.Status.FUNDING_SOUGHT):
    project = ProjectFactory(authority=member, status=status, atlas_theme=theme)
    ProjectCountryFactory(project=project, country=CountryFactory(code=country))
    return project


def fits(user, member):
    return {
        (fit.call.title, tuple(p.pk for p in fit.projects))
        for fit in calls_that_fit(user=user, authority_id=member.pk, today=TODAY)
    }


def test_a_call_fits_by_country_and_theme(city_a, officer_a):
    water = AtlasThemeFactory(code="EAU")
    haiti = seeking(city_a, "HT", water)
    serbia = seeking(city_a, "RS", water)
    CallFactory(title="Any", closes_on=day(30))
    haiti_call = CallFactory(title="Haiti", closes_on=day(30))
    haiti_call.eligible_countries.add(CountryFactory(code="HT"))
    water_call = CallFactory(title="Water", closes_on=day(30))
    water_call.eligible_themes.add(water)
    other_theme = CallFactory(title="Culture", closes_on=day(30))
    other_theme.eligible_themes.add(AtlasThemeFactory(code="CUL"))
    assert fits(officer_a, city_a) == {
        ("Any", (haiti.pk, serbia.pk)),
        ("Haiti", (haiti.pk,)),
        ("Water", (haiti.pk, serbia.pk)),
    }


def test_only_open_calls_closing_soon(city_a, officer_a):
    seeking(city_a)
    CallFactory(title="Closed", closes_on=day(-1))
    CallFactory(title="Far", closes_on=day(200))
    CallFactory(title="Not open yet", opens_on=day(5), closes_on=day(30))
    CallFactory(title="Undated", closes_on=None)
    CallFactory(title="Today", closes_on=day(0))
    assert {title for title, _projects in fits(officer_a, city_a)} == {"Today"}


def test_running_projects_and_those_that_applied_are_left_out(city_a, officer_a):
    call = CallFactory(title="Call", closes_on=day(30))
    seeking(city_a, status=Project.Status.RUNNING)
    applied = seeking(city_a)
    ApplicationFactory(project=applied, call=call)
    idea = seeking(city_a, status=Project.Status.IDEA)
    assert fits(officer_a, city_a) == {("Call", (idea.pk,))}


def test_another_authoritys_projects_never_show(city_a, city_b, officer_a, officer_b):
    CallFactory(title="Call", closes_on=day(30))
    mine = seeking(city_a)
    seeking(city_b)
    assert fits(officer_a, city_a) == {("Call", (mine.pk,))}
    assert fits(officer_b, city_a) == set()  # not a member of A: nothing of A


def test_the_cost_does_not_grow_with_calls_or_projects(city_a, city_b, officer_a):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            calls_that_fit(user=officer_a, authority_id=city_a.pk, today=TODAY)
        return len(captured)

    CallFactory(closes_on=day(30))
    seeking(city_a)
    small = count()
    for _n in range(5):
        CallFactory(closes_on=day(20)).eligible_countries.add(CountryFactory(code="HT"))
        seeking(city_a)
        seeking(city_b)
    assert count() == small == 6  # (calls, countries, themes), (projects, countries, applications)
