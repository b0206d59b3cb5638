"""How a claim is judged: measured estimates with intervals, checked against a threshold.

- :class:`~wideopt.analysis.estimate.Estimate` (the aggregation's floor): a measured value
  with its 90 % interval [lo, hi] and the evidence it lacks;
- :class:`Check`: one group's estimate (e.g. DON/burgers) against the claim's allowed range
  [lower, upper] (one-sided thresholds use ±inf). Its verdict is ``pass`` when the whole
  interval lies inside the range, ``fail`` when it lies wholly outside (or, where the claim
  names a separate failing range [fail_lower, fail_upper], wholly outside that one),
  ``inconclusive`` otherwise. Divergence where convergence is expected
  makes it ``fail``; missing evidence turns a ``pass`` into ``inconclusive`` (never a pass
  on less evidence than the claim names — catalogue conventions);
- :class:`Outcome`: the claim's verdict over all its checks (every group must pass; any
  failing group fails it; otherwise inconclusive), the human-readable value, the
  uncertainty of the deciding check and the ``why`` sentence built from the measured values.

numpy only (kept apart so family modules import it cheaply).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from wideopt.analysis.estimate import Estimate, fmt

VERDICTS = ("pass", "fail", "inconclusive", "not-run")
MAX_REASONS = 3  # a `why` names at most this many groups, then counts the rest


@dataclass(frozen=True)
class Check:
    """One group's estimate against the claim's allowed range [lower, upper]."""

    group: str
    quantity: str
    estimate: Estimate
    lower: float = -math.inf
    upper: float = math.inf
    fail_lower: float | None = None  # fails when wholly below this (default: ``lower``)
    fail_upper: float | None = None  # fails when wholly above this (default: ``upper``)

    @property
    def verdict(self) -> str:
        e = self.estimate
        if e.diverged:
            return "fail"
        lo, hi = e.value, e.value  # a nan value fails no comparison: inconclusive below
        if not (math.isnan(e.lo) or math.isnan(e.hi)):
            lo, hi = min(e.lo, lo), max(e.hi, hi)
        f_lo = self.lower if self.fail_lower is None else self.fail_lower
        f_hi = self.upper if self.fail_upper is None else self.fail_upper
        if hi < f_lo or lo > f_hi:
            return "fail"
        inside = lo >= self.lower and hi <= self.upper
        if inside and not e.missing:
            return "pass"
        return "inconclusive"

    @classmethod
    def absent(cls, group: str, quantity: str, what: str = "not run") -> Check:
        """A group the claim needs but the tables do not hold: missing evidence."""
        return cls(group, quantity, Estimate(math.nan, math.nan, math.nan, missing=(what,)))

    def threshold_text(self) -> str:
        if math.isfinite(self.lower) and math.isfinite(self.upper):
            text = f"in [{fmt(self.lower)}, {fmt(self.upper)}]"
        elif math.isfinite(self.upper):
            text = f"<= {fmt(self.upper)}"
        else:
            text = f">= {fmt(self.lower)}"
        if self.fail_upper is not None:
            text += f" (fails above {fmt(self.fail_upper)})"
        if self.fail_lower is not None:
            text += f" (fails below {fmt(self.fail_lower)})"
        return text

    def reason(self) -> str:
        """Why this check is not a clean pass, from its numbers ('' when it passes)."""
        e, v = self.estimate, self.verdict
        if v == "pass":
            return ""
        head = f"{self.group}: {self.quantity} {fmt(e.value)}"
        if e.diverged:
            return f"{self.group}: diverged at {', '.join(e.diverged)}"
        if e.missing and v != "fail":
            return f"{head}, evidence missing ({', '.join(e.missing)})"
        if math.isnan(e.value):
            return f"{self.group}: {self.quantity} could not be measured (too few finite points)"
        if v == "fail":
            return f"{head}, outside {self.threshold_text()} (interval {e.interval_text()})"
        return (f"{head}, threshold {self.threshold_text()} lies inside its interval "
                f"{e.interval_text()}")


def claim_verdict(checks: Sequence[Check]) -> str:
    """Every group must pass; any failing group fails the claim; otherwise inconclusive."""
    if not checks:
        return "inconclusive"
    verdicts = [c.verdict for c in checks]
    if "fail" in verdicts:
        return "fail"
    return "pass" if all(v == "pass" for v in verdicts) else "inconclusive"


def deciding_check(checks: Sequence[Check]) -> Check | None:
    """The check that decides the verdict: the first failing, else the first inconclusive,
    else the passing one whose interval comes closest to the threshold."""
    for v in ("fail", "inconclusive"):
        for c in checks:
            if c.verdict == v:
                return c
    if not checks:
        return None

    def margin(c: Check) -> float:
        e = c.estimate
        return min(min(e.lo, e.value) - c.lower, c.upper - max(e.hi, e.value))

    return min(checks, key=margin)


@dataclass(frozen=True)
class Outcome:
    """A claim's verdict, its value as text, the deciding interval and the reason."""

    reproduced_value: str
    verdict: str
    uncertainty: str = ""
    why: str = ""
    checks: tuple[Check, ...] = field(default=(), compare=False)

    @classmethod
    def judge(cls, checks: Sequence[Check], value: str, cause: str = "") -> Outcome:
        """Outcome of ``checks``; ``cause`` (a clause built from the values by the caller)
        is appended to the ``why`` of any verdict other than a clean pass."""
        checks = tuple(checks)
        verdict = claim_verdict(checks)
        d = deciding_check(checks)
        unc = ""
        if d is not None:
            unc = f"{d.group}: {d.estimate.interval_text()}"
            if len(checks) > 1:
                unc += f" (deciding group of {len(checks)})"
        why = ""
        if verdict != "pass":
            reasons = [c.reason() for c in checks if c.verdict != "pass"] or ["no evidence"]
            why = "; ".join(reasons[:MAX_REASONS])
            if len(reasons) > MAX_REASONS:
                why += f" (and {len(reasons) - MAX_REASONS} more groups alike)"
            if cause:
                why += f". {cause}"
        return cls(value, verdict, unc, why, checks)
