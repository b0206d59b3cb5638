"""Section E tables: the tidy per-seed ``results/open/<id>.csv`` from the E jobs' run files
(and, for the operator questions, section A's smooth / trainable-encoder runs beside them),
plus the two derived quantities the figures and claims share:

- :func:`epochs_to_narrowest`: per seed, the first epoch at which each width's training loss
  reaches the narrowest width's final loss (A2's e*, for every width);
- :func:`critical_width`: m*(d) = the smallest width whose NGD error is within ``factor`` x the
  widest run's (per dimension and seed; NaN where the widest run diverged);
- :func:`relu_summary` and :func:`ngd_depth_tidy`: what the figure rule tabulates for
  open_relu_operators (mean ± sd over seeds) and open_ngd_depth (the deep runs beside
  section C's), computed here so that :mod:`wideopt.plots.open` only draws.

pandas only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from wideopt.analysis.operators_summary import ARCH_LABELS, first_step_below
from wideopt.analysis.tables import summarize
from wideopt.io import read_csv

RELU_KEYS = ["arch", "problem", "activation", "width"]  # one open_relu_operators row per
RELU_COLUMNS = ["arch", "problem", "activation", "width", "seed", "final_train_loss",
                "final_test_rel_l2", "epochs_to_narrow", "rel_param_distance", "diverged"]
ENCODER_COLUMNS = ["arch", "problem", "encoder", "width", "seed", "final_train_loss",
                   "final_test_rel_l2", "trained_distance", "rel_trained_distance",
                   "diverged"]


def concat(paths: Iterable[str]) -> pd.DataFrame:
    return pd.concat([read_csv(p) for p in paths], ignore_index=True)


def epochs_to_narrowest(curves: pd.DataFrame) -> pd.DataFrame:
    """``width, seed, epochs_to_narrow`` from train-loss curves (``width, seed, step, value``,
    one (arch, problem)); NaN where a width never reaches the narrowest net's final loss."""
    rows = []
    for seed, g in curves.groupby("seed"):
        narrow = g[g.width == g.width.min()]
        target = narrow.loc[narrow.step.idxmax(), "value"]
        for width, c in g.groupby("width"):
            rows.append(dict(width=width, seed=seed,
                             epochs_to_narrow=first_step_below(c, target)))
    return pd.DataFrame(rows, columns=["width", "seed", "epochs_to_narrow"])


def _with_epochs(summary: pd.DataFrame, curves: pd.DataFrame) -> pd.DataFrame:
    train = curves[curves.metric == "train_loss"]
    parts = []
    for (arch, problem), s in summary.groupby(["arch", "problem"]):
        c = train[(train.arch == arch) & (train.problem == problem)]
        parts.append(s.merge(epochs_to_narrowest(c), on=["width", "seed"], how="left"))
    return pd.concat(parts, ignore_index=True)


def _restrict(ops: pd.DataFrame, pairs: Mapping[str, list[str]],
              widths: Mapping[str, list[int]]) -> pd.DataFrame:
    keep = np.zeros(len(ops), bool)
    for arch, problems in pairs.items():
        keep |= ((ops.arch == arch) & ops.problem.isin(problems)
                 & ops.width.isin(widths[arch])).to_numpy()
    return ops[keep]


def relu_table(runs: pd.DataFrame, run_curves: pd.DataFrame, ops: pd.DataFrame,
               ops_curves: pd.DataFrame, smooth: Mapping[str, str],
               widths: Mapping[str, list[int]]) -> pd.DataFrame:
    """open_relu_operators: the ReLU runs and section A's smooth runs of the same
    architecture x problem x width, one row per seed (``RELU_COLUMNS``)."""
    pairs = runs.groupby("arch")["problem"].unique().map(list).to_dict()
    relu = _with_epochs(runs, run_curves)
    base = _restrict(ops, pairs, widths)
    base = _with_epochs(base, ops_curves).assign(activation=lambda d: d.arch.map(smooth))
    out = pd.concat([base, relu.assign(activation="relu")], ignore_index=True)
    out["diverged"] = out["diverged"].astype(bool)
    return out[RELU_COLUMNS].sort_values(["arch", "problem", "activation", "width", "seed"])


def encoder_table(frozen: pd.DataFrame, ops: pd.DataFrame,
                  widths: Mapping[str, list[int]]) -> pd.DataFrame:
    """open_fno_encoder: frozen-encoder FNO runs and section A's trained-encoder FNO runs
    (every parameter trained: the trained distance is section A's), one row per seed."""
    base = _restrict(ops, {"fno": sorted(frozen.problem.unique())}, widths).assign(
        trained_distance=lambda d: d.param_distance,
        rel_trained_distance=lambda d: d.rel_param_distance, encoder="trained")
    out = pd.concat([base, frozen.assign(encoder="frozen")], ignore_index=True)
    out["diverged"] = out["diverged"].astype(bool)
    return out[ENCODER_COLUMNS].sort_values(["problem", "encoder", "width", "seed"])


def critical_width(runs: pd.DataFrame, factor: float = 2.0) -> pd.DataFrame:
    """m*(d) per (dim, seed): the smallest width with final_rel_l2 <= factor x the widest
    width's; columns ``dim, seed, m_star, widest_error`` (NaN where the widest diverged)."""
    rows = []
    for (dim, seed), g in runs.groupby(["dim", "seed"]):
        g = g.sort_values("width")
        ref = float(g.final_rel_l2.iloc[-1])
        ok = g[g.final_rel_l2 <= factor * ref] if np.isfinite(ref) else g.iloc[:0]
        rows.append(dict(dim=dim, seed=seed, m_star=float(ok.width.min()) if len(ok)
                         else np.nan, widest_error=ref))
    return pd.DataFrame(rows, columns=["dim", "seed", "m_star", "widest_error"])


def relu_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Mean ± sd over seeds (sample sd, NaN seeds left out and counted) of the two quantities
    of the open_relu_operators table, per (arch label, problem, activation, width)."""
    tidy = df.melt(id_vars=["arch", "problem", "activation", "width", "seed"],
                   value_vars=["final_train_loss", "epochs_to_narrow"], var_name="quantity")
    tidy["arch"] = tidy.arch.map(ARCH_LABELS)
    return summarize(tidy, RELU_KEYS + ["quantity"], nan_if_any=False, ddof=1)


def ngd_depth_tidy(deep: pd.DataFrame, two_layer: pd.DataFrame, ngd_lr: float) -> pd.DataFrame:
    """One row per (problem, optimizer, net, seed): the deep runs (NGD per lr) beside section
    C's two-layer runs of the same optimizers on the same problems (``pinn_optimizers``, NGD
    at section C's ``ngd_lr``)."""
    d = deep.assign(optimizer=np.where(deep.optimizer == "NGD",
                                       "NGD lr=" + deep.lr.map("{:g}".format), deep.optimizer),
                    net="two hidden layers", value=deep.final_rel_l2)
    c = two_layer[two_layer.problem.isin(deep.problem.unique())]
    c = c.assign(optimizer=c.optimizer.replace({"L-BFGS": "LBFGS", "NGD": f"NGD lr={ngd_lr:g}"}),
                 net="one hidden layer (section C)")
    c = c[c.optimizer.isin(set(d.optimizer))]
    keys = ["problem", "optimizer", "net", "seed", "value"]
    return pd.concat([d[keys], c[keys]], ignore_index=True)
