"""Claims A1-A4 (section A, seed 000), declared beside their evaluators, read from the
aggregated section A tables.

Inputs (``CLAIM_INPUTS["operators"]``, all under results/operators/): ``final_loss`` (the tidy
per-seed operators_final_loss table), ``summary`` (one row per run and seed) and ``curves``
(per-epoch metrics of every run). Every claim is checked in each of the catalogue's
2 architectures x 3 problems (a missing pair is missing evidence) and passes only if it holds
in all six (:mod:`wideopt.analysis.judging.outcome`):

- A1, A3, A4: Spearman ρ of the seed-mean quantity vs width within :data:`RHO_MAX`, interval =
  range of the per-seed ρ (:func:`~wideopt.analysis.fits.rank_estimate`); the log-log slope
  is reported.
- A2: e*/E within A2's band, e* = first epoch at which the widest net's loss reaches the narrowest
  net's final loss, E = epochs run; value from the seed-mean curves, interval = range over
  seeds; "never" is e*/E = inf.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from wideopt.analysis.estimate import Estimate, fmt
from wideopt.analysis.fits import rank_estimate, slope_estimate
from wideopt.analysis.judging.claim import Band, Claim
from wideopt.analysis.judging.outcome import Check, Outcome
from wideopt.analysis.operators_summary import ARCH_LABELS, first_step_below, mean_curves
from wideopt.io import read_csv

FAMILY = "operators"
RHO_MAX = Band(upper=-0.8)  # catalogue A1 (and, for consistency, A3/A4): Spearman rho over widths
ARCHS = ("deeponet", "fno")  # catalogue section A: both architectures ...
PROBLEMS = ("antiderivative", "burgers", "diffusion_reaction")  # ... on the three problems


def _pairs(df: pd.DataFrame):
    """(label, rows) for every catalogue architecture x problem, empty where not run."""
    for arch in ARCHS:
        for problem in PROBLEMS:
            rows = df[(df["arch"] == arch) & (df["problem"] == problem)]
            yield f"{ARCH_LABELS.get(arch, arch)}/{problem}", rows.sort_values("width")


def _decreasing(runs: pd.DataFrame, column: str, quantity: str, band: Band,
                extra: str | None = None):
    """One check per pair: ρ(width, column) in ``band``; text with ρ and the log-log slope."""
    widths = sorted(runs["width"].unique().tolist())
    seeds = sorted(runs["seed"].unique().tolist())
    checks, parts = [], []
    for label, g in _pairs(runs):
        if g.empty:
            checks.append(Check.absent(label, quantity))
            parts.append(f"{label}: not run")
            continue
        expected = {"width": widths, "seed": seeds}
        rho = rank_estimate(g, "width", column, expected=expected)
        slope = slope_estimate(g, "width", column, expected=expected)
        checks.append(band.check(label, f"rho({quantity}, width)", rho))
        s = f"{label}: rho={fmt(rho.value, 2)}, slope={fmt(slope.value, 2)}"
        if extra:
            s += f" (abs slope={fmt(slope_estimate(g, 'width', extra).value, 2)})"
        parts.append(s)
    return checks, "; ".join(parts)


def a1_final_loss(inputs: Mapping[str, str]) -> Outcome:
    """A1: final training loss decreases with width (ρ in A1's band) in every arch x problem."""
    table = read_csv(inputs["final_loss"])
    runs = table[table["quantity"] == "final train loss"].rename(
        columns={"value": "final_train_loss"})
    checks, value = _decreasing(runs, "final_train_loss", "final loss", A1.threshold)
    return Outcome.judge(checks, value, "final training loss does not fall monotonically "
                         "with width in every group (figures/operators_final_loss)")


A1 = Claim(
    "A1", FAMILY, "operators_final_loss",
    "final training loss decreases with width in each architecture x problem "
    "(Spearman rho {threshold} over widths)",
    threshold=RHO_MAX, inputs=("final_loss",), evaluator=a1_final_loss,
    paper_value="wider converges lower")


def _e_star_fraction(curves: pd.DataFrame) -> float:
    """e*/E of one (arch, problem) on curves with columns width, step, value."""
    narrow = curves[curves.width == curves.width.min()]
    wide = curves[curves.width == curves.width.max()]
    if narrow.empty or wide.empty:
        return math.nan
    target = narrow.loc[narrow.step.idxmax(), "value"]
    if not (np.isfinite(target) and np.isfinite(wide["value"]).all()):
        return math.nan
    e_star, total = first_step_below(wide, target), float(wide.step.max())
    return e_star / total if np.isfinite(e_star) else math.inf


def a2_epochs_to_match(inputs: Mapping[str, str]) -> Outcome:
    """A2: the widest net reaches the narrowest net's final loss within a fraction of the
    epochs (A2's band: half)."""
    curves = read_csv(inputs["curves"])
    train = curves[curves["metric"] == "train_loss"]
    mc = mean_curves(curves)
    checks, parts = [], []
    for label, g in _pairs(mc):
        if g.empty:
            checks.append(Check.absent(label, "e*/E"))
            parts.append(f"{label}: not run")
            continue
        arch, problem = g["arch"].iloc[0], g["problem"].iloc[0]
        runs = train[(train.arch == arch) & (train.problem == problem)]
        per_seed = [_e_star_fraction(s) for _, s in runs.groupby("seed")]
        value = _e_star_fraction(g)
        diverged = tuple(f"seed={s}" for s, f in zip(sorted(runs.seed.unique()), per_seed,
                                                     strict=True) if math.isnan(f))
        finite = [f for f in per_seed if not math.isnan(f)] or [value]
        est = Estimate(value, min(finite), max(finite), "seed range", diverged=diverged)
        checks.append(A2.threshold.check(label, "e*/E", est))
        parts.append(f"{label}: {'never' if math.isinf(value) else fmt(value, 2)}")
    return Outcome.judge(checks, "widest/narrowest epochs fraction e*/E: " + "; ".join(parts),
                         "the widest net is not twice as fast as the narrowest "
                         "(figures/operators_loss_curves)")


A2 = Claim(
    "A2", FAMILY, "operators_loss_curves",
    "the widest net reaches the narrowest net's final loss in at most half the epochs",
    threshold=Band(upper=0.5), inputs=("curves",), evaluator=a2_epochs_to_match,
    paper_value="wider converges faster")


def a3_param_distance(inputs: Mapping[str, str]) -> Outcome:
    """A3: ||theta_T - theta_0|| / ||theta_0|| decreases with width (ρ in A3's band) everywhere;
    the absolute distance's slope is reported beside it."""
    checks, value = _decreasing(read_csv(inputs["summary"]), "rel_param_distance",
                                "relative distance", A3.threshold, extra="param_distance")
    return Outcome.judge(checks, value, "the relative parameter distance does not shrink "
                         "with width in every group (figures/operators_lazy)")


A3 = Claim(
    "A3", FAMILY, "operators_lazy",
    "relative parameter distance ||theta_T - theta_0||/||theta_0|| decreases with width",
    threshold=RHO_MAX, inputs=("summary",), evaluator=a3_param_distance,
    paper_value="weights stay near initialization")


def a4_hessian(inputs: Mapping[str, str]) -> Outcome:
    """A4: the spectral norm of the network's Hessian ∇²_θ⟨v, G_θ(u)⟩ at initialization
    decreases with width (ρ in A4's band), slope beside the theory's −1/2; the loss Hessian's
    norm (``hessian_norm``) is a contrast, not judged."""
    summary = read_csv(inputs["summary"])
    if "net_hessian_norm" not in summary:  # a summary written before A4 was re-specified
        checks = [Check.absent(label, "network Hessian norm", "not measured")
                  for label, _ in _pairs(summary)]
        return Outcome.judge(checks, "network Hessian not measured",
                             "rerun section A's training (results/operators/summary.csv)")
    checks, value = _decreasing(summary, "net_hessian_norm", "network Hessian norm",
                                A4.threshold)
    return Outcome.judge(checks, value, "the network Hessian's norm at initialization does "
                         "not shrink with width in every group (figures/operators_lazy)")


A4 = Claim(
    "A4", FAMILY, "operators_lazy",
    "the spectral norm of the network's Hessian d2<v, G(u)>/dtheta2 at initialization "
    "decreases with width (Spearman rho {threshold}; the loss Hessian is shown, not judged)",
    threshold=RHO_MAX, inputs=("summary",), evaluator=a4_hessian,
    paper_value="Hessian norm O(1/sqrt(m))",
    first_statement="the Hessian spectral norm of the loss at initialization decreases with "
    "width",
    respecified="the loss Hessian contains (2/N) J^T J, which stays O(1) under NTK scaling; "
    "seed 000's smoothness bound is on the network's Hessian, O(1/sqrt(m)) (issue 13)")

CLAIMS = (A1, A2, A3, A4)
