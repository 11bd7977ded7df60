"""Countries by their French, English or local name, a usual variant, or their ISO code."""

from __future__ import annotations

import pytest

from jumelage.core.tests.factories import all_countries
from jumelage.core.values import CellProblem, Countries

READ = [
    ("Allemagne", "DE"),
    ("Germany", "DE"),
    ("Deutschland", "DE"),
    ("allemagne", "DE"),
    ("DE", "DE"),
    ("Royaume-Uni", "GB"),
    ("Angleterre", "GB"),
    ("UK", "GB"),
    ("Haïti", "HT"),
    ("Haiti", "HT"),
    ("Ayiti", "HT"),
    ("Serbie", "RS"),
    ("Srbija", "RS"),
    ("Србија", "RS"),
    ("Sénégal", "SN"),
    ("Senegal", "SN"),
    ("Cameroun", "CM"),
    ("Cameroon", "CM"),
    ("Allemagne (DE)", "DE"),
]


@pytest.fixture(autouse=True)
def countries(db):
    all_countries()


@pytest.mark.parametrize(("cell", "code"), READ)
def test_it_finds_the_country(cell, code):
    assert Countries()(cell) == code


def test_a_near_miss_is_answered_with_the_country_it_probably_is():
    with pytest.raises(CellProblem) as caught:
        Countries()("Allemange")
    assert "(DE for Germany)" in str(caught.value)
