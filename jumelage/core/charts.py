"""Charts drawn on the server as SVG, for the report pages and their PDF files.

Plain SVG through a template (`core/charts/*.svg`) rather than a charting library: pygal
writes a `<style>` block and a `<script>` into each chart, matplotlib a `style="..."` attribute
on every shape, and the Content-Security-Policy of the pages refuses both (no inline style or
script). Two kinds of chart are enough for a council's report, horizontal bars (shares of a
whole, long labels) and columns (years), and their geometry is a few lines: this module
computes it, the template draws it with presentation attributes only (`fill`, `font-size`),
which the policy allows and WeasyPrint reads.

A chart never stands alone: each is `role="img"` with a title that points to the data table
beside it, which holds every figure for screen readers (WCAG 1.1.1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

# Colours of the workspace's palette: the primary blue keeps 3:1 against white (WCAG 1.4.11),
# text 4.5:1 (1.4.3).
BAR = "#000091"
BAR_HIGHLIGHT = "#6a6af4"
TEXT = "#161616"
AXIS = "#929292"
FONT = "Marianne, Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif"

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 110
ROW_HEIGHT = 30
BAR_HEIGHT = 18
FONT_SIZE = 13
MAX_LABEL = 30


def _shorten(text: str, limit: int = MAX_LABEL) -> str:
    """A label that fits its column; the table beside the chart keeps it whole."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class Bar:
    label: str
    value_text: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float
    highlight: bool = False


@dataclass
class Chart:
    """What the template draws: the canvas, its bars and their texts."""

    chart_id: str
    title: str
    kind: str
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    axis_y: float = 0
    axis_x1: float = 0
    axis_x2: float = 0
    colours: dict[str, str] = field(default_factory=dict)

    def svg(self) -> SafeString:
        return SafeString(render_to_string(f"core/charts/{self.kind}.svg", {"chart": self}).strip())

    def __str__(self) -> str:
        return self.svg()


def _colours() -> dict[str, str]:
    return {"bar": BAR, "highlight": BAR_HIGHLIGHT, "text": TEXT, "axis": AXIS, "font": FONT}


def horizontal_bars(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Decimal]],
    *,
    value_text: Callable[[Decimal], str],
    limit: int = 10,
) -> Chart:
    """One bar per row (label, amount), the largest as long as the drawing allows; rows past
    `limit` are left to the table (the chart says the largest ones)."""
    shown = list(rows)[:limit]
    top = max((amount for _label, amount in shown), default=Decimal(0)) or Decimal(1)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    chart = Chart(
        chart_id=chart_id,
        title=title,
        kind="bars",
        width=WIDTH,
        height=max(ROW_HEIGHT * len(shown) + 8, ROW_HEIGHT),
        colours=_colours(),
    )
    for index, (label, amount) in enumerate(shown):
        y = 4 + index * ROW_HEIGHT
        length = float(amount / top) * room if amount > 0 else 0.0
        length = max(length, 2.0) if amount > 0 else 0.0
        chart.bars.append(
            Bar(
                label=_shorten(label),
                value_text=value_text(amount),
                x=LABEL_WIDTH,
                y=y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                width=round(length, 1),
                height=BAR_HEIGHT,
                label_x=LABEL_WIDTH - 8,
                label_y=y + ROW_HEIGHT / 2 + FONT_SIZE / 3,
                value_x=LABEL_WIDTH + round(length, 1) + 6,
                value_y=y + ROW_HEIGHT / 2 + FONT_SIZE / 3,
            )
        )
    chart.axis_x1 = chart.axis_x2 = LABEL_WIDTH
    chart.axis_y = chart.height
    return chart


def columns(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Decimal]],
    *,
    value_text: Callable[[Decimal], str],
    highlight: str = "",
    height: int = 240,
) -> Chart:
    """One column per row (label, amount), left to right (years in order); the column whose
    label is `highlight` (the report's year) in a lighter shade."""
    shown = list(rows)
    top = max((amount for _label, amount in shown), default=Decimal(0)) or Decimal(1)
    chart = Chart(
        chart_id=chart_id,
        title=title,
        kind="columns",
        width=WIDTH,
        height=height,
        colours=_colours(),
    )
    base = height - 28  # room below for the labels
    room = base - 26  # room above for the values
    slot = (WIDTH - 20) / max(len(shown), 1)
    column = min(slot * 0.6, 90)
    for index, (label, amount) in enumerate(shown):
        length = float(amount / top) * room if amount > 0 else 0.0
        length = max(length, 2.0) if amount > 0 else 0.0
        centre = 10 + slot * index + slot / 2
        chart.bars.append(
            Bar(
                label=_shorten(label, 14),
                value_text=value_text(amount),
                x=round(centre - column / 2, 1),
                y=round(base - length, 1),
                width=round(column, 1),
                height=round(length, 1),
                label_x=round(centre, 1),
                label_y=base + 20,
                value_x=round(centre, 1),
                value_y=round(base - length - 7, 1),
                highlight=label == highlight,
            )
        )
    chart.axis_y = base
    chart.axis_x1, chart.axis_x2 = 10, WIDTH - 10
    return chart
