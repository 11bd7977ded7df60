"""Telephone numbers as officers write them."""

from __future__ import annotations

import pytest

from jumelage.core.values import CellProblem, phone

READ = [
    ("01 42 04 96 77", "01 42 04 96 77"),
    ("01.42.04.96.77", "01 42 04 96 77"),
    ("0142049677", "01 42 04 96 77"),
    ("06-12-34-56-78", "06 12 34 56 78"),
    # A spreadsheet that stored the number as a number lost its leading 0.
    (142049677, "01 42 04 96 77"),
    ("+33 1 42 04 96 77", "+33 1 42 04 96 77"),
    ("+33 (0)1 42 04 96 77", "+33 (0)1 42 04 96 77"),
    ("+509  2222-3333", "+509 2222 3333"),
]


@pytest.mark.parametrize(("cell", "value"), READ)
def test_a_telephone_number_is_read_and_tidied(cell, value):
    assert phone(cell) == value


@pytest.mark.parametrize("cell", ["voir l'accueil", "+33 1 +42", "12", 3.5, True])
def test_what_is_no_telephone_number_is_refused_with_an_example(cell):
    with pytest.raises(CellProblem) as refused:
        phone(cell)
    assert "01 42 04 96 77" in refused.value.message
