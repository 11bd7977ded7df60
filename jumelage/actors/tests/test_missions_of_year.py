"""The missions staff volunteers gave in a year, for the annual report."""

from __future__ import annotations

import datetime

import pytest

from jumelage.actors.selectors import missions_of_year
from jumelage.actors.tests.factories import MissionFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_missions_of_a_year(city_a, city_b):
    agent = PersonFactory(authority=city_a, kind="staff", is_volunteer=True)
    march = MissionFactory(person=agent, started_on=datetime.date(2025, 3, 10))
    undated = MissionFactory(person=agent, started_on=None, ended_on=datetime.date(2025, 9, 1))
    MissionFactory(person=agent, started_on=datetime.date(2024, 3, 10))
    MissionFactory(
        person=PersonFactory(authority=city_b, kind="staff"),
        started_on=datetime.date(2025, 4, 1),
    )

    assert set(missions_of_year(city_a, 2025)) == {march, undated}
