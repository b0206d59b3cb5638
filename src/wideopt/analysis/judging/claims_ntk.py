"""Claims D1-D5 (section D, the NTK of a wide two-layer network), declared beside their
evaluators, from the per-seed tables
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

from wideopt.analysis.estimate import Estimate, fmt
from wideopt.analysis.fits import seed_range, slope_estimate
from wideopt.analysis.judging.claim import Band, Claim
from wideopt.analysis.judging.outcome import Check, Outcome
from wideopt.io import read_csv

FAMILY = "ntk"
ACTIVATIONS = ("relu", "erf", "tanh")  # catalogue section D


def _runs(inputs: Mapping, scheme: str = "ntk") -> pd.DataFrame:
    runs = read_csv(inputs["runs"])
    runs = runs[runs.scheme == scheme]
    return runs[runs.width >= inputs.get("fit_min_width", 0)]


def _slope_checks(df: pd.DataFrame, y: str, groups: list[str], activations, band: Band):
    """One slope check per (activation, *other group keys*) against ``band``; an absent
    activation is missing."""
    checks = []
    for act in activations:
        sub = df[df.activation == act]
        if sub.empty:
            checks.append(band.check(f"{y} {act}", "slope", Estimate(
                math.nan, math.nan, math.nan, missing=("not run",))))
            continue
        for key, g in (sub.groupby(groups) if groups else [((), sub)]):
            key = key if isinstance(key, tuple) else (key,)
            label = " ".join([y, act] + [f"{k}={v}" for k, v in zip(groups, key, strict=True)])
            checks.append(band.check(label, "slope", slope_estimate(g, "width", y)))
    return checks


def _listing(checks) -> str:
    return "; ".join(f"{c.group} {fmt(c.estimate.value, 2)}" for c in checks)


def d1(inputs: Mapping) -> Outcome:
    """D1: slope of ||H(0) − H*||_2 in m within D1's band, every activation and n."""
    init = read_csv(inputs["init"]).rename(columns={"error": "init_error"})
    checks = _slope_checks(init, "init_error", ["n"], ACTIVATIONS, D1.threshold)
    return Outcome.judge(checks, _listing(checks), "H(0) does not concentrate around H* at "
                         "the rate m^(-1/2) (figures/ntk_init_concentration)")


D1 = Claim(
    "D1", FAMILY, "ntk_init_concentration",
    "slope of ||H(0) - H*||_2 in m within [{threshold:lower}, {threshold:upper}]",
    threshold=Band(lower=-0.6, upper=-0.4), inputs=("init",), evaluator=d1, paper_value="-1/2")


def d2(inputs: Mapping) -> Outcome:
    """D2: relative kernel drift and relative weight movement slopes in D2's band."""
    runs = _runs(inputs)
    checks = [c for q in ("kernel_drift", "weight_rel")
              for c in _slope_checks(runs, q, [], ACTIVATIONS, D2.threshold)]
    return Outcome.judge(checks, _listing(checks), "the kernel or the weights do not become "
                         "lazier with width fast enough (figures/ntk_drift)")


def d2_first(inputs: Mapping) -> Outcome:
    """D2 as first stated: relative kernel drift and the *absolute* weight movement
    ||W(t) - W(0)|| (column ``weight_abs``) slopes in D2's band."""
    runs = _runs(inputs)
    checks = [c for q in ("kernel_drift", "weight_abs")
              for c in _slope_checks(runs, q, [], ACTIVATIONS, D2.threshold)]
    return Outcome.judge(checks, _listing(checks))


D2 = Claim(
    "D2", FAMILY, "ntk_drift",
    "relative kernel drift and relative weight movement decrease with m (slopes {threshold})",
    threshold=Band(upper=-0.3), inputs=("runs",), optional=("fit_min_width",), evaluator=d2,
    paper_value="-1/2",
    first_statement="relative kernel drift and absolute weight movement decrease with m "
    "(slopes {threshold})",
    first_evaluator=d2_first, first_inputs=("runs", "fit_min_width"),
    respecified="in the lazy regime the absolute movement ||W(t) - W(0)||_F stays flat in m "
    "(not a failure; it is plotted too): the relative movement is what shrinks")


def d3(inputs: Mapping) -> Outcome:
    """D3: at the widest m the loss falls below D3's fraction of its initial value (every
    seed)."""
    runs = read_csv(inputs["runs"])
    runs = runs[runs.scheme == "ntk"]
    checks, parts = [], []
    widest = runs.width.max() if len(runs) else math.nan
    for act in ACTIVATIONS:
        g = runs[(runs.activation == act) & (runs.width == widest)]
        est = (seed_range(g, "loss_ratio") if len(g) else
               Estimate(math.nan, math.nan, math.nan, missing=("not run",)))
        checks.append(D3.threshold.check(f"{act} m={widest}", "loss ratio", est))
        parts.append(f"{act} {fmt(est.hi, 2)}")
    return Outcome.judge(checks, f"m={widest}, worst seed: " + "; ".join(parts),
                         "training does not reach near-zero loss at the widest width "
                         "(figures/ntk_drift)")


D3 = Claim(
    "D3", FAMILY, "ntk_drift",
    "training loss reaches below {threshold:upper} of its initial value for the widest m",
    threshold=Band(upper=1e-3), inputs=("runs",), evaluator=d3, paper_value="zero training loss")


def d4(inputs: Mapping) -> Outcome:
    """D4: sup_t ||r(t) − r_lin(t)||/||r(0)|| shrinks with m: slope in D4's band (fitted as
    D2)."""
    runs = read_csv(inputs["runs"])
    runs = runs[runs.scheme == "ntk"]
    checks = _slope_checks(_runs(inputs), "lin_gap", [], ACTIVATIONS, D4.threshold)
    gap = runs.groupby(["activation", "width"])["lin_gap"].mean()
    text = _listing(checks) + "; " + "; ".join(
        f"{a} {fmt(g.iloc[0], 2)}->{fmt(g.iloc[-1], 2)}" for a, g in gap.groupby(level=0))
    return Outcome.judge(checks, text, "the network does not follow its linearization more "
                         "closely as m grows (figures/ntk_linearized_dynamics)")


D4 = Claim(
    "D4", FAMILY, "ntk_linearized_dynamics",
    "the gap sup_t ||r(t) - r_lin(t)||/||r(0)|| shrinks with m",
    threshold=Band(upper=0.0), inputs=("runs",), optional=("fit_min_width",), evaluator=d4,
    paper_value="-> 0")


def d5(inputs: Mapping) -> Outcome:
    """D5: under mean-field scaling the relative kernel drift does not vanish (slope in D5's band),
    ReLU (the catalogue's mean-field activation)."""
    runs = _runs(inputs, "mean_field")
    checks = _slope_checks(runs, "kernel_drift", [], ("relu",), D5.threshold)
    return Outcome.judge([Check(c.group.replace("kernel_drift", "mean-field drift"),
                                c.quantity, c.estimate, c.lower, c.upper) for c in checks],
                         _listing(checks), "the mean-field kernel moves less with width than "
                         "the O(1) drift the lecture notes predict (figures/ntk_parameterization)")


D5 = Claim(
    "D5", FAMILY, "ntk_parameterization",
    "under mean-field scaling the relative kernel drift does not vanish "
    "(slope > {threshold:lower})",
    threshold=Band(lower=-0.2), inputs=("runs",), optional=("fit_min_width",), evaluator=d5,
    paper_value="O(1) drift")

CLAIMS = (D1, D2, D3, D4, D5)
