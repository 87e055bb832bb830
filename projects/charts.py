"""Server-side SVG bar charts: coordinates computed here, drawn by a template, no JavaScript."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

CHART_WIDTH = 400
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
ROW_GAP = 14
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    label_y: int
    bar_y: int
    width: Decimal


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_height: int


def bar_chart(rows: list[dict], label_key: str, value_key: str) -> BarChart:
    """One horizontal bar per row, its label and figure above it, scaled to the largest."""
    values = [row[value_key] for row in rows]
    largest = max((v for v in values if v is not None and v > 0), default=Decimal(0))
    bars = []
    for index, row in enumerate(rows):
        value = row[value_key]
        top = index * ROW_HEIGHT
        width = (
            (Decimal(value) * CHART_WIDTH / largest).quantize(Decimal("0.1"))
            if largest and value is not None and value > 0
            else Decimal(0)
        )
        bars.append(Bar(row[label_key], value, top + LABEL_HEIGHT - 4, top + LABEL_HEIGHT, width))
    return BarChart(bars, CHART_WIDTH, max(len(rows) * ROW_HEIGHT - ROW_GAP, 0), BAR_HEIGHT)
