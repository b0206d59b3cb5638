"""Aggregation of the section A runs: tidy curves and summaries, seed-mean curves, and the
tidy per-seed ``operators_final_loss`` table.

Inputs are the per-run files written by the training jobs: ``metrics`` (``step, metric,
value`` with step = epoch) and ``summary`` (one row per run). Everything here is pandas on
those tables, shared by the aggregation rule (which writes ``curves``, ``summary`` and the
tidy ``operators_final_loss`` table under results/) and the claim evaluators A1-A4.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from wideopt.io import read_csv

KEYS = ["arch", "problem", "width"]
ARCH_LABELS = {"deeponet": "DON", "fno": "FNO"}


def collect_curves(paths: Iterable[str]) -> pd.DataFrame:
    """Concatenate per-job metrics (``arch, problem, width, seed, step, metric, value``: a job
    writes one width or a group of widths, each row naming its own)."""
    cols = ["arch", "problem", "width", "seed", "step", "metric", "value"]
    frames = []
    for p in paths:
        df = read_csv(p)
        missing = [c for c in cols if c not in df]
        if missing:
            raise ValueError(f"{p}: run metrics lack the columns {missing}")
        frames.append(df)
    return pd.concat(frames, ignore_index=True)[cols]


def collect_summaries(paths: Iterable[str]) -> pd.DataFrame:
    df = pd.concat([read_csv(p) for p in paths], ignore_index=True)
    return df.sort_values(KEYS + ["seed"]).reset_index(drop=True)


def mean_curves(curves: pd.DataFrame, metric: str = "train_loss") -> pd.DataFrame:
    """Mean over seeds of one metric per (arch, problem, width, step)."""
    sel = curves[curves["metric"] == metric]
    return sel.groupby(KEYS + ["step"], as_index=False)["value"].mean()


def first_step_below(curve: pd.DataFrame, level: float) -> float:
    """First step at which ``value <= level`` (NaN if never); ``curve`` has step, value."""
    hit = curve.loc[curve["value"] <= level, "step"]
    return float(hit.min()) if len(hit) else float("nan")


QUANTITIES = ("final train loss", "test rel L2", "epochs to threshold")
TABLE_KEYS = ["problem", "arch", "width", "quantity"]


def final_loss_table(curves: pd.DataFrame, summary: pd.DataFrame,
                     loss_threshold: float) -> pd.DataFrame:
    """Tidy ``operators_final_loss``: columns ``problem, arch, width, quantity, seed, value``.

    - ``final train loss`` and ``test rel L2``: one row per seed (the run's summary), so the
      mean and sd over seeds are taken by whoever reads the table
      (:func:`wideopt.analysis.tables.summarize`).
    - ``epochs to threshold``: the first epoch at which the *seed-mean* training loss falls
      to ``loss_threshold`` times the mean square of the training targets (a relative MSE,
      so one threshold fits all three problems); NaN where it never does. A property of the
      mean curve, not of one seed, so one row per cell with an empty ``seed``.

    Rows are ordered by (arch, problem, width), then quantity, then seed; ``arch`` keeps the
    run names (deeponet, fno).
    """
    summary = summary.sort_values(KEYS + ["seed"])
    mc = mean_curves(curves)
    rows = []
    for (arch, problem, width), runs in summary.groupby(KEYS, sort=True):
        key = dict(problem=problem, arch=arch, width=int(width))
        for quantity, column in zip(QUANTITIES[:2], ["final_train_loss", "final_test_rel_l2"],
                                    strict=True):
            rows += [dict(key, quantity=quantity, seed=int(r["seed"]), value=r[column])
                     for _, r in runs.iterrows()]
        curve = mc[(mc.arch == arch) & (mc.problem == problem) & (mc.width == width)]
        level = loss_threshold * runs["target_mean_square"].mean()
        rows.append(dict(key, quantity=QUANTITIES[2], seed=pd.NA,
                         value=first_step_below(curve, level)))
    out = pd.DataFrame(rows, columns=[*TABLE_KEYS, "seed", "value"])
    return out.astype({"seed": "Int64"})


def with_run_length(summary: pd.DataFrame, runs: pd.DataFrame,
                    labels: dict | None = None) -> pd.DataFrame:
    """``summary`` (keyed by ``arch, problem``) with ``limit``: the longest run, in epochs, of
    each architecture x problem in ``runs`` (the per-run table, column ``epochs``), for a
    table cell "not reached (> E epochs)". ``labels`` maps ``runs``' arch names to the
    summary's (default :data:`ARCH_LABELS`)."""
    labels = ARCH_LABELS if labels is None else labels
    limit = (runs.assign(arch=runs["arch"].map(labels)).groupby(["arch", "problem"])["epochs"]
             .max().rename("limit").reset_index())
    return summary.merge(limit, on=["arch", "problem"], how="left")
