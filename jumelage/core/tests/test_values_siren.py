"""SIREN numbers with spaces, checked with their key (python-stdnum); a SIRET gives its SIREN."""

from __future__ import annotations

import pytest

from jumelage.core.values import CellProblem, siren

READ = [
    ("219 200 730", "219200730"),  # Suresnes
    ("219200730", "219200730"),
    ("219.200.730", "219200730"),
    ("219\u00a0200\u00a0730", "219200730"),
    (219200730, "219200730"),
    ("219 200 730 00014", "219200730"),  # the town hall's SIRET
    ("21920073000014", "219200730"),
]


@pytest.mark.parametrize(("cell", "value"), READ)
def test_it_reads_a_siren(cell, value):
    assert siren(cell) == value


def test_it_refuses_a_siren_whose_key_is_wrong_and_says_where_to_check():
    with pytest.raises(CellProblem) as caught:
        siren("219 200 731")
    assert str(caught.value) == (
        "“219 200 731” is not a valid SIREN number: its last digit does not match the others; "
        "check it on annuaire-entreprises.data.gouv.fr."
    )


@pytest.mark.parametrize("cell", ["2192007", "SIREN", "219 200 730 1"])
def test_it_refuses_what_is_not_nine_digits(cell):
    with pytest.raises(CellProblem, match="is not a SIREN number; a SIREN has nine digits"):
        siren(cell)
