"""Annotated seaborn heatmaps of catalogue tables: ours beside the paper's."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import LogNorm

from wideopt.plots.style import save_figure, set_theme


def _pivot(df: pd.DataFrame, index: list[str], columns: str, value: str) -> pd.DataFrame:
    p = df.pivot_table(index=index, columns=columns, values=value, aggfunc="first", sort=False,
                       dropna=False)
    return p.astype(float)


def table_heatmap(df: pd.DataFrame, index: list[str], columns: str, title: str,
                  stem: str | Path, log_scale: bool | None = None,
                  reference: str = "paper") -> None:
    """Draw ``df``'s ``value`` (and ``paper_value`` where present) as annotated heatmaps.

    Uses a log colour scale when every finite value is positive and they span more than two
    decades (or when ``log_scale`` says so). NaN cells (diverged runs) are left blank and
    annotated ``nan``.
    """
    set_theme()
    panels = [("ours", _pivot(df, index, columns, "value"))]
    if "paper_value" in df and df["paper_value"].notna().any():
        panels.append((reference, _pivot(df, index, columns, "paper_value")))
    finite = np.concatenate([p.to_numpy().ravel() for _, p in panels])
    finite = finite[np.isfinite(finite)]
    if log_scale is None:
        log_scale = bool(finite.size and (finite > 0).all()
                         and finite.max() / finite.min() > 100)
    norm = LogNorm(finite.min(), finite.max()) if log_scale and finite.size else None
    vmin, vmax = (finite.min(), finite.max()) if finite.size else (0, 1)
    nrow, ncol = panels[0][1].shape
    fig, axes = plt.subplots(1, len(panels), squeeze=False,
                             figsize=(len(panels) * (2.0 + 1.1 * ncol), 1.2 + 0.45 * nrow))
    for ax, (name, p) in zip(axes[0], panels, strict=True):
        annot = p.map(lambda v: "nan" if not np.isfinite(v) else f"{v:.2g}")
        sns.heatmap(p, ax=ax, annot=annot, fmt="", cmap="viridis", norm=norm,
                    vmin=None if norm else vmin, vmax=None if norm else vmax,
                    cbar=name == panels[-1][0], linewidths=0.5, annot_kws={"fontsize": 8})
        ax.set_title(name)
        ax.set_ylabel(" / ".join(index))
    fig.suptitle(title)
    save_figure(fig, stem, formats=("png",))
