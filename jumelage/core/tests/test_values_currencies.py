"""Currencies from their symbols and the words officers use; the CFA franc by the partner's
country."""

from __future__ import annotations

import pytest

from jumelage.core.values import CellProblem, currency, currency_of

READ = [
    ("€", None, "EUR"),
    ("EUR", None, "EUR"),
    ("euros", None, "EUR"),
    ("Euro", None, "EUR"),
    ("FCFA", "SN", "XOF"),
    ("F CFA", "BF", "XOF"),
    ("francs CFA", "CI", "XOF"),
    ("FCFA", "CM", "XAF"),
    ("FCFA", "GA", "XAF"),
    ("XOF", "CM", "XOF"),  # a code is taken as written
    ("gourdes", "HT", "HTG"),
    ("HTG", None, "HTG"),
    ("$", None, "USD"),
    ("$", "HT", "USD"),
    ("$", "CA", "CAD"),
    ("dollars", "AU", "AUD"),
    ("dinars", "RS", "RSD"),
    ("dinars", "TN", "TND"),
    ("DH", "MA", "MAD"),
    ("lei", "RO", "RON"),
    ("lei", "MD", "MDL"),
    ("francs comoriens", "KM", "KMF"),
    ("ariary", "MG", "MGA"),
    ("£", None, "GBP"),
    ("shekels", "IL", "ILS"),
    ("usd", None, "USD"),
]


@pytest.mark.parametrize(("word", "country", "code"), READ)
def test_it_finds_the_currency_of_a_word_or_symbol(word, country, code):
    assert currency(word, country) == code


def test_a_word_that_names_no_currency_is_refused_with_an_example():
    assert currency_of("bananes") is None
    assert currency_of("dinars") is None  # which dinar? the country says
    with pytest.raises(CellProblem, match="write its three-letter code, for example EUR"):
        currency("bananes")
    with pytest.raises(CellProblem, match=r"West African \(XOF\) or the Central African \(XAF\)"):
        currency("FCFA")
