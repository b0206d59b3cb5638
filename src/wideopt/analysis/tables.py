"""Catalogue tables: tidy CSV, Markdown with the paper's value beside ours, and a heatmap.

A table is a tidy frame with one row per cell: key columns, ``value`` (our mean), optional
``std`` (over seeds) and optional ``paper_value``. :func:`write_table` writes
``ID.csv`` (the frame), ``ID.md`` (pivoted, "ours (paper)" per cell) and ``ID.png``.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from wideopt.io import write_csv, write_text


def paper_values(table_id: str) -> pd.DataFrame:
    """The paper's numbers for one table, one row per cell, the cell's keys as columns.

    Reads ``paper_values.csv`` (shipped with the package) whose ``cell`` column is
    ``key=value;key=value``. Returns columns ``quantity, <keys...>, paper_value``.
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


def fmt(x: float, std: float | None = None) -> str:
    """Format a number in 3-significant-digit scientific notation (``nan`` kept)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "nan"
    s = f"{x:.2e}" if (abs(x) < 1e-2 or abs(x) >= 1e3) and x != 0 else f"{x:.3g}"
    if std is not None and np.isfinite(std) and std > 0:
        s += f" ± {std:.1e}"
    return s


def to_markdown(df: pd.DataFrame, index: list[str], columns: str, title: str,
                reference: str = "paper") -> str:
    """Pivot a tidy table to Markdown: one cell "ours (paper x)" per (index, column).

    A cell whose paper value is NaN while the column exists shows "(paper nan)": the paper
    reported a diverged run there.
    """
    def cell(r) -> str:
        s = fmt(r["value"], r.get("std"))
        if "paper_value" in r:
            s += f" ({reference} {fmt(r['paper_value'])})"
        return s

    shown = df.assign(cell=df.apply(cell, axis=1))
    pivot = shown.pivot_table(index=index, columns=columns, values="cell", aggfunc="first",
                              sort=False)
    return f"# {title}\n\n" + pivot.reset_index().to_markdown(index=False) + "\n"


def write_table(
    df: pd.DataFrame,
    table_id: str,
    outdir: str | Path,
    index: list[str],
    columns: str,
    title: str,
    log_scale: bool | None = None,
    reference: str = "paper",
) -> None:
    """Write ``ID.csv``, ``ID.md`` and ``ID.png`` (heatmap, ours beside the paper's).

    ``reference`` names the ``paper_value`` column in the rendering ("paper", or
    "predicted" where the value is a theoretical prediction).
    """
    from wideopt.plots.tables import table_heatmap

    outdir = Path(outdir)
    write_csv(df, outdir / f"{table_id}.csv")
    write_text(to_markdown(df, index, columns, title, reference), outdir / f"{table_id}.md")
    table_heatmap(df, index, columns, title, outdir / table_id, log_scale=log_scale,
                  reference=reference)
