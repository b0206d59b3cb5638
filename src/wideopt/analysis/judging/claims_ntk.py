"""Claims D1-D5 (section D, the NTK of a wide two-layer network), from the per-seed tables
``init`` = results/ntk/init.csv (||H(0) − H*||_2 per activation, n, width, seed) and
``runs`` = results/ntk/runs.csv (sup-over-time quantities per scheme, activation, width,
seed). Slopes are least-squares log-log slopes over every (width, seed) point with their
t-interval (:func:`~wideopt.analysis.fits.slope_estimate`); trained quantities are fitted over
widths >= ``fit_min_width`` (a setting passed with the inputs, as ``ntk_slopes`` does).
The catalogue's activations (ReLU, erf, tanh) are all required.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from wideopt.analysis.fits import seed_range, slope_estimate
from wideopt.analysis.judging.outcome import Check, Estimate, Outcome, fmt
from wideopt.io import read_csv

ACTIVATIONS = ("relu", "erf", "tanh")  # catalogue section D


def _runs(inputs: Mapping, scheme: str = "ntk") -> pd.DataFrame:
    runs = read_csv(inputs["runs"])
    runs = runs[runs.scheme == scheme]
    return runs[runs.width >= inputs.get("fit_min_width", 0)]


def _slope_checks(df: pd.DataFrame, y: str, groups: list[str], activations, **bounds):
    """One slope check per (activation, *other group keys*); an absent activation is missing."""
    checks = []
    for act in activations:
        sub = df[df.activation == act]
        if sub.empty:
            checks.append(Check(f"{y} {act}", "slope", Estimate(
                math.nan, math.nan, math.nan, missing=("not run",)), **bounds))
            continue
        for key, g in (sub.groupby(groups) if groups else [((), sub)]):
            key = key if isinstance(key, tuple) else (key,)
            label = " ".join([y, act] + [f"{k}={v}" for k, v in zip(groups, key, strict=True)])
            checks.append(Check(label, "slope", slope_estimate(g, "width", y), **bounds))
    return checks


def _listing(checks) -> str:
    return "; ".join(f"{c.group} {fmt(c.estimate.value, 2)}" for c in checks)


def d1(inputs: Mapping) -> Outcome:
    """D1: slope of ||H(0) − H*||_2 in m within [−0.6, −0.4], every activation and n."""
    init = read_csv(inputs["init"]).rename(columns={"error": "init_error"})
    checks = _slope_checks(init, "init_error", ["n"], ACTIVATIONS, lower=-0.6, upper=-0.4)
    return Outcome.judge(checks, _listing(checks), "H(0) does not concentrate around H* at "
                         "the rate m^(-1/2) (figures/ntk_init_concentration)")


def d2(inputs: Mapping) -> Outcome:
    """D2: relative kernel drift and relative weight movement slopes <= −0.3."""
    runs = _runs(inputs)
    checks = [c for q in ("kernel_drift", "weight_rel")
              for c in _slope_checks(runs, q, [], ACTIVATIONS, upper=-0.3)]
    return Outcome.judge(checks, _listing(checks), "the kernel or the weights do not become "
                         "lazier with width fast enough (figures/ntk_drift)")


def d2_first(inputs: Mapping) -> Outcome:
    """D2 as first stated: relative kernel drift and the *absolute* weight movement
    ||W(t) - W(0)|| (column ``weight_abs``) slopes <= −0.3."""
    runs = _runs(inputs)
    checks = [c for q in ("kernel_drift", "weight_abs")
              for c in _slope_checks(runs, q, [], ACTIVATIONS, upper=-0.3)]
    return Outcome.judge(checks, _listing(checks))


def d3(inputs: Mapping) -> Outcome:
    """D3: at the widest m the loss falls below 1e-3 of its initial value (every seed)."""
    runs = read_csv(inputs["runs"])
    runs = runs[runs.scheme == "ntk"]
    checks, parts = [], []
    widest = runs.width.max() if len(runs) else math.nan
    for act in ACTIVATIONS:
        g = runs[(runs.activation == act) & (runs.width == widest)]
        est = (seed_range(g, "loss_ratio") if len(g) else
               Estimate(math.nan, math.nan, math.nan, missing=("not run",)))
        checks.append(Check(f"{act} m={widest}", "loss ratio", est, upper=1e-3))
        parts.append(f"{act} {fmt(est.hi, 2)}")
    return Outcome.judge(checks, f"m={widest}, worst seed: " + "; ".join(parts),
                         "training does not reach near-zero loss at the widest width "
                         "(figures/ntk_drift)")


def d4(inputs: Mapping) -> Outcome:
    """D4: sup_t ||r(t) − r_lin(t)||/||r(0)|| shrinks with m: slope < 0 (fitted as D2)."""
    runs = read_csv(inputs["runs"])
    runs = runs[runs.scheme == "ntk"]
    checks = _slope_checks(_runs(inputs), "lin_gap", [], ACTIVATIONS, upper=0.0)
    gap = runs.groupby(["activation", "width"])["lin_gap"].mean()
    text = _listing(checks) + "; " + "; ".join(
        f"{a} {fmt(g.iloc[0], 2)}->{fmt(g.iloc[-1], 2)}" for a, g in gap.groupby(level=0))
    return Outcome.judge(checks, text, "the network does not follow its linearization more "
                         "closely as m grows (figures/ntk_linearized_dynamics)")


def d5(inputs: Mapping) -> Outcome:
    """D5: under mean-field scaling the relative kernel drift does not vanish (slope > −0.2),
    ReLU (the catalogue's mean-field activation)."""
    runs = _runs(inputs, "mean_field")
    checks = _slope_checks(runs, "kernel_drift", [], ("relu",), lower=-0.2)
    return Outcome.judge([Check(c.group.replace("kernel_drift", "mean-field drift"),
                                c.quantity, c.estimate, c.lower, c.upper) for c in checks],
                         _listing(checks), "the mean-field kernel moves less with width than "
                         "the O(1) drift the lecture notes predict (figures/ntk_parameterization)")


FIRST_EVALUATORS = {"D2": d2_first}  # first-stated forms (first_statements.py)

EVALUATORS = {"D1": d1, "D2": d2, "D3": d3, "D4": d4, "D5": d5}
