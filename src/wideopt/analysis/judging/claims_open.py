"""Claims E1-E6 (section E: open questions of the sources), declared beside their evaluators,
from the tidy per-seed tables
``results/open/<id>.csv`` (inputs named by the id without ``open_``). Each verdict is an
answer: ``pass`` = the hypothesis holds, ``fail`` = it does not (a result, not a defect).

- E1: log-log slope of rho*(m) over every (width, seed) with its t-interval
  (:func:`~wideopt.analysis.fits.slope_estimate`) within E1's band around the theory's 1/2
  (two-sided: a slope ~1, rho* a fixed fraction of ||theta_0||, is not the theory's
  neighbourhood); a rho* at the end of the search range is censored (only a bound is
  known): that cell is missing evidence. rho* along the structured direction (the top
  eigenvector of the network Hessian at init, both signs) is reported beside it when run.
- E2 (ReLU rows): Spearman rho of the seed-mean final training loss vs width <= -0.8 in every
  architecture x problem run, interval = range of the per-seed rho
  (:func:`~wideopt.analysis.fits.rank_estimate`); the smooth rho is reported.
- E3: per problem, the trained encoder's log-log slope of the final loss in width has its
  t-interval below 0, *and* the slope difference (trained - frozen) has its t-interval below
  E3_DIFF (:func:`~wideopt.analysis.fits.slope_difference`): the trainable encoder does
  not remove the width benefit that the frozen one shows.
- E4: per depth, at the widest width and the longest time, h = max over layers (per seed)
  in E4's band (range over seeds), and rho(h, width) in :data:`RHO_MAX` at that time.
- E5: per problem, NGD's error (best lr by seed mean) over the best other optimizer's seed-mean
  error < 1 for every seed (as C1).
- E6: m*(d) per seed (:func:`~wideopt.analysis.open_summary.critical_width`, ``factor`` from
  the settings); Spearman rho(d, m*) in E6's band, the fitted exponent of m* ~ d^k reported.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from wideopt.analysis.estimate import Estimate, fmt
from wideopt.analysis.fits import rank_estimate, seed_range, slope_difference, slope_estimate
from wideopt.analysis.judging.claim import Band, Claim
from wideopt.analysis.judging.outcome import Check, Outcome
from wideopt.analysis.open_summary import critical_width
from wideopt.analysis.operators_summary import ARCH_LABELS
from wideopt.io import read_csv

FAMILY = "open"
RHO_MAX = Band(upper=-0.8)  # "decreases with width": Spearman rho (section A's convention)
E3_DIFF = Band(upper=0.5)  # catalogue E3: slope(trained) - slope(frozen) below +0.5
E1_FIRST = Band(lower=0.3)  # E1 as first stated (one-sided)


def _grid(df: pd.DataFrame, x: str) -> dict[str, list]:
    return {x: sorted(df[x].unique().tolist()), "seed": sorted(df["seed"].unique().tolist())}


def e1_radius(inputs: Mapping) -> Outcome:
    """E1: rho*(m) grows like sqrt(m): log-log slope in E1's band; rho*/||theta_0|| and rho*
    along the top network-Hessian eigenvector (``structured``, where given) reported."""
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
    check = E1.threshold.check("rho*(m)", "log-log slope", est)
    cause = ""
    if check.verdict != "pass" and math.isfinite(est.value):
        cause = (f"rho* grows faster than m^{E1.threshold:upper} (point estimate), faster "
                 "than the theory's sqrt(m)" if est.value > E1.threshold.upper else
                 f"rho* grows slower than m^{E1.threshold:lower}"
                 if est.value < E1.threshold.lower else
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


E1 = Claim(
    "E1", FAMILY, "open_radius",
    "the trainable neighbourhood of initialization grows like sqrt(m): rho*(m) log-log "
    "slope's t-interval {threshold} (rho* along the top Hessian eigenvector reported)",
    threshold=Band(lower=0.3, upper=0.7), inputs=("radius",), optional=("structured",),
    evaluator=e1_radius, paper_value="open (seed 000): theory 1/2",
    also={"first": E1_FIRST},
    first_statement="the trainable neighbourhood of initialization grows with width: rho*(m) "
    "log-log slope {first}",
    respecified="one-sided, it passed rho* growing like ||theta_0|| ~ m (a fixed fraction of "
    "the initialization), which is not the theory's sqrt(m) neighbourhood (issue 23)",
    first_evaluator=lambda inputs: e1_first(inputs), first_inputs=("radius",))


def e1_first(inputs: Mapping) -> Outcome:
    """E1 as first stated: rho*(m) log-log slope >= 0.3 (one-sided)."""
    df = read_csv(inputs["radius"])
    est = slope_estimate(df[df.censored == 0], "width", "rho_star", expected=_grid(df, "width"))
    return Outcome.judge([E1_FIRST.check("rho*(m)", "log-log slope", est)],
                         f"slope {fmt(est.value, 2)} [{fmt(est.lo, 2)}, {fmt(est.hi, 2)}]")


def _decreasing(df: pd.DataFrame, groups: list[str], label, quantity: str, band: Band):
    checks, parts = [], []
    for key, g in df.groupby(groups, sort=True):
        name = label(key if isinstance(key, tuple) else (key,))
        est = rank_estimate(g, "width", "final_train_loss", expected=_grid(g, "width"))
        checks.append(band.check(name, f"rho({quantity}, width)", est))
        parts.append(f"{name}: rho={fmt(est.value, 2)}")
    return checks, parts


def _op_label(key) -> str:
    return f"{ARCH_LABELS.get(key[0], key[0])}/{key[1]}"


def e2_relu(inputs: Mapping) -> Outcome:
    """E2: with ReLU, final training loss decreases with width (ρ in E2's band) in every
    architecture x problem run; the smooth activation's rho beside it."""
    df = read_csv(inputs["relu_operators"])
    relu = df[df.activation == "relu"]
    if relu.empty:
        return Outcome.judge([Check.absent("ReLU", "rho(final loss, width)")], "not run")
    checks, parts = _decreasing(relu, ["arch", "problem"], _op_label, "ReLU final loss",
                                E2.threshold)
    _, smooth = _decreasing(df[df.activation != "relu"], ["arch", "problem"], _op_label,
                            "final loss", E2.threshold)
    value = "ReLU " + "; ".join(parts) + (" | smooth " + "; ".join(smooth) if smooth else "")
    return Outcome.judge(checks, value,
                         "with ReLU the final loss does not fall monotonically with width in "
                         "every group (figures/open_relu_operators)")


E2 = Claim(
    "E2", FAMILY, "open_relu_operators",
    "with ReLU, final training loss still decreases with width in every architecture x "
    "problem run (Spearman rho {threshold})",
    threshold=RHO_MAX, inputs=("relu_operators",), evaluator=e2_relu,
    paper_value="open (seed 000)")


def e3_encoder(inputs: Mapping) -> Outcome:
    """E3: per problem, the trained encoder's final-loss slope in width has its t-interval in
    E3's band (below 0), and slope(trained) - slope(frozen) has its interval in E3_DIFF (below
    +0.5); both slopes and rho are reported."""
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
        checks += [E3.threshold.check(f"FNO/{problem} trained", "final-loss slope", s_tr),
                   E3_DIFF.check(f"FNO/{problem}", "slope(trained) - slope(frozen)", diff)]
        rho_tr = rank_estimate(tr, "width", "final_train_loss", expected=grid).value
        rho_fr = rank_estimate(fr, "width", "final_train_loss", expected=grid).value
        parts.append(f"FNO/{problem}: trained slope {fmt(s_tr.value, 2)} [{fmt(s_tr.lo, 2)}, "
                     f"{fmt(s_tr.hi, 2)}] (rho={fmt(rho_tr, 2)}), frozen slope "
                     f"{fmt(s_fr.value, 2)} (rho={fmt(rho_fr, 2)}), difference "
                     f"{fmt(diff.value, 2)} [{fmt(diff.lo, 2)}, {fmt(diff.hi, 2)}]")
    return Outcome.judge(checks, "; ".join(parts), "with a trainable encoder the width "
                         "benefit is absent or much weaker than with the frozen one "
                         "(figures/open_fno_encoder)")


E3 = Claim(
    "E3", FAMILY, "open_fno_encoder",
    "with a trainable encoder the FNO's final loss still falls with width (slope's interval "
    "{threshold}) and no more than 0.5 less steeply than with the frozen encoder (slope "
    "difference trained - frozen {diff})",
    threshold=Band(upper=0.0), also={"diff": E3_DIFF, "first": RHO_MAX},
    inputs=("fno_encoder",), evaluator=e3_encoder, paper_value="open (seed 000)",
    first_statement="with a trainable encoder the FNO's width benefit holds (Spearman rho "
    "{first} of final loss vs width)",
    respecified="the trained-encoder rows are section A's FNO/burgers runs, so the first "
    "statement restated A1; the question is the contrast with the frozen encoder (issue 23)")


def e4_depth(inputs: Mapping) -> Outcome:
    """E4: at every depth, h in E4's band for the widest net at the longest time, and h
    decreases with width (ρ in :data:`RHO_MAX`) at that time; h = max over the trained layers."""
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
        checks += [E4.threshold.check(f"L={depth} m={widest}", "max_layers h", bound),
                   E4.also["rho"].check(f"L={depth}", "rho(h, width)", rho)]
        parts.append(f"L={depth}: h(m={widest})={fmt(bound.value, 2)}, rho={fmt(rho.value, 2)}")
    return Outcome.judge(checks, f"at {int(df.multiple.max())}x the time: " + "; ".join(parts),
                         "weights leave the neighbourhood of initialization at some depth, "
                         "or do not stay closer as width grows (figures/open_depth_distance)")


E4 = Claim(
    "E4", FAMILY, "open_depth_distance",
    "at every depth, h = max_t ||W(t) - W(0)||_2/||W(0)||_2 {threshold} for the widest net at "
    "16x the time, and h decreases with width",
    threshold=Band(upper=1.0), also={"rho": RHO_MAX}, inputs=("depth_distance",),
    evaluator=e4_depth, paper_value="open (seed 001)")


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
        checks.append(E5.threshold.check(prob, f"NGD(lr={lr:g}) / {name}", est))
        parts.append(f"{prob}: NGD lr={lr:g} {fmt(best.final_rel_l2.mean())} vs {name} "
                     f"{fmt(ref)}")
    if not checks:
        checks.append(Check.absent("ngd depth", "NGD / best other"))
    return Outcome.judge(checks, "; ".join(parts) or "not run", "another optimizer reaches a "
                         "lower error than NGD with two hidden layers (figures/open_ngd_depth)")


E5 = Claim(
    "E5", FAMILY, "open_ngd_depth",
    "with two trained hidden layers NGD still has the lowest error on poisson1d and "
    "poisson2d",
    threshold=Band(upper=1.0), inputs=("ngd_depth",), evaluator=e5_ngd_depth,
    paper_value="open (seed 002)")


def e6_dimension(inputs: Mapping) -> Outcome:
    """E6: m*(d) grows with d: Spearman rho(d, m*) in E6's band (a constant m* is rho = 0); the
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
    return Outcome.judge([E6.threshold.check("m*(d)", "rho(m*, d)", est)], value,
                         "the width NGD needs does not grow with the dimension "
                         "(figures/open_ngd_dimension)")


E6 = Claim(
    "E6", FAMILY, "open_ngd_dimension",
    "NGD's width requirement m*(d) grows with the dimension d (Spearman rho {threshold}; "
    "exponent reported)",
    threshold=Band(lower=0.8), inputs=("ngd_dimension",), optional=("factor",),
    evaluator=e6_dimension, paper_value="open (seed 002)")

CLAIMS = (E1, E2, E3, E4, E5, E6)
