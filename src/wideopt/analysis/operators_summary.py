"""Aggregation of the section A runs: tidy curves, per-width means, the final-loss table.

Inputs are the per-run files written by the training jobs: ``metrics`` (``step, metric,
value`` with step = epoch) and ``summary`` (one row per run). Everything here is pandas on
those tables, shared by the table rule, the figures and the claim evaluators A1-A4.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

KEYS = ["arch", "problem", "width"]
ARCH_LABELS = {"deeponet": "DON", "fno": "FNO"}
_RUN = re.compile(r"runs/(?P<arch>[a-z]+)/(?P<problem>[a-z_]+)/w(?P<width>\d+)\.")


def collect_curves(paths: Iterable[str]) -> pd.DataFrame:
    """Concatenate per-job metrics (``step, metric, value, seed``), keys parsed from the
    path ``runs/ARCH/PROBLEM/wWIDTH.metrics.csv``."""
    frames = []
    for p in paths:
        m = _RUN.search(Path(p).as_posix())
        if m is None:
            raise ValueError(f"not a run path: {p}")
        df = pd.read_csv(p)
        frames.append(df.assign(arch=m["arch"], problem=m["problem"], width=int(m["width"])))
    cols = ["arch", "problem", "width", "seed", "step", "metric", "value"]
    return pd.concat(frames, ignore_index=True)[cols]


def collect_summaries(paths: Iterable[str]) -> pd.DataFrame:
    df = pd.concat([pd.read_csv(p) for p in paths], ignore_index=True)
    return df.sort_values(KEYS + ["seed"]).reset_index(drop=True)


def mean_curves(curves: pd.DataFrame, metric: str = "train_loss") -> pd.DataFrame:
    """Mean over seeds of one metric per (arch, problem, width, step)."""
    sel = curves[curves["metric"] == metric]
    return sel.groupby(KEYS + ["step"], as_index=False)["value"].mean()


def first_step_below(curve: pd.DataFrame, level: float) -> float:
    """First step at which ``value <= level`` (NaN if never); ``curve`` has step, value."""
    hit = curve.loc[curve["value"] <= level, "step"]
    return float(hit.min()) if len(hit) else float("nan")


def per_width(summary: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Mean and std over seeds of ``columns`` per (arch, problem, width)."""
    g = summary.groupby(KEYS)[columns]
    mean, std = g.mean(), g.std(ddof=1)
    out = mean.join(std.add_suffix("_std")).reset_index()
    return out


def final_loss_table(curves: pd.DataFrame, summary: pd.DataFrame,
                     loss_threshold: float) -> pd.DataFrame:
    """Tidy ``operators_final_loss``: one row per (problem, arch, width, quantity).

    Quantities: ``final train loss`` and ``test rel L2`` (mean +- std over seeds), and
    ``epochs to threshold``: the first epoch at which the seed-mean training loss falls to
    ``loss_threshold`` times the mean square of the training targets (a relative MSE, so one
    threshold fits all three problems); NaN where it never does.
    """
    pw = per_width(summary, ["final_train_loss", "final_test_rel_l2", "target_mean_square"])
    mc = mean_curves(curves)
    rows = []
    for _, r in pw.iterrows():
        key = dict(problem=r["problem"], arch=ARCH_LABELS.get(r["arch"], r["arch"]),
                   width=int(r["width"]))
        curve = mc[(mc.arch == r["arch"]) & (mc.problem == r["problem"])
                   & (mc.width == r["width"])]
        level = loss_threshold * r["target_mean_square"]
        rows += [
            dict(key, quantity="final train loss", value=r["final_train_loss"],
                 std=r["final_train_loss_std"]),
            dict(key, quantity="test rel L2", value=r["final_test_rel_l2"],
                 std=r["final_test_rel_l2_std"]),
            dict(key, quantity="epochs to threshold", value=first_step_below(curve, level),
                 std=np.nan),
        ]
    return pd.DataFrame(rows)
