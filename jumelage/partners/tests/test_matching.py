"""Partner towns matched to the directory as officers write them, with suggestions."""

from __future__ import annotations

import pytest

from jumelage.core.tests.factories import all_countries
from jumelage.partners.matching import Towns, town_key
from jumelage.partners.tests.factories import AuthorityFactory

KEYS = [
    ("Weißenburg in Bayern", "weissenburg in bayern"),
    ("WEISSENBURG", "weissenburg"),
    ("Saint-Étienne", "saint etienne"),
    ("St Etienne", "saint etienne"),
    ("ST-ETIENNE", "saint etienne"),
    ("Ste-Marie", "sainte marie"),
    ("Hann. Münden", "hann munden"),
    ("L\u2019Haÿ-les-Roses", "l hay les roses"),
]


@pytest.mark.parametrize(("name", "key"), KEYS)
def test_names_are_compared_without_case_accents_eszett_or_saint_abbreviations(name, key):
    assert town_key(name) == key


@pytest.fixture
def directory(db):
    all_countries()
    return {
        "weissenburg": AuthorityFactory(name="Weißenburg in Bayern", country_id="DE"),
        "wissembourg": AuthorityFactory(name="Wissembourg", country_id="FR"),
        "etienne": AuthorityFactory(name="Saint-Étienne", country_id="FR"),
        "kragujevac": AuthorityFactory(name="Kragujevac", local_name="Крагујевац", country_id="RS"),
        "hackney": AuthorityFactory(name="Hackney", country_id="GB"),
        "hackney-wick": AuthorityFactory(name="Hackney Wick", country_id="GB"),
    }


MATCHED = [
    # (as written, country, entry found, exactly)
    ("Weissenburg", "DE", "weissenburg", False),
    ("Weißenburg in Bayern", "DE", "weissenburg", True),
    ("weissenburg in bayern", None, "weissenburg", True),
    ("St Etienne", "FR", "etienne", True),
    ("Kragujevac", "RS", "kragujevac", True),
    ("Крагујевац", "RS", "kragujevac", True),
    ("Kraguievac", "RS", "kragujevac", False),
    ("Hackney", "GB", "hackney", True),
]


@pytest.mark.parametrize(("written", "country", "entry", "exact"), MATCHED)
def test_a_town_is_found_in_the_directory(directory, written, country, entry, exact):
    match = Towns().match(written, country)
    assert (match.authority, match.exact) == (directory[entry], exact)


def test_a_name_that_fits_several_entries_gets_suggestions_not_a_choice(directory):
    district = AuthorityFactory(name="Weißenburg-Gunzenhausen", kind="department", country_id="DE")
    match = Towns().match("Weissenburg", "DE")
    assert match.authority is None
    assert set(match.suggestions) == {directory["weissenburg"], district}


def test_a_town_of_another_country_is_not_matched(directory):
    match = Towns().match("Weissenburg", "FR")
    assert match.authority is None
