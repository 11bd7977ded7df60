"""Amounts as officers write them: French, German-style and English separators, currency signs
and words, negatives in brackets or with a sign."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jumelage.core.values import CellProblem, amount

READ = [
    # (cell, partner's country, value, currency)
    ("3 870,40 €", None, "3870.40", "EUR"),
    ("3\u202f870,40\u00a0€", None, "3870.40", "EUR"),
    ("1.234,56", None, "1234.56", None),
    ("1 234,56", None, "1234.56", None),
    ("1,234.56", None, "1234.56", None),
    ("1.500", None, "1500", None),
    ("12.5", None, "12.5", None),
    ("12,5", None, "12.5", None),
    ("45 000 000 FCFA", "SN", "45000000", "XOF"),
    ("45 000 000 F CFA", "CM", "45000000", "XAF"),
    ("(1 200)", None, "-1200", None),
    ("-1 200", None, "-1200", None),
    ("1 200-", None, "-1200", None),
    ("€ 250", None, "250", "EUR"),
    ("250 euros", None, "250", "EUR"),
    ("250 EUR", None, "250", "EUR"),
    ("12 000 gourdes", "HT", "12000", "HTG"),
    ("$1,500.00", None, "1500.00", "USD"),
    ("1 500 $", "CA", "1500", "CAD"),
    ("30 000 dinars", "RS", "30000", "RSD"),
    (3870.4, None, "3870.4", None),
    (200, None, "200", None),
    (-1200, None, "-1200", None),
]


@pytest.mark.parametrize(("cell", "country", "value", "currency"), READ)
def test_it_reads_the_amount_and_its_currency(cell, country, value, currency):
    found = amount(cell, country)
    assert (found.value, found.currency) == (Decimal(value), currency)


REFUSED = ["beaucoup", "12 000 bananes", "1 200 €  €", "(1 200", "€ 12 €", True, "12/05/2023"]


@pytest.mark.parametrize("cell", REFUSED)
def test_it_refuses_what_is_not_an_amount_and_gives_an_example(cell):
    with pytest.raises(CellProblem) as caught:
        amount(cell)
    assert "is not an amount; write a number, for example 3 870,40 or 3 870,40 €." in str(
        caught.value
    )


def test_fcfa_without_a_country_asks_which_cfa_franc():
    with pytest.raises(CellProblem, match="write XOF or XAF, or give the partner's country"):
        amount("45 000 000 FCFA")
