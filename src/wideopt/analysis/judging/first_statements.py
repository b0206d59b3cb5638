"""First statements of re-specified claims, measured on the same data (issue 23 part 2).

A claim whose statement was changed after its first run keeps its id; what it first claimed,
that statement's verdict and value on the current tables, and why it was changed are computed
here (never typed by hand) and printed below the scorecard (``figures/claims.md``) and in the
reproduction report. Each first-stated form is an evaluator of its family module
(``FIRST_EVALUATORS``) on the family's own inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from wideopt.analysis.judging import claims_ntk, claims_operators, claims_sobolev
from wideopt.analysis.judging.outcome import Outcome


@dataclass(frozen=True)
class FirstStatement:
    claim_id: str
    family: str
    statement: str  # as first stated
    reason: str  # why it was re-specified


FIRST_STATEMENTS: tuple[FirstStatement, ...] = (
    FirstStatement("A3", "operators",
                   "the relative distance ||theta_T - theta_0||/||theta_0|| under Adam decreases "
                   "with width (Spearman rho <= -0.8)",
                   "the ratio falls by construction when ||theta_0|| ~ m grows faster than the "
                   "distance; lazy training is about the absolute distance, judged under GD so "
                   "that Adam's width-independent step cannot inflate it"),
    FirstStatement("A4", "operators",
                   "the spectral norm of the loss Hessian at initialization decreases with "
                   "width (Spearman rho <= -0.8)",
                   "the theory's O(1/sqrt(m)) is for the network Hessian d2<v, G(u)>; the loss "
                   "Hessian contains the Gauss-Newton term (2/N) J^T J, which stays O(1)"),
    FirstStatement("B3", "sobolev",
                   "the test error at the fixed time decreases with width (Spearman rho <= -0.8)",
                   "the theory says the trained net follows the infinite-width kernel flow, "
                   "whose own error at a finite time need not be lower than a narrower net's; "
                   "the gap to that flow is what shrinks like m^(-1/2)"),
    FirstStatement("B6", "sobolev",
                   "the relative weight distance in the Frobenius norm has log-log slope in "
                   "[-0.7, -0.3]",
                   "||W(0)||_F grows like m while the move is O(1), so the Frobenius ratio's "
                   "prediction is -1; the theory's m^(-1/2) is for the operator norm"),
    FirstStatement("D2", "ntk",
                   "relative kernel drift and the absolute weight movement ||W(t) - W(0)|| "
                   "decrease with m (slopes <= -0.3)",
                   "under NTK scaling the absolute movement stays O(1) (each of m weights moves "
                   "O(1/sqrt(m))); the theory's decrease is of the relative movement"),
)

FAMILY_FIRST = {"operators": claims_operators.FIRST_EVALUATORS,
                "sobolev": claims_sobolev.FIRST_EVALUATORS,
                "ntk": claims_ntk.FIRST_EVALUATORS}
COLUMNS = ["claim_id", "first_statement", "verdict", "value", "reason"]


def evaluate_first(inputs_by_family: Mapping[str, Mapping]) -> pd.DataFrame:
    """One row per first statement whose family's inputs are given (:data:`COLUMNS`)."""
    rows = []
    for f in FIRST_STATEMENTS:
        inputs = inputs_by_family.get(f.family)
        if inputs is None:
            continue
        o: Outcome = FAMILY_FIRST[f.family][f.claim_id](inputs)
        rows.append(dict(claim_id=f.claim_id, first_statement=f.statement, verdict=o.verdict,
                         value=o.reproduced_value, reason=f.reason))
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
