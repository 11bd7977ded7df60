"""Opening hours, "open now" in the service's time zone, and dialable phone numbers."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from jumelage.public.contact import dialable, hours_by_day, open_state

PARIS = ZoneInfo("Europe/Paris")
T = datetime.time
# Monday to Thursday 9:00-12:30 and 13:30-18:00; Friday until 17:00 (Suresnes).
HOURS = [
    *[(day, T(9), T(12, 30)) for day in range(5)],
    *[(day, T(13, 30), T(18)) for day in range(4)],
    (4, T(13, 30), T(17)),
]


def at(day: str, hour: int, minute: int = 0, tz: ZoneInfo = PARIS) -> datetime.datetime:
    return datetime.datetime.combine(datetime.date.fromisoformat(day), T(hour, minute), tz)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_it_is_open_during_a_period_and_says_until_when():
    state = open_state(HOURS, at("2026-11-23", 10))  # a Monday
    assert state.is_open
    assert state.message == "Open now, until 12:30 p.m."


def test_it_is_closed_at_lunch_and_says_when_it_opens_again():
    state = open_state(HOURS, at("2026-11-23", 12, 45))
    assert not state.is_open
    assert state.message == "Closed now; opens today at 1:30 p.m."


def test_on_friday_evening_it_opens_again_on_monday():
    state = open_state(HOURS, at("2026-11-27", 17, 15))  # Friday after 17:00
    assert not state.is_open
    assert state.message == "Closed now; opens on Monday at 9 a.m."


def test_on_sunday_it_opens_tomorrow():
    assert open_state(HOURS, at("2026-11-29", 11)).message == "Closed now; opens tomorrow at 9 a.m."


def test_the_time_is_read_in_paris_whatever_the_clock_of_the_server():
    # 8:30 UTC in winter is 9:30 in Paris: open.
    assert open_state(HOURS, at("2026-11-23", 8, 30, ZoneInfo("UTC"))).is_open
    # 16:30 UTC in summer is 18:30 in Paris: closed.
    assert not open_state(HOURS, at("2026-06-22", 16, 30, ZoneInfo("UTC"))).is_open


def test_an_overseas_service_opens_on_its_own_time():
    # Monday 7:00 in Paris (winter) is 10:00 in La Réunion and 2:00 in Martinique.
    paris_7 = at("2026-11-23", 7)
    assert not open_state(HOURS, paris_7).is_open
    assert open_state(HOURS, paris_7, time_zone="Indian/Reunion").is_open
    assert open_state(HOURS, paris_7, time_zone="America/Martinique").message == (
        "Closed now; opens today at 9 a.m."
    )


def test_without_hours_nothing_is_claimed():
    assert open_state([], at("2026-11-23", 10)) is None


def test_hours_are_grouped_by_day_monday_first():
    days = hours_by_day(list(reversed(HOURS)))
    assert [day.weekday for day in days] == [0, 1, 2, 3, 4]
    assert days[4].name == "Friday"
    assert days[4].periods == [(T(9), T(12, 30)), (T(13, 30), T(17))]


@pytest.mark.parametrize(
    ("written", "country", "expected"),
    [
        ("01 42 04 96 77", "FR", "+33142049677"),
        ("01.42.04.96.77", "FR", "+33142049677"),
        ("+33 1 42 04 96 77", "FR", "+33142049677"),
        ("0033 1 42 04 96 77", "FR", "+33142049677"),
        ("0262 12 34 56", "FR", "+262262123456"),  # La Réunion
        ("0692 12 34 56", "RE", "+262692123456"),  # a Réunion mobile, country given as RE
        ("0269 61 12 34", "FR", "+262269611234"),  # Mayotte
        ("05 90 12 34 56", "FR", "+590590123456"),  # Guadeloupe
        ("0596 12 34 56", "MQ", "+596596123456"),  # Martinique
        ("0594 12 34 56", "FR", "+594594123456"),  # French Guiana
        ("05 08 41 23 45", "FR", "+508412345"),  # Saint-Pierre-et-Miquelon
        ("0221 123 45", "DE", "022112345"),
        ("", "FR", ""),
    ],
)
def test_a_phone_number_becomes_dialable(written, country, expected):
    assert dialable(written, country) == expected
