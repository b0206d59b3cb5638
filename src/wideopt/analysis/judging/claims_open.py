"""Claims E1-E6 (section E: open questions of the sources), from the tidy per-seed tables
``results/open/<id>.csv`` (inputs named by the id without ``open_``). Each verdict is an
answer: ``pass`` = the hypothesis holds, ``fail`` = it does not (a result, not a defect).

- E1: log-log slope of rho*(m) over every (width, seed) with its t-interval
  (:func:`~wideopt.analysis.fits.slope_estimate`) within E1_BAND around the theory's 1/2
  (two-sided: a slope ~1, rho* a fixed fraction of ||theta_0||, is not the theory's
  neighbourhood); a rho* at the end of the search range is censored (only a bound is
  known): that cell is missing evidence. rho* along the structured direction (the top
  eigenvector of the network Hessian at init, both signs) is reported beside it when run.
- E2 (ReLU rows): Spearman rho of the seed-mean final training loss vs width <= -0.8 in every
  architecture x problem run, interval = range of the per-seed rho
  (:func:`~wideopt.analysis.fits.rank_estimate`); the smooth rho is reported.
- E3: per problem, the trained encoder's log-log slope of the final loss in width has its
  t-interval below 0, *and* the slope difference (trained - frozen) has its t-interval below
  E3_DIFF_MAX (:func:`~wideopt.analysis.fits.slope_difference`): the trainable encoder does
  not remove the width benefit that the frozen one shows.
- E4: per depth, at the widest width and the longest time, h = max over layers (per seed)
  <= 1 (range over seeds), and rho(h, width) <= -0.8 at that time.
- E5: per problem, NGD's error (best lr by seed mean) over the best other optimizer's seed-mean
  error < 1 for every seed (as C1).
- E6: m*(d) per seed (:func:`~wideopt.analysis.open_summary.critical_width`, ``factor`` from
  the settings); Spearman rho(d, m*) >= 0.8, the fitted exponent of m* ~ d^k reported.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from wideopt.analysis.fits import rank_estimate, seed_range, slope_difference, slope_estimate
from wideopt.analysis.judging.outcome import Check, Estimate, Outcome, fmt
from wideopt.analysis.open_summary import critical_width
from wideopt.analysis.operators_summary import ARCH_LABELS
from wideopt.io import read_csv

RHO_MAX = -0.8  # "decreases with width": Spearman rho <= -0.8 (section A's convention)
RHO_MIN = 0.8  # "grows with d": Spearman rho >= 0.8
E1_BAND = (0.3, 0.7)  # catalogue E1: rho* slope in [0.3, 0.7] (theory 1/2)
E3_SLOPE_MAX = 0.0  # catalogue E3: trained encoder's final-loss slope in m below 0
E3_DIFF_MAX = 0.5  # catalogue E3: slope(trained) - slope(frozen) below +0.5


def _grid(df: pd.DataFrame, x: str) -> dict[str, list]:
    return {x: sorted(df[x].unique().tolist()), "seed": sorted(df["seed"].unique().tolist())}


def e1_radius(inputs: Mapping) -> Outcome:
    """E1: rho*(m) grows with width, log-log slope >= 0.3."""
    df = read_csv(inputs["radius"])
    if df.empty:
        return Outcome.judge([Check.absent("rho*(m)", "slope")], "not run")
    grid = _grid(df, "width")
    inside = df[df.censored == 0]
    est = slope_estimate(inside, "width", "rho_star", expected=grid)
    gm = df.groupby("width")["rho_star"].apply(lambda s: float(np.exp(np.log(s).mean())))
    value = (f"slope {fmt(est.value, 2)}; rho* " + ", ".join(
        f"m={w}: {fmt(v, 3)}" for w, v in gm.items()))
    if (df.censored != 0).any():
        value += f" ({int((df.censored != 0).sum())} cells at the search range's end)"
    if "structured" in inputs:
        st = read_csv(inputs["structured"])
        norms = st.groupby(["width", "seed"], as_index=False)["param_norm0"].first()
        rel = df.merge(norms, on=["width", "seed"]).assign(
            rel=lambda d: d.rho_star / d.param_norm0).groupby("width")["rel"].mean()
        value += ("; random rho*/||theta_0|| " + ", ".join(f"m={w}: {fmt(v, 2)}"
                                                          for w, v in rel.items())
                  + "; " + _structured_text(st))
    check = Check("rho*(m)", "log-log slope", est, lower=E1_BAND[0], upper=E1_BAND[1])
    cause = ""
    if check.verdict != "pass" and math.isfinite(est.value):
        cause = ("rho* grows faster than m^0.7 (point estimate), faster than the theory's "
                 "sqrt(m)" if est.value > E1_BAND[1] else
                 "rho* grows slower than m^0.3" if est.value < E1_BAND[0] else
                 "the slope's interval is too wide to decide")
    return Outcome.judge([check], value, (cause + " (figures/open_radius)") if cause else "")


def _structured_text(df: pd.DataFrame) -> str:
    """rho* along the top network-Hessian eigenvector, per sign: geometric mean per width and
    the log-log slope."""
    parts = []
    for sign, g in df.groupby("sign", sort=True):
        gm = g.groupby("width")["rho_star"].apply(lambda s: float(np.exp(np.log(s).mean())))
        slope = slope_estimate(g[g.censored == 0], "width", "rho_star")
        parts.append(f"{'+' if sign > 0 else '-'}v: slope {fmt(slope.value, 2)}, "
                     + ", ".join(f"m={w}: {fmt(v, 3)}" for w, v in gm.items()))
    return "structured (top Hessian eigenvector) " + "; ".join(parts)


def _decreasing(df: pd.DataFrame, groups: list[str], label, quantity: str):
    checks, parts = [], []
    for key, g in df.groupby(groups, sort=True):
        name = label(key if isinstance(key, tuple) else (key,))
        est = rank_estimate(g, "width", "final_train_loss", expected=_grid(g, "width"))
        checks.append(Check(name, f"rho({quantity}, width)", est, upper=RHO_MAX))
        parts.append(f"{name}: rho={fmt(est.value, 2)}")
    return checks, parts


def _op_label(key) -> str:
    return f"{ARCH_LABELS.get(key[0], key[0])}/{key[1]}"


def e2_relu(inputs: Mapping) -> Outcome:
    """E2: with ReLU, final training loss decreases with width (rho <= -0.8) in every
    architecture x problem run; the smooth activation's rho beside it."""
    df = read_csv(inputs["relu_operators"])
    relu = df[df.activation == "relu"]
    if relu.empty:
        return Outcome.judge([Check.absent("ReLU", "rho(final loss, width)")], "not run")
    checks, parts = _decreasing(relu, ["arch", "problem"], _op_label, "ReLU final loss")
    _, smooth = _decreasing(df[df.activation != "relu"], ["arch", "problem"], _op_label,
                            "final loss")
    value = "ReLU " + "; ".join(parts) + (" | smooth " + "; ".join(smooth) if smooth else "")
    return Outcome.judge(checks, value,
                         "with ReLU the final loss does not fall monotonically with width in "
                         "every group (figures/open_relu_operators)")


