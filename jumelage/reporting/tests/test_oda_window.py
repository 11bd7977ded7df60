"""The yearly window of the ODA declaration, from the ODA_DECLARATION_WINDOW setting."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from jumelage.reporting.oda.window import declaration_window


def test_before_the_window_it_counts_the_days_until_it_opens_for_last_years_flows():
    window = declaration_window(datetime.date(2026, 4, 5))
    assert (window.opens, window.closes) == (datetime.date(2026, 4, 15), datetime.date(2026, 5, 31))
    assert window.year == 2025
    assert not window.is_open
    assert window.days_to_open == 10


def test_during_the_window_it_is_open_with_the_days_left():
    window = declaration_window(datetime.date(2026, 5, 21))
    assert window.is_open
    assert window.days_left == 10
    assert window.year == 2025


def test_on_the_first_and_last_days_the_window_is_open():
    assert declaration_window(datetime.date(2026, 4, 15)).is_open
    last = declaration_window(datetime.date(2026, 5, 31))
    assert last.is_open
    assert last.days_left == 0


def test_after_the_window_it_shows_next_years_window_for_this_years_flows():
    window = declaration_window(datetime.date(2026, 6, 1))
    assert window.opens == datetime.date(2027, 4, 15)
    assert window.year == 2026
    assert not window.is_open


def test_the_window_follows_the_setting(settings):
    settings.ODA_DECLARATION_WINDOW = ("03-01", "06-30")
    window = declaration_window(datetime.date(2026, 6, 15))
    assert window.is_open
    assert window.closes == datetime.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (("4-15", "05-31"), 'not a day of the year written as "MM-DD"'),
        (("02-29", "05-31"), "29 February excluded"),
        (("04-31", "05-31"), "not a day of the year"),
        (("05-31", "04-15"), "closes (04-15) before it opens (05-31)"),
        ("04-15", "give two days"),
    ],
)
def test_a_wrong_setting_is_refused_with_what_to_write(settings, value, message):
    settings.ODA_DECLARATION_WINDOW = value
    with pytest.raises(ImproperlyConfigured) as raised:
        declaration_window(datetime.date(2026, 1, 1))
    assert message in str(raised.value)
