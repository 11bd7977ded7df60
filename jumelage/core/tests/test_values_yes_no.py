"""Yes and no as officers write them."""

from __future__ import annotations

import pytest

from jumelage.core.values import CellProblem, boolean

READ = [
    ("oui", True),
    ("Oui", True),
    ("OUI ", True),
    ("x", True),
    ("X", True),
    ("vrai", True),
    ("yes", True),
    ("✓", True),
    (1, True),
    (True, True),
    ("non", False),
    ("Non", False),
    ("faux", False),
    ("no", False),
    ("0", False),
    (0, False),
    (False, False),
]


@pytest.mark.parametrize(("cell", "value"), READ)
def test_it_reads_yes_and_no(cell, value):
    assert boolean(cell) is value


@pytest.mark.parametrize("cell", ["peut-être", "2", "oui/non"])
def test_it_refuses_what_is_neither(cell):
    with pytest.raises(CellProblem, match="is neither yes nor no"):
        boolean(cell)