def e3_encoder(inputs: Mapping) -> Outcome:
    """E3: per problem, the trained encoder's final-loss slope in width has its t-interval
    below E3_SLOPE_MAX, and slope(trained) - slope(frozen) has its interval below
    E3_DIFF_MAX; both slopes and rho are reported."""
    df = read_csv(inputs["fno_encoder"])
    trained, frozen = df[df.encoder == "trained"], df[df.encoder == "frozen"]
    if trained.empty or frozen.empty:
        return Outcome.judge([Check.absent("FNO encoder", "slope difference")], "not run")
    checks, parts = [], []
    for problem in sorted(set(trained.problem) | set(frozen.problem)):
        tr, fr = trained[trained.problem == problem], frozen[frozen.problem == problem]
        widths = sorted(set(tr.width) | set(fr.width))
        grid = {"width": widths, "seed": sorted(df.seed.unique().tolist())}
        s_tr = slope_estimate(tr, "width", "final_train_loss", expected=grid)
        s_fr = slope_estimate(fr, "width", "final_train_loss", expected=grid)
        diff = slope_difference(tr, fr, "width", "final_train_loss", expected=grid)
        checks += [Check(f"FNO/{problem} trained", "final-loss slope", s_tr,
                         upper=E3_SLOPE_MAX),
                   Check(f"FNO/{problem}", "slope(trained) - slope(frozen)", diff,
                         upper=E3_DIFF_MAX)]
        rho_tr = rank_estimate(tr, "width", "final_train_loss", expected=grid).value
        rho_fr = rank_estimate(fr, "width", "final_train_loss", expected=grid).value
        parts.append(f"FNO/{problem}: trained slope {fmt(s_tr.value, 2)} [{fmt(s_tr.lo, 2)}, "
                     f"{fmt(s_tr.hi, 2)}] (rho={fmt(rho_tr, 2)}), frozen slope "
                     f"{fmt(s_fr.value, 2)} (rho={fmt(rho_fr, 2)}), difference "
                     f"{fmt(diff.value, 2)} [{fmt(diff.lo, 2)}, {fmt(diff.hi, 2)}]")
    return Outcome.judge(checks, "; ".join(parts), "with a trainable encoder the width "
                         "benefit is absent or much weaker than with the frozen one "
                         "(figures/open_fno_encoder)")


