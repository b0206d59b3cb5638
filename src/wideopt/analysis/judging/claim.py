"""What a claim declares, beside its evaluator in ``claims_<family>.py``.

- :class:`Band`: the allowed range [lower, upper] of a checked quantity (one-sided bands use
  ±inf). One object serves both sides of a claim: its statement shows the band's numbers
  (``"{threshold}"`` in the statement renders ``<= -0.8``, ``>= 0.3`` or ``in [-0.7, -0.3]``)
  and its evaluator checks against the same bounds (:meth:`Band.check`), so a threshold is
  typed once.
- :class:`Claim`: id, family, experiment (the figure/table it is read from), statement,
  the paper's value, threshold, the family inputs its evaluator reads, the evaluator, and —
  for a claim the catalogue re-specified — the first statement, the reason for the change and
  the first statement's own evaluator (judged on the same data, issue 23).

The engine (:mod:`wideopt.analysis.judging.claims`) gathers every family's ``CLAIMS``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from wideopt.analysis.estimate import Estimate
from wideopt.analysis.judging.outcome import Check, Outcome


def num(x: float) -> str:
    """A threshold as a statement writes it: ``-0.8``, ``10``, ``0.05``; below 0.01 in
    exponent form without padding (``1e-3``, ``1e-6``)."""
    if x != 0 and abs(x) < 1e-2:
        mantissa, exponent = f"{x:.6e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    return f"{x:.6g}"


@dataclass(frozen=True)
class Band:
    """The allowed range [lower, upper] of a checked quantity (inclusive; ±inf: one-sided).

    ``format(band)`` is the comparison a statement shows (``<= -0.8``, ``>= 0.3``,
    ``in [-0.7, -0.3]``); ``format(band, "lower")``/``"upper"`` one bound (:func:`num`);
    ``format(band, "%")`` a relative band [1 − p, 1 + p] as ``p`` in percent."""

    lower: float = -math.inf
    upper: float = math.inf

    def __str__(self) -> str:
        if math.isfinite(self.lower) and math.isfinite(self.upper):
            return f"in [{num(self.lower)}, {num(self.upper)}]"
        if math.isfinite(self.upper):
            return f"<= {num(self.upper)}"
        return f">= {num(self.lower)}"

    def __format__(self, spec: str) -> str:
        if spec in ("lower", "upper"):
            return num(getattr(self, spec))
        if spec == "%":
            return f"{self.upper - 1:.0%}"
        if spec:
            raise ValueError(f"unknown Band format {spec!r}: use '', 'lower', 'upper' or '%'")
        return str(self)

    def __contains__(self, x: float) -> bool:
        return self.lower <= x <= self.upper

    def bounds(self) -> tuple[float, ...]:
        """The finite bounds (what a statement may show)."""
        return tuple(b for b in (self.lower, self.upper) if math.isfinite(b))

    def scaled(self, factor: float) -> Band:
        """The band of ``factor`` times the quantity's ratio (a relative band made absolute)."""
        return Band(self.lower * factor, self.upper * factor)

    def check(self, group: str, quantity: str, estimate: Estimate) -> Check:
        """One group's estimate checked against this band."""
        return Check(group, quantity, estimate, self.lower, self.upper)


Evaluator = Callable[[Mapping], Outcome]


@dataclass(frozen=True)
class Claim:
    """One claim of the scorecard, declared by its family module.

    ``statement`` (and ``first_statement``) are templates: ``{threshold}`` (with an optional
    :class:`Band` format spec) and the names in ``also`` (further bands the statement shows,
    e.g. the step sizes at which SGD must diverge) are filled from the bands themselves;
    :attr:`text` is the statement the scorecard prints. ``inputs`` are the family's input
    names (tables or settings) the evaluator needs, ``optional`` those it reads where given.
    ``respecified`` is the catalogue's reason for changing the claim from ``first_statement``.
    """

    id: str
    family: str
    experiment: str
    statement: str
    threshold: Band
    inputs: tuple[str, ...]
    evaluator: Evaluator
    paper_value: str = ""
    optional: tuple[str, ...] = ()
    also: Mapping[str, Band] = field(default_factory=dict)
    first_statement: str | None = None
    respecified: str | None = None
    # The first statement's own evaluator and the inputs it reads (issue 23: a re-specified
    # claim's first statement is judged on the same data; None where not measurable).
    first_evaluator: Evaluator | None = None
    first_inputs: tuple[str, ...] = ()

    def __post_init__(self):
        if (self.first_statement is None) != (self.respecified is None):
            raise ValueError(f"claim {self.id}: a re-specified claim names both its first "
                             "statement and the reason for the change")
        self._render(self.statement)  # a template naming an unknown band fails here

    def _render(self, template: str) -> str:
        return template.format(threshold=self.threshold, **self.also)

    @property
    def text(self) -> str:
        """The statement with its bands' numbers filled in."""
        return self._render(self.statement)

    @property
    def first_text(self) -> str | None:
        """The first statement (before the re-specification), rendered; None if never changed."""
        return None if self.first_statement is None else self._render(self.first_statement)

    def bands(self) -> tuple[Band, ...]:
        return (self.threshold, *self.also.values())

    def evaluate_first(self, family_inputs: Mapping) -> Outcome | None:
        """The first statement's outcome on the family's inputs (None without an evaluator or
        where its inputs are absent)."""
        if self.first_evaluator is None or any(k not in family_inputs
                                               for k in self.first_inputs):
            return None
        return self.first_evaluator({k: family_inputs[k] for k in self.first_inputs})

    def evaluate(self, family_inputs: Mapping) -> Outcome:
        """The evaluator's outcome on the family's inputs, given only the ones declared."""
        absent = [k for k in self.inputs if k not in family_inputs]
        if absent:
            raise KeyError(f"claim {self.id} needs the {self.family} inputs {absent}; given: "
                           f"{sorted(family_inputs)}")
        return self.evaluator({k: family_inputs[k] for k in (*self.inputs, *self.optional)
                               if k in family_inputs})
