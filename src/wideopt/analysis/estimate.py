"""A measured value with its interval: what the aggregation's estimators return and the claims
judge (:mod:`wideopt.analysis.fits` builds them, :mod:`wideopt.analysis.judging.outcome` checks
them against a threshold).

- :class:`Estimate`: a value with its two-sided :data:`LEVEL` interval [lo, hi] and the
  evidence it lacks (``missing``: cells absent; ``diverged``: cells non-finite where a finite
  value was expected);
- :func:`fmt`: a number for a sentence.

Standard library only (the floor under aggregation and judging).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LEVEL = 0.90  # two-sided level of every interval (catalogue: "the 90 % interval")


def fmt(x: float, digits: int = 3) -> str:
    """A number for a sentence: ``nan`` for non-finite, 3 significant digits otherwise."""
    if x is None or not math.isfinite(x):
        return "nan" if x is None or math.isnan(x) else ("inf" if x > 0 else "-inf")
    return f"{x:.{digits}g}"


@dataclass(frozen=True)
class Estimate:
    """A measured value, its interval [lo, hi] and what evidence it lacks."""

    value: float
    lo: float
    hi: float
    kind: str = "value"  # what the interval is: "t-interval", "seed range", "exact"
    missing: tuple[str, ...] = ()
    diverged: tuple[str, ...] = ()

    @classmethod
    def exact(cls, value: float, **kw) -> Estimate:
        """A value without sampling uncertainty (a count, a deterministic quantity)."""
        return cls(float(value), float(value), float(value), kind="exact", **kw)

    def interval_text(self) -> str:
        if self.kind == "exact" or math.isnan(self.lo) or math.isnan(self.hi):
            return "exact" if self.kind == "exact" else "no interval"
        return f"[{fmt(self.lo)}, {fmt(self.hi)}] ({self.kind})"
