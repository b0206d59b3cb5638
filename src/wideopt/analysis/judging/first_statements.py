"""First statements of re-specified claims, measured on the same data (issue 23 part 2).

A claim whose statement was changed after its first run keeps its id; what it first claimed,
that statement's verdict and value on the current tables, and why it was changed are computed
here (never typed by hand) and printed below the scorecard (``figures/claims.md``) and in the
reproduction report. Each re-specified claim declares its first statement, the reason and the
first statement's evaluator beside its evaluator (:class:`~wideopt.analysis.judging.claim.Claim`
``first_statement``, ``respecified``, ``first_evaluator``).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from wideopt.analysis.judging.claims import CATALOGUE

COLUMNS = ["claim_id", "first_statement", "verdict", "value", "reason"]


def evaluate_first(inputs_by_family: Mapping[str, Mapping]) -> pd.DataFrame:
    """One row per re-specified claim with a first-statement evaluator whose family's inputs
    are given (:data:`COLUMNS`)."""
    rows = []
    for c in CATALOGUE:
        inputs = inputs_by_family.get(c.family)
        o = None if inputs is None else c.evaluate_first(inputs)
        if o is None:
            continue
        rows.append(dict(claim_id=c.id, first_statement=c.first_text, verdict=o.verdict,
                         value=o.reproduced_value, reason=c.respecified))
    return pd.DataFrame(rows, columns=COLUMNS)


def first_statement_lines(table: pd.DataFrame) -> list[str]:
    """One Markdown bullet per re-specified claim, from :func:`evaluate_first`'s table."""
    return [f"- **{r.claim_id}** first stated: {r.first_statement}. On the same data: "
            f"`{r.verdict}` ({r.value}). Changed because {r.reason}."
            for r in table.itertuples()]


HEADING = "First statements of re-specified claims"


def first_statements_markdown(table: pd.DataFrame, level: int = 2) -> str:
    """The heading and the lines (empty string when no first statement was evaluated)."""
    if table.empty:
        return ""
    intro = ("Each claim below was re-specified after its first run and keeps its id; its "
             "first statement is judged here on the same tables as the scorecard.")
    return "\n".join([f"{'#' * level} {HEADING}", "", intro, "",
                      *first_statement_lines(table)]) + "\n"
