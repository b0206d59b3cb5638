"""The claims scorecard: every claim of the catalogue, and how each family evaluates its own.

Each claim has an id, the experiment (figure/table id) it is read from, a statement, the
paper's value where the paper gives one, and — once its family is built — an evaluator.
An evaluator takes the family's named input files (tables written by the family's rules)
and returns an :class:`~wideopt.analysis.outcome.Outcome`. Claims whose family did not run
are ``not-run``.

To add a family: write ``claims_<family>.py`` with ``EVALUATORS = {"X1": fn, ...}`` and
import it in :data:`FAMILY_EVALUATORS` below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from wideopt.analysis import claims_ntk, claims_operators, claims_pinn, claims_sobolev
from wideopt.analysis.outcome import Outcome


@dataclass(frozen=True)
class Claim:
    id: str
    family: str
    experiment: str
    statement: str
    paper_value: str = ""


Evaluator = Callable[[Mapping[str, str]], Outcome]

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
          "the Hessian spectral norm of the loss at initialization decreases with width",
          "Hessian norm O(1/sqrt(m))"),
    Claim("B1", "sobolev", "sobolev_decay_exponents",
          "ReLU NTK eigenvalue decay exponent within 15% of d/(d-1) for d = 3 and d = 5",
          "d/(d-1)"),
    Claim("B2", "sobolev", "sobolev_ntk_spectrum",
          "GELU, softplus and tanh NTK spectra decay faster than ReLU's (lambda_100/lambda_1)",
          "smooth activations decay faster"),
    Claim("B3", "sobolev", "sobolev_error_rates",
          "at fixed training time, the test L2 error decreases with width", ""),
    Claim("B4", "sobolev", "sobolev_error_rates",
          "smoother targets (larger alpha) reach lower error", ""),
    Claim("B5", "sobolev", "sobolev_vs_classical",
          "classical spherical-harmonic approximation has a faster rate in parameters than "
          "the trained network", "trained rate is lower"),
    Claim("B6", "sobolev", "sobolev_weight_distance",
          "relative weight distance decreases with width, log-log slope in [-0.7, -0.3]",
          "-1/2"),
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
)

FAMILY_EVALUATORS: dict[str, Mapping[str, Evaluator]] = {
    "ntk": claims_ntk.EVALUATORS,
    "operators": claims_operators.EVALUATORS,
    "pinn": claims_pinn.EVALUATORS,
    "sobolev": claims_sobolev.EVALUATORS,
}


def scorecard(inputs_by_family: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """Evaluate every claim whose family's inputs are given; the rest are ``not-run``.

    Returns one row per claim with columns
    ``claim_id, experiment, statement, paper_value, reproduced_value, verdict``.
    """
    rows = []
    for claim in CATALOGUE:
        evaluator = FAMILY_EVALUATORS.get(claim.family, {}).get(claim.id)
        inputs = inputs_by_family.get(claim.family)
        if evaluator is None or inputs is None:
            value, verdict = "", "not-run"
        else:
            outcome = evaluator(inputs)
            value, verdict = outcome.reproduced_value, "pass" if outcome.passed else "fail"
        rows.append(
            dict(
                claim_id=claim.id,
                experiment=claim.experiment,
                statement=claim.statement,
                paper_value=claim.paper_value,
                reproduced_value=value,
                verdict=verdict,
            )
        )
    return pd.DataFrame(rows)


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
        ", ".join(f"{k}: {counts.get(k, 0)}" for k in ("pass", "fail", "not-run")),
        "",
    ]
    return "\n".join(head) + card.to_markdown(index=False) + "\n"
