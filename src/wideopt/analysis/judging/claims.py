"""The claims scorecard: every claim of the catalogue, and how each family evaluates its own.

Each claim has an id, the experiment (figure/table id) it is read from, a statement, the
paper's value where the paper gives one, and — once its family is built — an evaluator.
An evaluator takes the family's named input files (tables written by the family's rules)
(and settings such as ``fit_min_width``) and returns an
:class:`~wideopt.analysis.judging.outcome.Outcome`: verdict ``pass``/``fail``/``inconclusive``
with the deciding interval and a ``why`` built from the measured values. Claims whose family did not
run are ``not-run``.

To add a family: write ``claims_<family>.py`` with ``EVALUATORS = {"X1": fn, ...}`` and
import it in :data:`FAMILY_EVALUATORS` below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from wideopt.analysis.judging import (
    claims_ntk,
    claims_open,
    claims_operators,
    claims_pinn,
    claims_sobolev,
)
from wideopt.analysis.judging.outcome import VERDICTS, Outcome, deciding_check


@dataclass(frozen=True)
class Claim:
    id: str
    family: str
    experiment: str
    statement: str
    paper_value: str = ""


Evaluator = Callable[[Mapping], Outcome]

CATALOGUE: tuple[Claim, ...] = (
    Claim("A1", "operators", "operators_final_loss",
          "final training loss decreases with width in each architecture x problem "
          "(Spearman rho <= -0.8 over widths)", "wider converges lower"),
    Claim("A2", "operators", "operators_loss_curves",
          "the widest net reaches the narrowest net's final loss in at most half the epochs",
          "wider converges faster"),
    Claim("A3", "operators", "operators_lazy",
          "relative parameter distance ||theta_T - theta_0||/||theta_0|| decreases with width",
          "weights stay near initialization"),
    Claim("A4", "operators", "operators_lazy",
          "the spectral norm of the network's Hessian d2<v, G(u)>/dtheta2 at initialization "
          "decreases with width (Spearman rho <= -0.8; the loss Hessian is shown, not judged)",
          "Hessian norm O(1/sqrt(m))"),
    Claim("B1", "sobolev", "sobolev_decay_exponents",
          "ReLU NTK eigenvalue decay exponent within 15% of d/(d-1) for d = 3 and d = 5",
          "d/(d-1)"),
    Claim("B2", "sobolev", "sobolev_ntk_spectrum",
          "GELU, softplus and tanh NTK spectra decay faster than ReLU's (lambda_100/lambda_1)",
          "smooth activations decay faster"),
    Claim("B3", "sobolev", "sobolev_error_rates",
          "at the fixed time, the gap ||f_m - f_inf||/||f_inf|| to the infinite-width kernel "
          "flow decreases with width (Spearman rho <= -0.8)", "training follows the kernel flow"),
    Claim("B4", "sobolev", "sobolev_error_rates",
          "smoother targets (larger alpha) reach lower error", ""),
    Claim("B5", "sobolev", "sobolev_vs_classical",
          "classical spherical-harmonic approximation has a faster rate in parameters than "
          "the trained network", "trained rate is lower"),
    Claim("B6", "sobolev", "sobolev_weight_distance",
          "relative weight distance max_t ||W(t) - W(0)||_2/||W(0)||_2 (operator norm) "
          "decreases with width, log-log slope in [-0.7, -0.3]", "-1/2"),
    Claim("C1", "pinn", "pinn_optimizers",
          "NGD has the lowest relative L2 error on every problem", "NGD best on all 5"),
    Claim("C2", "pinn", "pinn_optimizers",
          "each NGD error is at most 10x the paper's", "1.67e-5 .. 6.67e-3"),
    Claim("C3", "pinn", "pinn_lr_robustness",
          "NGD converges for every learning rate in the grid while SGD diverges for lr >= 0.05",
          "NGD robust; SGD nan for lr >= 0.05"),
    Claim("C4", "pinn", "pinn_width",
          "NGD error decreases with width (Spearman rho <= -0.8)", "1.59e-3 -> 7.05e-5"),
    Claim("C5", "pinn", "pinn_gram_spectrum",
          "poisson1d Gram matrix is ill-conditioned: lambda_min < 1e-6 lambda_max",
          "lambda_min = 3.47e-11, 1/lambda_max = 5.78e-5"),
    Claim("C6", "pinn", "pinn_convergence",
          "NGD at lr = 1 converges quadratically: slope of log||r_k+1|| vs log||r_k|| >= 1.8",
          "quadratic"),
    Claim("C7", "pinn", "pinn_lr_robustness",
          "NGD's loss contracts at least at Theorem 4.7's rate: L(k) <= (1 - eta)^k L(0) at "
          "every step until L <= 1e3 min L, for every eta <= 0.1 of the grid",
          "Thm 4.7: (1 - eta)^k"),
    Claim("C8", "pinn", "pinn_gram_spectrum",
          "GD's largest stable step (loss never above L(0) in the paper's epochs) is "
          "O(1/lambda_max(H(0))): eta* lambda_max in [0.2, 4] on poisson1d and poisson2d",
          "Thm 3.7: eta = O(1/lambda_max)"),
    Claim("D1", "ntk", "ntk_init_concentration",
          "slope of ||H(0) - H*||_2 in m within [-0.6, -0.4]", "-1/2"),
    Claim("D2", "ntk", "ntk_drift",
          "relative kernel drift and relative weight movement decrease with m (slopes <= -0.3)",
          "-1/2"),
    Claim("D3", "ntk", "ntk_drift",
          "training loss reaches below 1e-3 of its initial value for the widest m",
          "zero training loss"),
    Claim("D4", "ntk", "ntk_linearized_dynamics",
          "the gap sup_t ||r(t) - r_lin(t)||/||r(0)|| shrinks with m", "-> 0"),
    Claim("D5", "ntk", "ntk_parameterization",
          "under mean-field scaling the relative kernel drift does not vanish (slope > -0.2)",
          "O(1) drift"),
    Claim("E1", "open", "open_radius",
          "the trainable neighbourhood of initialization grows with width: rho*(m) log-log "
          "slope >= 0.3", "open (seed 000): theory 1/2"),
    Claim("E2", "open", "open_relu_operators",
          "with ReLU, final training loss still decreases with width in every architecture x "
          "problem run (Spearman rho <= -0.8)", "open (seed 000)"),
    Claim("E3", "open", "open_fno_encoder",
          "with a trainable encoder the FNO's width benefit holds (Spearman rho <= -0.8 of "
          "final loss vs width)", "open (seed 000)"),
    Claim("E4", "open", "open_depth_distance",
          "at every depth, h = max_t ||W(t) - W(0)||_2/||W(0)||_2 <= 1 for the widest net at "
          "16x the time, and h decreases with width", "open (seed 001)"),
    Claim("E5", "open", "open_ngd_depth",
          "with two trained hidden layers NGD still has the lowest error on poisson1d and "
          "poisson2d", "open (seed 002)"),
    Claim("E6", "open", "open_ngd_dimension",
          "NGD's width requirement m*(d) grows with the dimension d (Spearman rho >= 0.8; "
          "exponent reported)", "open (seed 002)"),
)

FAMILY_EVALUATORS: dict[str, Mapping[str, Evaluator]] = {
    "ntk": claims_ntk.EVALUATORS,
    "open": claims_open.EVALUATORS,
    "operators": claims_operators.EVALUATORS,
    "pinn": claims_pinn.EVALUATORS,
    "sobolev": claims_sobolev.EVALUATORS,
}


COLUMNS = ["claim_id", "experiment", "statement", "paper_value", "reproduced_value",
           "uncertainty", "verdict", "why"]


def evaluate(inputs_by_family: Mapping[str, Mapping]) -> dict[str, Outcome | None]:
    """The outcome of every claim (``None`` where its family's inputs are not given)."""
    out = {}
    for claim in CATALOGUE:
        evaluator = FAMILY_EVALUATORS.get(claim.family, {}).get(claim.id)
        inputs = inputs_by_family.get(claim.family)
        out[claim.id] = None if evaluator is None or inputs is None else evaluator(inputs)
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
            claim_id=claim.id, experiment=claim.experiment, statement=claim.statement,
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


def scorecard_markdown(card: pd.DataFrame, scale: str) -> str:
    """Render the scorecard as Markdown, with a header that states the scale."""
    counts = card["verdict"].value_counts().to_dict()
    head = [
        "# Claims scorecard",
        "",
        f"Scale: **{scale}**. "
        + (
            "Claims are judged at paper scale; at this scale verdicts may fail and that is "
            "expected."
            if scale != "paper"
            else "This is the scale at which the claims are judged."
        ),
        "",
        "Verdicts: `pass` (the whole 90 % interval meets the threshold), `fail` (it lies "
        "wholly outside, or a run diverged where convergence is expected), `inconclusive` "
        "(the threshold lies inside the interval, or evidence is missing), `not-run`.",
        "",
        ", ".join(f"{k}: {counts.get(k, 0)}" for k in VERDICTS),
        "",
    ]
    return "\n".join(head) + card.to_markdown(index=False) + "\n"
