"""Catalogue tables, drawing side: one path from a summary to ``figures/ID.{csv,md,png}``.

A family's figure rule reads the tidy per-seed tables its compute rules wrote
(``results/<family>/<id>.csv``), summarizes them over seeds
(:func:`wideopt.analysis.tables.summarize`, with the paper's values joined by
:func:`~wideopt.analysis.tables.with_paper`) and calls :func:`render_table` with the table's
:class:`TableSpec`. It writes:

- ``ID.csv``: the summary itself (one row per cell: keys, ``value`` = mean over seeds,
  ``std``, ``paper_value`` where the paper has one, and ``status``: ok, diverged,
  not reached or not run; :mod:`wideopt.plots.cells`);
- ``ID.md``: pivoted, one string per cell from the spec's ``cell`` formatter (default
  ``ours ± sd (paper x)``); where there is no number, a word: "diverged", "not reached
  (> E epochs)", "–" (not run, or no paper value); a legend line under the table says so;
- ``ID.png``: :func:`table_heatmap`, ours beside the paper's, one colour scale per facet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import LogNorm

from wideopt import markdown as md
from wideopt.io import write_csv, write_text
from wideopt.plots import cells
from wideopt.plots.style import save_figure, scale_stamp, seeds_caption, set_theme

MISSING = cells.DASH
fmt = cells.fmt  # re-exported: the families' notes and custom cells format numbers with it
MAX_WIDTH_IN = 13.5  # a heatmap figure fits two columns (14 in) with its colour bars


def default_cell(r: pd.Series, reference: str = "paper") -> str:
    """``ours ± sd (paper x)``, words where there is no number (:mod:`wideopt.plots.cells`)."""
    return cells.ours(r) + cells.paper(r, reference)


@dataclass(frozen=True)
class TableSpec:
    """How one catalogue table is shown.

    ``index``/``columns``: the summary's key columns that become the rows and the columns of
    the pivot. ``reference`` names ``paper_value`` ("paper", or "predicted" where it is a
    theoretical value). ``facet``: a key column whose values get separate heatmap panels and
    colour scales (quantities with different units). ``cell(row) -> str`` formats one
    Markdown cell (default :func:`default_cell`). ``note`` is printed under the table.
    ``shown``: the ``facet`` values (or ``columns`` values) to show, in order (None: all).
    ``heatmap_index``/``heatmap_columns``: the heatmap's own rows and columns where a layout
    other than the Markdown's reads better (default: ``index``/``columns``). ``nan_means``:
    what a missing value of ours means (a status of :mod:`wideopt.plots.cells`, or a function
    of the summary row; default "diverged").
    ``draw(summary, spec, stem, scale)``: the PNG's drawing where a heatmap is the wrong chart
    (a one-dimensional sweep is a line plot, :mod:`wideopt.plots.sweeps`); default
    :func:`table_heatmap`. ``figure_title``: the figure's title where it differs from the
    Markdown's (mathtext); ``facet_labels``: the heatmap panels' titles per facet value.
    """

    id: str
    index: list[str]
    columns: str
    title: str
    reference: str = "paper"
    log_scale: bool | None = None
    facet: str | None = None
    cell: Callable[[pd.Series], str] | None = None
    note: str = ""
    shown: list | None = field(default=None)
    heatmap_index: list[str] | None = None
    heatmap_columns: str | None = None
    nan_means: str | Callable[[pd.Series], str] = cells.DIVERGED
    draw: Callable | None = None
    figure_title: str | None = None
    facet_labels: dict | None = None


def to_markdown(summary: pd.DataFrame, spec: TableSpec) -> str:
    """The pivoted Markdown table, one formatted string per cell, under the spec's title,
    then the spec's note and a legend of what the cells and words mean.

    A cell with a number goes through the spec's ``cell`` (default :func:`default_cell`); a
    cell without one says why (:func:`wideopt.plots.cells.ours`), a (row, column) pair with
    no cell at all "–". Cells are escaped by :func:`wideopt.markdown.table`."""
    summary = summary if "status" in summary else cells.with_status(summary, spec.nan_means)
    custom = spec.cell or (lambda r: default_cell(r, spec.reference))

    def text(r: pd.Series) -> str:
        if r["status"] == cells.OK:
            return custom(r)
        return cells.ours(r) + cells.paper(r, spec.reference)

    shown = summary.assign(cell=[text(r) for _, r in summary.iterrows()])
    pivot = shown.pivot_table(index=spec.index, columns=spec.columns, values="cell",
                              aggfunc="first", sort=False)
    pivot = pivot.fillna(MISSING)  # a (row, column) pair with no cell at all
    if spec.shown is not None and spec.facet is None:
        pivot = pivot[[c for c in spec.shown if c in pivot.columns]]
    flat = pivot.reset_index()
    header = [str(c) for c in flat.columns]
    keys = len(spec.index)
    align = ["left"] * keys + ["right"] * (len(header) - keys)
    table = md.table(header, flat.astype(str).to_numpy().tolist(), align)
    legend = cells.legend(summary, spec.reference if "paper_value" in summary else None,
                          dash=MISSING in table, sd=spec.cell is None)
    notes = "".join(f"\n{x}\n" for x in (spec.note, legend) if x)
    return f"# {spec.title}\n\n{table}\n{notes}"


def _pivot(df: pd.DataFrame, spec: TableSpec, value: str, numeric: bool = True
           ) -> pd.DataFrame:
    """``value`` pivoted, rows = the index keys present in ``df`` (in order), not their
    cartesian product (``dropna=False`` alone gives every combination of the levels); as
    floats unless ``numeric`` is False (a text column such as ``status``)."""
    index = spec.heatmap_index or spec.index
    columns = spec.heatmap_columns or spec.columns
    p = df.pivot_table(index=index, columns=columns, values=value, aggfunc="first",
                       sort=False, dropna=False)
    keys = df[index].drop_duplicates()
    rows = (pd.MultiIndex.from_frame(keys) if len(index) > 1
            else pd.Index(keys.iloc[:, 0], name=index[0]))
    p = p.reindex(rows)
    p = p.astype(float) if numeric else p
    if spec.facet in index and len(index) > 1:
        p.index = p.index.droplevel(spec.facet)  # the panel's title names it
    return p


def _norm(values: np.ndarray, log_scale: bool | None):
    """Colour normalization: log when every finite value is positive and they span more than
    two decades (or when ``log_scale`` says so); ``(norm, vmin, vmax)``."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return None, 0.0, 1.0
    if log_scale is None:
        log_scale = bool((finite > 0).all() and finite.max() / finite.min() > 100)
    if log_scale and (finite > 0).all():
        return LogNorm(finite.min(), finite.max()), None, None
    return None, float(finite.min()), float(finite.max())


