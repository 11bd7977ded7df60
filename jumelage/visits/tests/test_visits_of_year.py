"""The visits of a year, for the annual report: begun in the year, cancelled ones left out,
the authority's own only, with their number of participants."""

from __future__ import annotations

import datetime

import pytest

from jumelage.visits.models import Visit
from jumelage.visits.selectors import visits_of_year
from jumelage.visits.tests.factories import ParticipantFactory, VisitFactory

pytestmark = pytest.mark.django_db


def test_the_visits_of_a_year(city_a, city_b):
    hosted = VisitFactory(authority=city_a, starts_on=datetime.date(2025, 3, 10), ends_on=None)
    ParticipantFactory(visit=hosted)
    ParticipantFactory(visit=hosted)
    undated_start = VisitFactory(
        authority=city_a, starts_on=None, ends_on=datetime.date(2025, 11, 2)
    )
    VisitFactory(authority=city_a, starts_on=datetime.date(2025, 6, 1), status="cancelled")
    VisitFactory(authority=city_a, starts_on=datetime.date(2024, 12, 30), ends_on=None)
    VisitFactory(authority=city_b, starts_on=datetime.date(2025, 5, 1), ends_on=None)

    visits = list(visits_of_year(city_a, 2025))

    assert visits == [hosted, undated_start] or visits == [undated_start, hosted]
    assert {v.pk: v.participant_count for v in visits} == {hosted.pk: 2, undated_start.pk: 0}
    assert all(v.status != Visit.Status.CANCELLED for v in visits)
