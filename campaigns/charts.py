"""Geometry for the server-side SVG chart of reply times: pure arithmetic, no drawing."""

import math
from dataclasses import dataclass

from campaigns.deadlines import REPLY_WORKING_DAYS

LABEL_WIDTH = 300
BAR_AREA = 400
ROW_HEIGHT = 34
TOP = 30
BOTTOM = 40


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    bars: list
    ticks: list  # (x, label)
    deadline_x: float
    width: int
    height: int
    label_width: int = LABEL_WIDTH


def reply_time_chart(cards) -> BarChart | None:
    """Lay out one bar per recipient: its median working days to reply."""
    measured = [card for card in cards if card.median_working_days is not None]
    if not measured:
        return None
    largest = max(REPLY_WORKING_DAYS, *(card.median_working_days for card in measured))
    top = math.floor(largest / 10) * 10 + 10  # headroom past the largest value
    scale = BAR_AREA / top
    bars = [
        Bar(
            label=card.name,
            value=card.median_working_days,
            y=TOP + index * ROW_HEIGHT,
            width=card.median_working_days * scale,
        )
        for index, card in enumerate(measured)
    ]
    ticks = [(LABEL_WIDTH + day * scale, day) for day in range(0, top + 1, 10)]
    return BarChart(
        bars=bars,
        ticks=ticks,
        deadline_x=LABEL_WIDTH + REPLY_WORKING_DAYS * scale,
        width=LABEL_WIDTH + BAR_AREA + 40,
        height=TOP + len(bars) * ROW_HEIGHT + BOTTOM,
    )
