"""Catalogue tables, compute side: tidy per-seed tables, their summaries, the paper's values.

Nothing here draws. A compute rule writes each table as a *tidy* CSV under
``results/<family>/<id>.csv``: one row per (cell, seed), the cell's key columns (e.g.
``problem, optimizer``), ``seed`` and ``value`` (NaN where that seed diverged), plus any
per-seed side columns. A table that is itself a fit over seeds (a log-log slope) has no
``seed`` column and one row per cell.

The claims (:mod:`wideopt.analysis.judging.claims`) and the renderer (:mod:`wideopt.plots.tables`)
both start from these files, and take the mean over seeds here, with :func:`summarize`; the
paper's numbers join a summary with :func:`with_paper`.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd


def paper_values(table_id: str) -> pd.DataFrame:
    """The paper's numbers for one table, one row per cell, the cell's keys as columns.

    Reads ``paper_values.csv`` (shipped with the package) whose ``cell`` column is
    ``key=value;key=value``. Returns columns ``quantity, <keys...>, paper_value``; a paper
    value of NaN is the paper's own "nan" (a run it reports as diverged).
    """
    src = resources.files("wideopt.analysis").joinpath("paper_values.csv")
    with src.open() as fh:
        raw = pd.read_csv(fh, dtype=str)
    raw = raw[raw["table"] == table_id]
    rows = []
    for _, r in raw.iterrows():
        keys = dict(kv.split("=", 1) for kv in r["cell"].split(";"))
        rows.append({"quantity": r["quantity"], **keys, "paper_value": float(r["paper_value"])})
    return pd.DataFrame(rows)


def with_paper(summary: pd.DataFrame, table_id: str, keys: list[str],
               numeric: tuple[str, ...] = (), fixed: dict | None = None) -> pd.DataFrame:
    """``summary`` with the paper's ``paper_value`` per cell, joined on ``keys``.

    ``paper_reported`` says whether the paper has the cell at all (False: the renderer shows
    "–"; True with a NaN value: the paper's own "nan", a diverged run). Key columns listed in
    ``numeric`` are compared as floats (``lr``, ``width``). ``fixed`` restricts the paper's
    cells to those keys' values first (e.g. ``{"optimizer": "NGD"}``): another table's cell
    shown beside every row that matches on ``keys``.
    """
    pv = paper_values(table_id)
    if "quantity" not in keys:
        pv = pv.drop(columns="quantity", errors="ignore")
    for k, v in (fixed or {}).items():
        pv = pv[pv[k] == v]
    pv = pv[[k for k in keys if k in pv.columns] + ["paper_value"]].assign(paper_reported=True)
    left = summary.copy()
    for k in numeric:
        pv[k] = pv[k].astype(float)
        left[k] = left[k].astype(float)
    out = left.merge(pv, on=keys, how="left")
    out["paper_reported"] = out["paper_reported"].astype("boolean").fillna(False).astype(bool)
    for k in numeric:
        out[k] = out[k].astype(summary[k].dtype)
    return out


def summarize(tidy: pd.DataFrame, keys: list[str], value: str = "value",
              nan_if_any: bool = True, ddof: int = 0) -> pd.DataFrame:
    """Mean and standard deviation of ``value`` over seeds, per cell (the ``keys``).

    Shapes: ``tidy`` has one row per (cell, seed); the result one row per cell, in the
    order cells first appear, with columns ``keys, value, std, n_seeds, n_nan``. With
    ``nan_if_any`` (the papers' convention for a diverged run) a cell with any NaN seed is
    NaN; otherwise NaN seeds are left out of the mean and counted in ``n_nan``. ``std`` is
    over seeds with ``ddof`` (0: the population sd of the seeds run).
    """
    g = tidy.groupby(keys, sort=False, dropna=False)[value]
    out = pd.DataFrame({
        "value": g.mean(),
        "std": g.std(ddof=ddof),
        "n_seeds": g.size(),
        "n_nan": g.apply(lambda s: int(s.isna().sum())),
    })
    if nan_if_any:
        bad = out["n_nan"] > 0
        out.loc[bad, ["value", "std"]] = np.nan
    return out.reset_index()