def e4_depth(inputs: Mapping) -> Outcome:
    """E4: at every depth, h <= 1 for the widest net at the longest time, and h decreases
    with width (rho <= -0.8) at that time; h = max over the trained layers."""
    df = read_csv(inputs["depth_distance"])
    if df.empty:
        return Outcome.judge([Check.absent("depth", "h")], "not run")
    last = df[df.multiple == df.multiple.max()]
    h = last.groupby(["depth", "width", "seed"], as_index=False)["h"].max()
    widest = h.width.max()
    checks, parts = [], []
    for depth, g in h.groupby("depth"):
        top = g[g.width == widest]
        bound = seed_range(top, "h", expected={"seed": sorted(h.seed.unique())})
        rho = rank_estimate(g, "width", "h", expected=_grid(h, "width"))
        checks += [Check(f"L={depth} m={widest}", "max_layers h", bound, upper=1.0),
                   Check(f"L={depth}", "rho(h, width)", rho, upper=RHO_MAX)]
        parts.append(f"L={depth}: h(m={widest})={fmt(bound.value, 2)}, rho={fmt(rho.value, 2)}")
    return Outcome.judge(checks, f"at {int(df.multiple.max())}x the time: " + "; ".join(parts),
                         "weights leave the neighbourhood of initialization at some depth, "
                         "or do not stay closer as width grows (figures/open_depth_distance)")


def e5_ngd_depth(inputs: Mapping) -> Outcome:
    """E5: with two hidden layers NGD (its best lr) has the lowest error on every problem:
    per seed, NGD's error over the best other optimizer's seed-mean error < 1."""
    df = read_csv(inputs["ngd_depth"])
    checks, parts = [], []
    for prob, g in df.groupby("problem", sort=True):
        ngd, others = g[g.optimizer == "NGD"], g[g.optimizer != "NGD"]
        if ngd.empty or others.empty:
            checks.append(Check.absent(prob, "NGD / best other"))
            continue
        lr_means = ngd.groupby("lr")["final_rel_l2"].mean().fillna(np.inf)
        lr = float(lr_means.idxmin())
        best = ngd[np.isclose(ngd.lr, lr)]
        means = others.groupby("optimizer")["final_rel_l2"].mean().fillna(np.inf)
        name, ref = means.idxmin(), float(means.min())
        est = seed_range(best.assign(ratio=best.final_rel_l2 / ref), "ratio")
        checks.append(Check(prob, f"NGD(lr={lr:g}) / {name}", est, upper=1.0))
        parts.append(f"{prob}: NGD lr={lr:g} {fmt(best.final_rel_l2.mean())} vs {name} "
                     f"{fmt(ref)}")
    if not checks:
        checks.append(Check.absent("ngd depth", "NGD / best other"))
    return Outcome.judge(checks, "; ".join(parts) or "not run", "another optimizer reaches a "
                         "lower error than NGD with two hidden layers (figures/open_ngd_depth)")


def e6_dimension(inputs: Mapping) -> Outcome:
    """E6: m*(d) grows with d: Spearman rho(d, m*) >= 0.8 (a constant m* is rho = 0); the
    exponent k of m* ~ d^k (least squares over every (d, seed)) is reported."""
    df = read_csv(inputs["ngd_dimension"])
    if df.empty:
        return Outcome.judge([Check.absent("m*(d)", "rho(m*, d)")], "not run")
    ms = critical_width(df, float(inputs.get("factor", 2.0)))
    grid = _grid(ms, "dim")
    est = rank_estimate(ms, "dim", "m_star", expected=grid)
    mean = ms.groupby("dim")["m_star"].mean()
    if math.isnan(est.value) and mean.notna().all() and mean.nunique() == 1:
        est = Estimate(0.0, 0.0, 0.0, "seed range", est.missing, est.diverged)
    slope = slope_estimate(ms, "dim", "m_star", expected=grid)
    value = (f"exponent {fmt(slope.value, 2)} [{fmt(slope.lo, 2)}, {fmt(slope.hi, 2)}]; m* "
             + ", ".join(f"d={d}: {fmt(v, 3)}" for d, v in mean.items()))
    at_top = ms[ms.m_star == df.width.max()]
    if len(at_top):  # m* = the widest width: the error still falls there, m* is a lower bound
        value += (f" ({len(at_top)} of {len(ms)} (d, seed) at the widest width {df.width.max()}:"
                  " lower bounds)")
    return Outcome.judge([Check("m*(d)", "rho(m*, d)", est, lower=RHO_MIN)], value,
                         "the width NGD needs does not grow with the dimension "
                         "(figures/open_ngd_dimension)")


EVALUATORS = {"E1": e1_radius, "E2": e2_relu, "E3": e3_encoder, "E4": e4_depth,
              "E5": e5_ngd_depth, "E6": e6_dimension}
