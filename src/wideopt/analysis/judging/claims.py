"""The claims scorecard: every claim of the catalogue, gathered from its family's module.

Each family module ``claims_<family>.py`` declares its claims beside their evaluators
(:class:`~wideopt.analysis.judging.claim.Claim`: id, experiment, statement, threshold, the
inputs it reads, the evaluator, and the reason for any re-specification) and lists them in
``CLAIMS``. An evaluator takes the family's named input files (tables written by the family's
rules, and settings such as ``fit_min_width``) and returns an
:class:`~wideopt.analysis.judging.outcome.Outcome`: verdict ``pass``/``fail``/``inconclusive``
with the deciding interval and a ``why`` built from the measured values. Claims whose family did
not run are ``not-run``.

To add a family: write ``claims_<family>.py`` with its ``CLAIMS`` and add one line to
:data:`FAMILIES` below.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import pandas as pd

from wideopt.analysis.judging import (
    claims_ntk,
    claims_open,
    claims_operators,
    claims_pinn,
    claims_sobolev,
)
from wideopt.analysis.judging.claim import Claim
from wideopt.analysis.judging.outcome import Outcome, deciding_check

FAMILIES = (  # one line per family, in the scorecard's order (catalogue sections A-E)
    claims_operators,
    claims_sobolev,
    claims_pinn,
    claims_ntk,
    claims_open,
)


def gather(families) -> tuple[Claim, ...]:
    """Every family's ``CLAIMS`` in order; an id declared twice is an error."""
    claims = tuple(c for family in families for c in family.CLAIMS)
    twice = sorted(i for i, n in Counter(c.id for c in claims).items() if n > 1)
    if twice:
        raise ValueError(f"claim ids declared more than once: {twice}")
    return claims


CATALOGUE: tuple[Claim, ...] = gather(FAMILIES)


COLUMNS = ["claim_id", "experiment", "statement", "paper_value", "reproduced_value",
           "uncertainty", "verdict", "why"]


def evaluate(inputs_by_family: Mapping[str, Mapping]) -> dict[str, Outcome | None]:
    """The outcome of every claim (``None`` where its family's inputs are not given)."""
    out = {}
    for claim in CATALOGUE:
        inputs = inputs_by_family.get(claim.family)
        out[claim.id] = None if inputs is None else claim.evaluate(inputs)
    return out


def scorecard(inputs_by_family: Mapping[str, Mapping], outcomes: Mapping | None = None,
              ) -> pd.DataFrame:
    """Evaluate every claim whose family's inputs are given; the rest are ``not-run``.

    Returns one row per claim with columns :data:`COLUMNS`.
    """
    outcomes = evaluate(inputs_by_family) if outcomes is None else outcomes
    rows = []
    for claim in CATALOGUE:
        o = outcomes.get(claim.id)
        rows.append(dict(
            claim_id=claim.id, experiment=claim.experiment, statement=claim.text,
            paper_value=claim.paper_value,
            reproduced_value="" if o is None else o.reproduced_value,
            uncertainty="" if o is None else o.uncertainty,
            verdict="not-run" if o is None else o.verdict,
            why=(f"the {claim.family} family was not run" if o is None else o.why),
        ))
    return pd.DataFrame(rows, columns=COLUMNS)


def checks_table(outcomes: Mapping[str, Outcome | None]) -> pd.DataFrame:
    """Tidy table of every check behind the verdicts (the scorecard figure's data): one row
    per (claim, group) with the value, its interval, the allowed range, the check's and the
    claim's verdict, and whether it is the claim's deciding check."""
    rows = []
    for claim in CATALOGUE:
        o = outcomes.get(claim.id)
        if o is None:
            continue
        decider = deciding_check(o.checks)
        for c in o.checks:
            e = c.estimate
            rows.append(dict(claim_id=claim.id, group=c.group, quantity=c.quantity,
                             value=e.value, lo=e.lo, hi=e.hi, interval=e.kind,
                             lower=c.lower, upper=c.upper, check_verdict=c.verdict,
                             verdict=o.verdict, deciding=c is decider))
    return pd.DataFrame(rows, columns=["claim_id", "group", "quantity", "value", "lo", "hi",
                                       "interval", "lower", "upper", "check_verdict",
                                       "verdict", "deciding"])
