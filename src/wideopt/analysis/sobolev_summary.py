"""Section B aggregation: tidy spectra, training curves, per-run summaries, decay table.

The decay table is computed per seed (:func:`decay_exponents`, written to
``results/sobolev/sobolev_decay_exponents.csv``) and summarized over seeds where it is read
(:func:`decay_summary`: by the figure rule and by claims B1, B2).

Training files are ``.../d{d}_alpha{alpha}_m{width}.csv`` with rows
``step, t, metric, value, seed, n_params``; a run's summary keeps its final test error
(at the common final time T = lr · steps: the "fixed time" of claim B3), the maximum over
training of the relative weight distances, and whether it diverged. Where the run was
compared with the infinite-width kernel flow f_∞ (:mod:`wideopt.training.flows.kernel_flow`) it
also keeps, at the final time, ``kernel_gap`` = ‖f_m(T) − f_∞(T)‖/‖f_∞(T)‖ (claim B3) and
``kernel_flow_error`` = ‖f_∞(T) − f‖ (test L² error of the kernel flow, as ``test_l2``);
NaN where the training file predates them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from wideopt.analysis.fits import fit_decay, float64_floor, loglog_slope
from wideopt.analysis.tables import summarize
from wideopt.io import read_csv

RUN = re.compile(r"d(?P<d>\d+)_alpha(?P<alpha>[0-9.]+)_m(?P<width>\d+)\.csv$")


def concat_csv(paths: Iterable[str]) -> pd.DataFrame:
    return pd.concat([read_csv(p) for p in paths], ignore_index=True)


def _at(wide: pd.DataFrame, step: int, metric: str) -> float:
    """``wide[metric]`` at ``step``, NaN where the metric was not recorded."""
    return float(wide.loc[step, metric]) if metric in wide else float("nan")


def aggregate_runs(paths: Iterable[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (curves, runs): all metrics with d/alpha/width columns, and one row per run."""
    curves, runs = [], []
    for path in paths:
        keys = RUN.search(str(path)).groupdict()
        keys = dict(d=int(keys["d"]), alpha=float(keys["alpha"]), width=int(keys["width"]))
        df = read_csv(path).assign(**keys)
        curves.append(df)
        for seed, g in df.groupby("seed"):
            wide = g.pivot_table(index="step", columns="metric", values="value")
            last = wide.index.max()
            runs.append(dict(**keys, seed=seed, n_params=int(g.n_params.iloc[0]),
                             t_final=float(g.t.max()),
                             test_l2=float(wide.loc[last, "test_l2"]),
                             test_l2_init=float(wide.loc[0, "test_l2"]),
                             train_rmse=float(wide.loc[last, "train_rmse"]),
                             weight_rel_max=float(wide["weight_rel"].max()),
                             weight_rel_spec_max=float(wide["weight_rel_spec"].max()),
                             diverged=float(wide["diverged"].dropna().iloc[-1]),
                             kernel_gap=_at(wide, last, "kernel_gap"),
                             kernel_flow_error=_at(wide, last, "kernel_flow_l2")))
    curves = pd.concat(curves, ignore_index=True)
    curves = curves[curves.metric != "diverged"]
    return curves, pd.DataFrame(runs)


def spectrum_fits(spectra: pd.DataFrame, fit: Mapping[str, float],
                  ratio_index: int) -> pd.DataFrame:
    """Decay fit and λ_k/λ_1 at k = ``ratio_index`` for every (d, activation, kind, seed)."""
    rows = []
    for (d, act, kind, seed), g in spectra.groupby(["d", "activation", "kind", "seed"]):
        lam = g.sort_values("k").eigenvalue.to_numpy()
        n = len(lam)
        res = fit_decay(lam, int(fit["k_min"]), int(fit["k_max_fraction"] * n),
                        float64_floor(lam, n, fit["floor_margin"]))
        rows.append(dict(d=d, activation=act, kind=kind, seed=seed, **res,
                         lambda_ratio=float(lam[ratio_index - 1] / lam[0])))
    return pd.DataFrame(rows)


DECAY_KEYS = ["quantity", "activation", "d"]


def decay_exponents(spectra: pd.DataFrame, fit: Mapping[str, float],
                    ratio_index: int) -> pd.DataFrame:
    """The decay table, tidy: one row per (quantity, activation, d, seed) with its ``value``.

    Quantities: ``exponent`` (p in λ_k ~ k^{−p}), ``k_hi_used`` (last index above the float64
    floor, ≤ the stated range), ``r2_power`` / ``r2_geometric`` (log λ linear in log k / in k
    on the same points: a smooth activation's spectrum that fits the geometric law as well as
    the power law is not a power law) and ``lambda_ratio_k{K}`` = λ_K/λ_1. The infinite-width
    ReLU kernel is the activation ``relu (m=inf)`` (one row, ``seed`` 0).
    """
    fits = spectrum_fits(spectra, fit, ratio_index)
    fits["activation"] = np.where(fits.kind == "infinite", fits.activation + " (m=inf)",
                                  fits.activation)
    long = fits.melt(id_vars=["d", "activation", "seed"],
                     value_vars=["exponent", "k_hi_used", "r2_power", "r2_geometric",
                                 "lambda_ratio"], var_name="quantity")
    long["quantity"] = long.quantity.replace("lambda_ratio", f"lambda_ratio_k{ratio_index}")
    return long[DECAY_KEYS + ["seed", "value"]]


def decay_summary(tidy: pd.DataFrame) -> pd.DataFrame:
    """Mean (``value``) and sample sd (``std``, ddof 1) over seeds per (quantity, activation,
    d) of :func:`decay_exponents`, plus the theory row ``theory d/(d-1)`` for ReLU.

    A seed whose fit is NaN (fewer than three points above the floor) is left out of the mean.
    """
    table = summarize(tidy, DECAY_KEYS, nan_if_any=False, ddof=1)
    theory = pd.DataFrame([dict(quantity="theory d/(d-1)", activation="relu", d=d,
                                value=d / (d - 1), std=np.nan)
                           for d in sorted(tidy.d.unique())])
    return pd.concat([table, theory], ignore_index=True)


def run_means(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean and std over seeds of every run summary, per (d, alpha, width)."""
    cols = ["test_l2", "weight_rel_max", "weight_rel_spec_max", "n_params", "diverged"]
    g = runs.groupby(["d", "alpha", "width"])[cols]
    return g.mean().join(g.std()[cols[:3]].add_suffix("_std")).reset_index()


def rate_slopes(runs: pd.DataFrame, classical: pd.DataFrame) -> pd.DataFrame:
    """Per alpha: log-log slope of error vs number of parameters, network vs classical.

    The network slope is fitted over its widths (mean final test error over seeds); the
    classical slope is that of the exact best-approximation (``projection``) error over the
    same parameter range [min P, max P].
    """
    means = run_means(runs)
    rows = []
    for alpha, g in means.groupby("alpha"):
        lo, hi = g.n_params.min(), g.n_params.max()
        c = classical[(classical.alpha == alpha) & (classical.method == "projection")]
        c = c[(c.n_params >= lo) & (c.n_params <= hi)]
        rows.append(dict(alpha=alpha, network=loglog_slope(g.n_params, g.test_l2),
                         classical=loglog_slope(c.n_params, c.test_l2),
                         p_min=int(lo), p_max=int(hi)))
    return pd.DataFrame(rows)