def table_heatmap(summary: pd.DataFrame, spec: TableSpec, stem: str | Path,
                  scale: str | None = None) -> None:
    """Annotated heatmaps of ``value`` (and ``paper_value`` where the paper has any).

    Panels, left to right: per facet value (one group without a facet), "ours" and, where the
    paper has any value of that facet, the reference; a facet's panels share one colour
    scale. NaN cells are blank and say why: ours with the run's status (``diverged``,
    ``not reached``, ``not run``; :func:`wideopt.plots.cells.status`), the paper's with
    "diverged" where it reports so, else "–". ``scale`` (paper,
    quick, gpu) is stamped in the figure's corner.
    """
    set_theme()
    facets = ([None] if spec.facet is None
              else (spec.shown or list(dict.fromkeys(summary[spec.facet]))))
    rows, df_of = [], {}
    for f in facets:
        df = df_of[f] = summary if f is None else summary[summary[spec.facet] == f]
        has_paper = "paper_value" in df and df["paper_value"].notna().any()
        sources = [("ours", "value")] + ([(spec.reference, "paper_value")] if has_paper else [])
        panels = [(name, _pivot(df, spec, col)) for name, col in sources]
        rows.append((f, panels))
    nrow, ncol = rows[0][1][0][1].shape
    n_panels = sum(len(panels) for _, panels in rows)
    # Panels wrap into rows so that the figure fits two columns (14 in); a facet's ours and
    # paper panels stay side by side.
    panel_w, panel_h = 2.2 + 1.1 * ncol, 1.6 + 0.45 * nrow
    group = max(len(panels) for _, panels in rows)
    per_row = max(group, int(MAX_WIDTH_IN // panel_w) // group * group)
    fig_rows = -(-n_panels // per_row)
    fig, axes2d = plt.subplots(fig_rows, min(per_row, n_panels), squeeze=False,
                               layout="constrained",
                               figsize=(min(per_row, n_panels) * panel_w, fig_rows * panel_h))
    axes = axes2d.reshape(1, -1)
    for extra in axes[0, n_panels:]:
        extra.set_visible(False)
    k = 0
    for f, panels in rows:
        values = np.concatenate([p.to_numpy().ravel() for _, p in panels])
        norm, vmin, vmax = _norm(values, spec.log_scale)
        for j, (name, p) in enumerate(panels):
            ax = axes[0, k]
            annot = p.map(lambda v: MISSING if not np.isfinite(v) else f"{v:.2g}")
            sns.heatmap(p, ax=ax, annot=annot, fmt="", cmap="viridis", norm=norm,
                        vmin=vmin, vmax=vmax, cbar=j == len(panels) - 1, linewidths=0.5,
                        annot_kws={"fontsize": 8})
            # seaborn writes no annotation on a masked (NaN) cell: label those by hand. A paper
            # cell the paper reports as nan says "diverged"; one it does not have, "–".
            reported = (_pivot(df_of[f], spec, "paper_reported").to_numpy()
                        if name != "ours" and "paper_reported" in summary else None)
            # ours: the run's status (diverged, not reached, not run), never a bare "nan"
            why = (_pivot(cells.with_status(df_of[f], spec.nan_means), spec, "status",
                          numeric=False).to_numpy() if name == "ours" else None)
            for (i, jj), v in np.ndenumerate(p.to_numpy()):
                if not np.isfinite(v):
                    label = ("diverged" if reported is not None and reported[i, jj] == 1
                             else why[i, jj] if why is not None and isinstance(why[i, jj], str)
                             else MISSING)
                    ax.text(jj + 0.5, i + 0.5, label, ha="center", va="center", fontsize=8)
            label = (spec.facet_labels or {}).get(f, f"{f}")
            ax.grid(False)  # no grid lines across blank (NaN) cells
            ax.set_title(name if f is None else label + ("" if name == "ours" else f" ({name})"))
            # Row labels once, on the leftmost panel: a second panel's label would run into the
            # first heatmap.
            first = k % per_row == 0  # the leftmost panel of its row
            ax.set_ylabel(" / ".join(i for i in (spec.heatmap_index or spec.index)
                                     if i != spec.facet) if first
                          else "")
            if not first:
                ax.set_yticklabels([])
            if spec.facet == (spec.heatmap_columns or spec.columns):
                ax.set(xlabel="", xticks=[])  # one column per panel: the title names it
            k += 1
    title = spec.figure_title or spec.title
    if "n_seeds" in summary:  # how many seeds a cell averages, from the data
        title += f"\n({seeds_caption(summary, 'sd')} per cell)"
    fig.suptitle(title, fontsize=10)
    if scale:
        scale_stamp(fig, scale)
    save_figure(fig, stem, formats=("png",))


def render_text(summary: pd.DataFrame, spec: TableSpec, outdir: str | Path) -> pd.DataFrame:
    """Write ``outdir/ID.csv`` (the summary, numbers kept, with a ``status`` column) and
    ``ID.md`` (:func:`to_markdown`); returns the summary with its status."""
    outdir = Path(outdir)
    summary = cells.with_status(summary, spec.nan_means)
    write_csv(summary, outdir / f"{spec.id}.csv")
    write_text(to_markdown(summary, spec), outdir / f"{spec.id}.md")
    return summary


def render_table(summary: pd.DataFrame, spec: TableSpec, outdir: str | Path,
                 scale: str | None = None) -> None:
    """Write ``outdir/ID.csv`` (the summary), ``ID.md`` and ``ID.png``."""
    summary = render_text(summary, spec, outdir)
    (spec.draw or table_heatmap)(summary, spec, Path(outdir) / spec.id, scale=scale)
