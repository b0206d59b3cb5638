"""Claims A1-A4 (section A, seed 000), declared beside their evaluators, read from the
aggregated section A tables.

Inputs (``CLAIM_INPUTS["operators"]``, all under results/operators/): ``final_loss`` (the tidy
per-seed operators_final_loss table), ``summary`` (one row per run and seed) and ``curves``
(per-epoch metrics of every run). Every claim is checked in each of the catalogue's
2 architectures x 3 problems (a missing pair is missing evidence) and passes only if it holds
in all six (:mod:`wideopt.analysis.judging.outcome`):

- A1, A4: Spearman ρ of the seed-mean quantity vs width within :data:`RHO_MAX`, interval =
  range of the per-seed ρ (:func:`~wideopt.analysis.fits.rank_estimate`); the log-log slope
  is reported. A1's and A2's values also say how far from converged the widest Adam nets
  were (their last-epoch relative decrease of the seed-mean training loss).
- A2: e*/E within A2's band, e* = first epoch at which the widest net's loss reaches the narrowest
  net's final loss, E = epochs run; value from the seed-mean curves, interval = range over
  seeds; "never" is e*/E = inf.

Under full-batch gradient descent with one width-independent step (``gd_summary``,
``gd_curves``: :mod:`wideopt.training.operators.gd`; DeepONet on the three problems, FNO on
Burgers), so that Adam's width-independent per-parameter step cannot make the width benefit:

- A3: the log-log slope of the absolute distance ||θ_T − θ_0|| in m, t-interval over every
  (width, seed) (:func:`~wideopt.analysis.fits.slope_estimate`), within A3's band (lazy
  training: O(1)); the relative distance's and ||θ_0||'s slopes are reported beside it.
- A5: A1's statement under GD: ρ(final training loss, width) in RHO_MAX in every GD group.
- A6: the slope of log ||∇L(θ_t)||² on log m at t = 0, S/10, S/2 (S steps), t-interval, within
  A6's band (the source's m^(−1/2)); whether the weaker Ω(m^(−1/2)) holds (every interval
  above A6_OMEGA) is reported beside it, not judged.

First statements (``first_evaluator`` of A3, A4) are judged on the same data
(:mod:`wideopt.analysis.judging.first_statements`).
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
from wideopt.analysis.operators_gd_summary import GRAD_FRACTIONS, fraction_label, grad_norm_at
from wideopt.analysis.operators_summary import ARCH_LABELS, first_step_below, mean_curves
from wideopt.io import read_csv

FAMILY = "operators"
RHO_MAX = Band(upper=-0.8)  # catalogue A1 (and, for consistency, A3/A4): Spearman rho over widths
ARCHS = ("deeponet", "fno")  # catalogue section A: both architectures ...
PROBLEMS = ("antiderivative", "burgers", "diffusion_reaction")  # ... on the three problems
GD_GROUPS = (("deeponet", "antiderivative"), ("deeponet", "burgers"),
             ("deeponet", "diffusion_reaction"), ("fno", "burgers"))  # catalogue A3, A5, A6
A6_OMEGA = -0.5  # A6, reported: Omega(m^-1/2) holds if every interval lies above -1/2


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
    if "curves" in inputs:
        value += ". " + last_epoch_decrease(read_csv(inputs["curves"]))
    return Outcome.judge(checks, value, "final training loss does not fall monotonically "
                         "with width in every group (figures/operators_final_loss)")


A1 = Claim(
    "A1", FAMILY, "operators_final_loss",
    "final training loss decreases with width in each architecture x problem "
    "(Spearman rho {threshold} over widths)",
    threshold=RHO_MAX, inputs=("final_loss",), evaluator=a1_final_loss,
    optional=("curves",), paper_value="wider converges lower")


def last_epoch_decrease(curves: pd.DataFrame) -> str:
    """How far from converged the widest Adam nets were: per (arch, problem), the relative
    decrease 1 - L(E)/L(E-1) of the widest width's seed-mean training loss over its last
    epoch (a run cut by the compute budget is still falling)."""
    mc = mean_curves(curves)
    parts = []
    for label, g in _pairs(mc):
        wide = g[g.width == g.width.max()].sort_values("step") if len(g) else g
        if len(wide) < 2:
            continue
        prev, last = wide["value"].iloc[-2], wide["value"].iloc[-1]
        parts.append(f"{label} m={int(wide.width.iloc[0])}: {100 * (1 - last / prev):.1f} %")
    return ("widest nets' last-epoch loss decrease (about 0 = converged, negative = the loss "
            "rose; large = cut by the compute budget): " + ", ".join(parts)) if parts else (
        "no curves")


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
    value = ("widest/narrowest epochs fraction e*/E: " + "; ".join(parts) + ". "
             + last_epoch_decrease(curves))
    return Outcome.judge(checks, value, "the widest net is not twice as fast as the narrowest "
                         "(figures/operators_loss_curves)")


A2 = Claim(
    "A2", FAMILY, "operators_loss_curves",
    "the widest net reaches the narrowest net's final loss in at most half the epochs",
    threshold=Band(upper=0.5), inputs=("curves",), evaluator=a2_epochs_to_match,
    paper_value="wider converges faster")


def _cause(checks, failing: str, ref: str) -> str:
    """The `why` clause from the verdicts: ``failing`` where a check fails, else (only
    inconclusive checks) that the interval is too wide or evidence missing."""
    if any(c.verdict == "fail" for c in checks):
        return f"{failing} ({ref})"
    return f"the intervals are too wide to decide, or evidence is missing ({ref})"


def _gd_pairs(df: pd.DataFrame):
    """(label, rows) for every GD group of the catalogue (empty where not run)."""
    for arch, problem in GD_GROUPS:
        rows = df[(df["arch"] == arch) & (df["problem"] == problem)] if len(df) else df
        yield f"{ARCH_LABELS.get(arch, arch)}/{problem}", rows


def _gd_table(inputs: Mapping[str, str], key: str, quantity: str):
    """The GD table ``key``, or the absent checks of every group when it was not run."""
    if key not in inputs:
        return None, [Check.absent(label, quantity, "GD runs not run")
                      for label, _ in _gd_pairs(pd.DataFrame())]
    return read_csv(inputs[key]), []


def a3_param_distance(inputs: Mapping[str, str]) -> Outcome:
    """A3: under GD, the slope of log ||theta_T - theta_0|| on log m has its t-interval within
    A3's band in every GD group (lazy training keeps the distance O(1));
    the slopes of the ratio and of ||theta_0|| are reported beside it."""
    summary, absent = _gd_table(inputs, "gd_summary", "slope of ||theta_T - theta_0||")
    if summary is None:
        return Outcome.judge(absent, "GD runs not run", "build results/operators/gd/")
    checks, parts = [], []
    for label, g in _gd_pairs(summary):
        if g.empty:
            checks.append(Check.absent(label, "slope of ||theta_T - theta_0||"))
            parts.append(f"{label}: not run")
            continue
        expected = {"width": sorted(g.width.unique().tolist()),
                    "seed": sorted(summary.seed.unique().tolist())}
        est = slope_estimate(g, "width", "param_distance", expected=expected)
        checks.append(A3.threshold.check(label, "slope of ||theta_T - theta_0||", est))
        rel = slope_estimate(g, "width", "rel_param_distance").value
        norm0 = slope_estimate(g, "width", "param_norm0").value
        parts.append(f"{label}: {fmt(est.value, 2)} [{fmt(est.lo, 2)}, {fmt(est.hi, 2)}] "
                     f"(ratio {fmt(rel, 2)}, ||theta_0|| {fmt(norm0, 2)})")
    fails = [c for c in checks if c.verdict == "fail"]
    way = ("grows" if fails and fails[0].estimate.value > 0 else "shrinks")
    return Outcome.judge(checks, "GD, slope of ||theta_T - theta_0|| in m: " + "; ".join(parts),
                         _cause(checks, f"under gradient descent the distance travelled {way} "
                                "with the width: it is not O(1)", "figures/operators_gd"))


def a3_first(inputs: Mapping[str, str]) -> Outcome:
    """A3 as first stated: on the Adam runs, ||theta_T - theta_0|| / ||theta_0|| decreases
    with width (rho <= -0.8) everywhere (falls by construction when ||theta_0|| ~ m)."""
    checks, value = _decreasing(read_csv(inputs["summary"]), "rel_param_distance",
                                "relative distance", RHO_MAX, extra="param_distance")
    return Outcome.judge(checks, value)


def a4_first(inputs: Mapping[str, str]) -> Outcome:
    """A4 as first stated: the *loss* Hessian's spectral norm at initialization decreases with
    width (rho <= -0.8); its Gauss-Newton part (2/N) J^T J stays O(1) under NTK scaling."""
    checks, value = _decreasing(read_csv(inputs["summary"]), "hessian_norm",
                                "loss Hessian norm", RHO_MAX)
    return Outcome.judge(checks, value)


A3 = Claim(
    "A3", FAMILY, "operators_gd",
    "under full-batch GD with one width-independent step, the absolute distance "
    "||theta_T - theta_0|| stays O(1) in width: log-log slope's t-interval {threshold} in "
    "every GD group (ratio and ||theta_0|| slopes reported)",
    threshold=Band(lower=-0.25, upper=0.25), inputs=("gd_summary",),
    evaluator=a3_param_distance, paper_value="weights stay near initialization",
    also={"first": RHO_MAX},
    first_statement="the relative distance ||theta_T - theta_0||/||theta_0|| under Adam "
    "decreases with width (Spearman rho {first})",
    respecified="the ratio falls by construction when ||theta_0|| ~ m grows faster than the "
    "distance; lazy training is about the absolute distance, judged under GD so that Adam's "
    "width-independent step cannot inflate it (issue 23)",
    first_evaluator=a3_first, first_inputs=("summary",))


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
    "seed 000's smoothness bound is on the network's Hessian, O(1/sqrt(m)) (issue 13)",
    first_evaluator=a4_first, first_inputs=("summary",))

def a5_gd_final_loss(inputs: Mapping[str, str]) -> Outcome:
    """A5: A1 under full-batch GD with one width-independent step: rho(final loss, width)
    <= -0.8 in every GD group; the step eta of each group is reported."""
    summary, absent = _gd_table(inputs, "gd_summary", "rho(final loss, width)")
    if summary is None:
        return Outcome.judge(absent, "GD runs not run", "build results/operators/gd/")
    seeds = sorted(summary.seed.unique().tolist())
    checks, parts = [], []
    for label, g in _gd_pairs(summary):
        if g.empty:
            checks.append(Check.absent(label, "rho(final loss, width)"))
            parts.append(f"{label}: not run")
            continue
        expected = {"width": sorted(g.width.unique().tolist()), "seed": seeds}
        rho = rank_estimate(g, "width", "final_train_loss", expected=expected)
        slope = slope_estimate(g, "width", "final_train_loss", expected=expected)
        checks.append(A5.threshold.check(label, "rho(GD final loss, width)", rho))
        parts.append(f"{label} (eta={fmt(float(g.eta.iloc[0]), 3)}, "
                     f"{int(g.steps.iloc[0])} steps): rho={fmt(rho.value, 2)}, "
                     f"slope={fmt(slope.value, 2)}")
    return Outcome.judge(checks, "GD: " + "; ".join(parts), _cause(
        checks, "under gradient descent with one step the final loss does not fall with "
        "width in every group: where Adam's does (A1), the width benefit is an optimizer "
        "effect", "figures/operators_gd"))


def a6_grad_norm(inputs: Mapping[str, str]) -> Outcome:
    """A6: the slope of log ||grad L(theta_t)||^2 on log m, t in {0, S/10, S/2}, has its
    t-interval within A6's band in every GD group; Omega(m^-1/2) (every interval above
    A6_OMEGA) is reported beside it."""
    curves, absent = _gd_table(inputs, "gd_curves", "slope of ||grad L||^2")
    if curves is None:
        return Outcome.judge(absent, "GD runs not run", "build results/operators/gd/")
    seeds = sorted(curves.seed.unique().tolist())
    checks, parts = [], []
    for f in GRAD_FRACTIONS:
        at = grad_norm_at(curves, f)
        name = fraction_label(f)
        for label, g in _gd_pairs(at):
            if g.empty:
                checks.append(Check.absent(f"{label} {name}", "slope of ||grad L||^2"))
                continue
            expected = {"width": sorted(g.width.unique().tolist()), "seed": seeds}
            est = slope_estimate(g, "width", "grad_norm_sq", expected=expected)
            checks.append(A6.threshold.check(f"{label} {name}", "slope of ||grad L||^2", est))
            parts.append(f"{label} {name}: {fmt(est.value, 2)} [{fmt(est.lo, 2)}, "
                         f"{fmt(est.hi, 2)}]")
    omega = [c for c in checks if not math.isnan(c.estimate.lo)]
    holds = bool(omega) and all(c.estimate.lo > A6_OMEGA for c in omega) and len(omega) == len(
        checks)
    value = (f"Omega(m^-1/2) (every interval above {A6_OMEGA:g}): {'holds' if holds else 'no'}"
             "; slopes " + "; ".join(parts))
    return Outcome.judge(checks, value, _cause(
        checks, "the squared gradient norm does not scale like m^(-1/2) during GD",
        "figures/operators_gd"))


def a4_hessian(inputs: Mapping[str, str]) -> Outcome:
    """A4: the spectral norm of the network's Hessian ∇²_θ⟨v, G_θ(u)⟩ at initialization
    decreases with width (rho <= -0.8), slope beside the theory's −1/2; the loss Hessian's
    norm (``hessian_norm``) is a contrast, not judged."""
    summary = read_csv(inputs["summary"])
    if "net_hessian_norm" not in summary:  # a summary written before A4 was re-specified
        checks = [Check.absent(label, "network Hessian norm", "not measured")
                  for label, _ in _pairs(summary)]
        return Outcome.judge(checks, "network Hessian not measured",
                             "rerun section A's training (results/operators/summary.csv)")
    checks, value = _decreasing(summary, "net_hessian_norm", "network Hessian norm")
    return Outcome.judge(checks, value, "the network Hessian's norm at initialization does "
                         "not shrink with width in every group (figures/operators_lazy)")


A5 = Claim(
    "A5", FAMILY, "operators_gd",
    "A1 under full-batch GD with one step eta = 1/max_m lambda_max(Hessian of L at init): "
    "final training loss decreases with width (Spearman rho {threshold}) in every GD group",
    threshold=RHO_MAX, inputs=("gd_summary",), evaluator=a5_gd_final_loss,
    paper_value="wider converges lower")

A6 = Claim(
    "A6", FAMILY, "operators_gd",
    "under GD, log-log slope of ||grad L(theta_t)||^2 in m at t = 0, S/10, S/2 {threshold} in "
    "every GD group (Omega(m^-1/2) reported)",
    threshold=Band(lower=-0.7, upper=-0.3), inputs=("gd_curves",), evaluator=a6_grad_norm,
    paper_value="||grad||^2 ~ 1/sqrt(m) (next check 2)")

CLAIMS = (A1, A2, A3, A4, A5, A6)
