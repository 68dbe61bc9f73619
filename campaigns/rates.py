"""Shares with their uncertainty, as pure functions: the Wilson score interval.

A body that answered 2 of 2 requests on time has not shown it answers better than one that
answered 95 of 100; the interval says how far each share could be from the truth, and ranking by
its lower bound puts the body with more evidence first (as Alaveteli and WriteToThem do).
"""

from dataclasses import dataclass
from math import sqrt

# The normal quantile for a two-sided 95% interval.
Z_95 = 1.959963984540054


def wilson_interval(count: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """Return the Wilson score interval of `count` successes in `total` trials, as shares."""
    if total <= 0:
        return (0.0, 1.0)
    share = count / total
    denominator = 1 + z * z / total
    centre = share + z * z / (2 * total)
    spread = z * sqrt(share * (1 - share) / total + z * z / (4 * total * total))
    return (max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator))


@dataclass(frozen=True)
class Rate:
    """A share of a count, with its 95% Wilson interval."""

    count: int
    total: int

    @property
    def share(self) -> float | None:
        return self.count / self.total if self.total else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.count, self.total)

    @property
    def low(self) -> float:
        return self.interval[0]

    @property
    def high(self) -> float:
        return self.interval[1]
