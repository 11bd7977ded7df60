"""Dates as officers write them, French first and day first."""

from __future__ import annotations

import datetime

import pytest

from jumelage.core.values import CellProblem, date, period, read_date, year

D = datetime.date

READ = [
    # (cell, start, end, precision)
    ("12 mai 1984", D(1984, 5, 12), None, "day"),
    ("1er mars 2020", D(2020, 3, 1), None, "day"),
    ("12/05/84", D(1984, 5, 12), None, "day"),
    ("12/05/1984", D(1984, 5, 12), None, "day"),
    ("12.05.1984", D(1984, 5, 12), None, "day"),
    ("12-05-1984", D(1984, 5, 12), None, "day"),
    ("1984-05-12", D(1984, 5, 12), None, "day"),
    ("05/03/12", D(2012, 3, 5), None, "day"),
    ("03/1998", D(1998, 3, 1), None, "month"),
    ("mai 1998", D(1998, 5, 1), None, "month"),
    ("Mars 98", D(1998, 3, 1), None, "month"),
    ("1998", D(1998, 1, 1), None, "year"),
    (1998, D(1998, 1, 1), None, "year"),
    ("2019-2022", D(2019, 1, 1), D(2022, 12, 31), "year"),
    ("2019 \u2013 2022", D(2019, 1, 1), D(2022, 12, 31), "year"),  # an en dash
    ("2019/22", D(2019, 1, 1), D(2022, 12, 31), "year"),
    ("01/2019 - 06/2020", D(2019, 1, 1), D(2020, 6, 30), "month"),
    ("du 12/05/2019 au 30/06/2020", D(2019, 5, 12), D(2020, 6, 30), "day"),
    (45123, D(2023, 7, 16), None, "day"),  # an Excel serial number
    (45123.0, D(2023, 7, 16), None, "day"),
    (datetime.datetime(2023, 7, 16, 10, 30), D(2023, 7, 16), None, "day"),
    (D(2023, 7, 16), D(2023, 7, 16), None, "day"),
    ("15 June 2020", D(2020, 6, 15), None, "day"),
]


@pytest.mark.parametrize(("cell", "start", "end", "precision"), READ)
def test_it_reads_the_date_an_officer_wrote(cell, start, end, precision):
    found = read_date(cell)
    assert (found.start, found.end, found.precision) == (start, end, precision)


REFUSED = ["31/02/2024", "13/13/2020", "bientôt", "12 mai", "2022-2019", "-", True, 12.5]


@pytest.mark.parametrize("cell", REFUSED)
def test_it_refuses_what_is_not_a_date_and_says_how_to_write_one(cell):
    with pytest.raises(CellProblem) as caught:
        read_date(cell)
    assert "is not a date; write it as day/month/year, for example 31/12/2025" in str(caught.value)


def test_a_date_column_takes_the_first_day_of_a_month_and_refuses_a_period():
    assert date("03/1998") == D(1998, 3, 1)
    with pytest.raises(CellProblem, match="is a period, where one date is expected"):
        date("2019-2022")


def test_a_period_column_takes_a_start_and_an_end():
    assert period("2019-2022") == (D(2019, 1, 1), D(2022, 12, 31))
    assert period("12/05/2019") == (D(2019, 5, 12), None)
    assert period("2019") == (D(2019, 1, 1), None)


def test_a_year_column_takes_the_year_of_a_date():
    assert year("03/1998") == 1998
    assert year("12 mai 1984") == 1984
    assert year(1998) == 1998
    with pytest.raises(CellProblem, match="is several years"):
        year("2019-2022")
