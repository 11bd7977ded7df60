"""Times of day as officers write them: 14h30 in French, 14:30 or 2:30 pm in English."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.utils import translation

from jumelage.core.fields import TimeOfDayField
from jumelage.core.values import CellProblem, time_of_day

T = datetime.time


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("14h30", T(14, 30)),
        ("14 h 30", T(14, 30)),
        ("14H30", T(14, 30)),
        ("9h05", T(9, 5)),
        ("14h", T(14, 0)),
        ("8 h", T(8, 0)),
        ("14:30", T(14, 30)),
        ("14.30", T(14, 30)),
        ("09:05:00", T(9, 5)),
        ("0h00", T(0, 0)),
        ("2:30 pm", T(14, 30)),
        ("12 am", T(0, 0)),
        ("11.15 a.m.", T(11, 15)),
        (T(10, 0, 30), T(10, 0)),
    ],
)
def test_a_time_as_written(typed, read):
    assert time_of_day(typed) == read


@pytest.mark.parametrize("typed", ["24h", "14h61", "midi", "1430", "14h pm", "12/05/2025"])
def test_what_is_not_a_time_says_how_to_write_one(typed):
    with pytest.raises(CellProblem, match="for example 14h30 or 14:30"):
        time_of_day(typed)


class Item(forms.Form):
    time = TimeOfDayField(required=False)


def test_the_field_reads_a_time_and_shows_it_back_in_the_readers_habit():
    form = Item({"time": "14 h 30"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["time"] == T(14, 30)
    with translation.override("fr"):
        assert 'value="14h30"' in str(Item(initial={"time": T(14, 30)})["time"])
    with translation.override("en"):
        assert 'value="14:30"' in str(Item(initial={"time": T(14, 30)})["time"])
    # What it shows is read again the same.
    assert Item({"time": "14h30"}).is_valid()


def test_an_empty_time_is_none_and_a_bad_one_is_a_form_error():
    form = Item({"time": "  "})
    assert form.is_valid() and form.cleaned_data["time"] is None
    form = Item({"time": "demain"})
    assert not form.is_valid()
    assert "“demain” is not a time of day" in form.errors["time"][0]
