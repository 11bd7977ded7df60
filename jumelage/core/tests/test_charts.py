"""Charts drawn on the server: the largest amount takes the whole length, the others in
proportion; labels are shortened (the table keeps them whole); coordinates are written as SVG
reads them in every language; nothing the Content-Security-Policy refuses."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import override
from lxml import etree

from jumelage.core.charts import LABEL_WIDTH, VALUE_WIDTH, WIDTH, columns, horizontal_bars


def text(amount: Decimal) -> str:
    return f"{amount} EUR"


def test_bars_are_in_proportion_and_the_largest_fills_the_room():
    chart = horizontal_bars(
        "c",
        "Money by country",
        [("Haiti", Decimal("12000")), ("Serbia", Decimal("3000")), ("Nowhere", Decimal(0))],
        value_text=text,
    )
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    assert [bar.width for bar in chart.bars] == [room, room / 4, 0]
    assert [bar.value_text for bar in chart.bars] == ["12000 EUR", "3000 EUR", "0 EUR"]


def test_long_labels_are_shortened_and_rows_past_the_limit_left_to_the_table():
    rows = [
        ("Government & Civil Society-general and more words", Decimal(n + 1)) for n in range(12)
    ]
    chart = horizontal_bars("c", "t", rows, value_text=text, limit=10)
    assert len(chart.bars) == 10
    assert chart.bars[0].label.endswith("…") and len(chart.bars[0].label) <= 30


def test_the_svg_is_valid_in_french_and_has_no_inline_style_or_script():
    with override("fr"):
        svg = str(
            columns(
                "years",
                "Dépenses de 2021 à 2025",
                [(str(y), Decimal(y - 2020) * Decimal("1000.5")) for y in range(2021, 2026)],
                value_text=text,
                highlight="2025",
            ).svg()
        )
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert etree.fromstring(svg.encode()).tag == "{http://www.w3.org/2000/svg}svg"  # well formed
    assert 'role="img" aria-labelledby="years-title"' in svg
    assert '<title id="years-title">Dépenses de 2021 à 2025</title>' in svg
    numbers = re.findall(r' (?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', svg)
    assert numbers and all(re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", n) for n in numbers), numbers
    assert "style" not in svg and "<script" not in svg
    assert svg.count("<rect") == 5


def test_labels_are_escaped():
    svg = str(horizontal_bars("c", "t", [("<b>A&B</b>", Decimal(1))], value_text=text).svg())
    assert "<b>" not in svg and "&lt;b&gt;A&amp;B" in svg
