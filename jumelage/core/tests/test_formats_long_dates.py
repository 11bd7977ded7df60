"""Long dates in the reader's language: French writes the first of the month "1er" (1er janvier
2026, lundi 1er juin 2026) and the other days as numbers; English stays as Django writes it; a
moment is written in local time, so one stored just before midnight UTC may be the 1st."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from jumelage.core.formats import long_date

NEW_YEAR = datetime.date(2026, 1, 1)
# 23:30 UTC on 31 December is 00:30 on 1 January in Paris (UTC+1 in winter).
NEW_YEAR_MIDNIGHT_UTC = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)


@pytest.fixture
def paris(settings):
    settings.TIME_ZONE = "Europe/Paris"
    timezone.activate("Europe/Paris")
    yield
    timezone.deactivate()


@pytest.mark.parametrize(
    ("day", "pattern", "written"),
    [
        (NEW_YEAR, "DATE_FORMAT", "1er janvier 2026"),
        (datetime.date(2026, 1, 2), "DATE_FORMAT", "2 janvier 2026"),
        (datetime.date(2026, 1, 11), "DATE_FORMAT", "11 janvier 2026"),
        (datetime.date(2026, 1, 21), "DATE_FORMAT", "21 janvier 2026"),
        (datetime.date(2026, 6, 1), "l j F Y", "lundi 1er juin 2026"),
        (datetime.date(2026, 6, 2), "l j F Y", "mardi 2 juin 2026"),
        (datetime.date(2026, 6, 1), "l j F", "lundi 1er juin"),
        # Month and year, short and machine forms have no day to write out.
        (datetime.date(2026, 6, 1), "F Y", "juin 2026"),
        (datetime.date(2026, 6, 1), "SHORT_DATE_FORMAT", "01/06/2026"),
        (datetime.date(2026, 6, 1), "Y-m-d", "2026-06-01"),
        # An escaped "j" is a letter, not the day.
        (datetime.date(2026, 6, 1), r"j \j F", "1er j juin"),
    ],
)
def test_french_writes_the_first_of_the_month_as_an_ordinal(day, pattern, written):
    with translation.override("fr"):
        assert long_date(day, pattern) == written


@pytest.mark.parametrize(
    ("day", "pattern", "written"),
    [
        (NEW_YEAR, "DATE_FORMAT", "Jan. 1, 2026"),
        (datetime.date(2026, 1, 2), "DATE_FORMAT", "Jan. 2, 2026"),
        (datetime.date(2026, 6, 1), "l j F Y", "Monday 1 June 2026"),
    ],
)
def test_english_is_written_as_django_writes_it(day, pattern, written):
    with translation.override("en"):
        assert long_date(day, pattern) == written


def test_a_moment_is_written_on_its_local_day(paris):
    with translation.override("fr"):
        assert long_date(NEW_YEAR_MIDNIGHT_UTC, "DATETIME_FORMAT") == "1er janvier 2026 00:30"
        assert long_date(NEW_YEAR_MIDNIGHT_UTC) == "1er janvier 2026"
        # Half an hour earlier, still the last day of the year in Paris.
        earlier = NEW_YEAR_MIDNIGHT_UTC - datetime.timedelta(hours=1)
        assert long_date(earlier, "DATETIME_FORMAT") == "31 décembre 2025 23:30"
    with translation.override("en"):
        assert long_date(NEW_YEAR_MIDNIGHT_UTC, "DATETIME_FORMAT") == "Jan. 1, 2026, 12:30 a.m."


def test_no_date_is_an_empty_text():
    assert long_date(None) == ""
    assert long_date("") == ""  # type: ignore[arg-type]


@pytest.mark.parametrize("library", ["public_tags", "workspace_tags", "reporting_tags"])
def test_the_template_filters_write_the_same(library, paris):
    template = Template(
        "{% load " + library + " %}{{ day|long_date }} · {{ day|long_date:'l j F Y'|capfirst }} · "
        "{{ moment|long_date:'DATETIME_FORMAT' }} · [{{ nothing|long_date }}]"
    )
    context = Context({"day": datetime.date(2026, 6, 1), "moment": NEW_YEAR_MIDNIGHT_UTC})
    with translation.override("fr"):
        assert template.render(context) == (
            "1er juin 2026 · Lundi 1er juin 2026 · 1er janvier 2026 00:30 · []"
        )
    with translation.override("en"):
        assert template.render(context) == (
            "June 1, 2026 · Monday 1 June 2026 · Jan. 1, 2026, 12:30 a.m. · []"
        )
