"""One-dimensional sweeps drawn as line plots: a table's ``value`` (mean over seeds) vs the
swept key on log axes, one line per variant (optimizer, problem, schedule), error bars
± one sd over the seeds, the paper's values dashed, diverged cells marked.

The input is a catalogue summary (:func:`wideopt.analysis.tables.summarize`: ``value``,
``std``, ``n_seeds``, ``n_nan``; optionally ``n_diverged``, ``paper_value``,
``paper_reported``). A cell is *diverged* when a seed's error is NaN (the cell's mean is
then NaN, the papers' convention) or a run reports divergence; finite diverged cells are
drawn at their value with :data:`~wideopt.plots.style.DIVERGED_MARKER`, NaN ones on the
panel's upper edge. The paper's values: one dashed line per variant, or a single black
one where every variant shares the paper's cell (a value the paper reports once, e.g. for an
unstated damping); a paper cell reported as diverged is a hollow marker on the upper edge.
A lower error bar that would reach ≤ 0 stops at the axis' lower edge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from wideopt.plots.style import (
    BLACK,
    DIVERGED_MARKER,
    OTHER,
    finish_figure,
    legend_outside,
    seeds_caption,
    set_theme,
    style_of,
    width_axis,
)


@dataclass(frozen=True)
class Sweep:
    """How to draw one sweep table.

    ``x``: the swept key; ``line``: the key with one line per value (None: one line);
    ``kind``: the style table of ``line``'s values (:data:`wideopt.plots.style.OPTIMIZERS`
    ...; None: colours in order); ``label(value) -> str``: the legend's name of a line;
    ``xlabel``/``ylabel``: axis labels (mathtext); ``integer_x``: integer ticks (widths,
    point counts); ``zero_x``: the sweep includes x = 0 (a symmetric-log axis, linear below
    the smallest positive value); ``paper_label``: the legend's name of the dashed line.
    """

    x: str
    line: str | None
    xlabel: str
    ylabel: str = r"relative $L^2$ test error"
    kind: dict | None = None
    label: Callable[[object], str] = str
    integer_x: bool = False
    zero_x: bool = False
    paper_label: str = "paper"


def tick_label(v: float) -> str:
    """``%g`` from 1e-3 to 1e4, a power of ten as mathtext ``$10^{k}$`` outside."""
    if v == 0 or 1e-3 <= abs(v) < 1e4:
        return f"{v:g}"
    k = np.log10(abs(v))
    return f"$10^{{{int(round(k))}}}$" if abs(k - round(k)) < 1e-9 else f"{v:.0e}"


def _diverged(s: pd.DataFrame) -> np.ndarray:
    bad = s["n_nan"].to_numpy() > 0 if "n_nan" in s else np.zeros(len(s), bool)
    if "n_diverged" in s:
        bad |= s["n_diverged"].fillna(0).to_numpy() > 0
    return bad


def _paper_shared(summary: pd.DataFrame, sweep: Sweep) -> bool:
    """Every line runs the same x values and has the same paper value at each (one reference
    line for all)."""
    if sweep.line is None:
        return True
    wide = summary.pivot_table(index=sweep.line, columns=sweep.x, values="paper_value",
                               aggfunc="first", dropna=False)
    cells = summary.pivot_table(index=sweep.line, columns=sweep.x, values="value",
                                aggfunc="size", dropna=False)
    same_x = bool(cells.notna().all().all())  # every line has every x
    return same_x and bool((wide.nunique(dropna=False) <= 1).all())


def draw_sweep(summary: pd.DataFrame, sweep: Sweep, title: str, stem: str | Path,
               scale: str | None = None) -> None:
    """The line plot of ``summary`` (one row per cell) under ``sweep``; 7 in wide."""
    set_theme()
    fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
    ax.set_yscale("log")
    if sweep.zero_x:
        positive = summary.loc[summary[sweep.x] > 0, sweep.x]
        ax.set_xscale("symlog", linthresh=float(positive.min()), linscale=1.0)
    else:
        ax.set_xscale("log")
    lines = (list(dict.fromkeys(summary[sweep.line])) if sweep.line else [None])
    if sweep.kind is not None and sweep.line:  # the style table's order (SGD, Adam, ...)
        order = list(sweep.kind)
        lines.sort(key=lambda k: order.index(k) if k in order else len(order))
    has_paper = "paper_value" in summary and summary.get("paper_reported",
                                                         summary["paper_value"].notna()).any()
    shared = has_paper and _paper_shared(summary, sweep)
    finite = summary["value"].to_numpy(float)
    finite = finite[np.isfinite(finite) & (finite > 0)]
    pv = summary["paper_value"].to_numpy(float) if has_paper else np.array([])
    pv = pv[np.isfinite(pv) & (pv > 0)]
    everything = np.concatenate([finite, pv])
    lo = everything.min() / 3 if everything.size else 1e-3
    hi = everything.max() * 3 if everything.size else 1.0
    handles: list = []
    any_div = any_paper_div = False
    for k, key in enumerate(lines):
        s = summary if key is None else summary[summary[sweep.line] == key]
        s = s.sort_values(sweep.x)
        color, marker = (style_of(sweep.kind, key) if sweep.kind is not None and key is not None
                         else (OTHER[k % len(OTHER)], "o"))
        x, y = s[sweep.x].to_numpy(float), s["value"].to_numpy(float)
        sd = s["std"].fillna(0).to_numpy(float) if "std" in s else np.zeros(len(s))
        lower = np.where(y - sd > lo, sd, y - lo)  # a bar to <= 0 stops at the lower edge
        ok = np.isfinite(y)
        ax.errorbar(x[ok], y[ok], yerr=[lower[ok], sd[ok]], color=color, marker=marker, ms=5,
                    lw=1.5, capsize=2.5, elinewidth=1)
        handles.append(Line2D([], [], color=color, marker=marker, lw=1.5,
                              label=sweep.label(key) if key is not None else "ours"))
        div = _diverged(s)
        if div.any():
            any_div = True
            yd = np.where(np.isfinite(y), y, hi)
            ax.plot(x[div], yd[div], DIVERGED_MARKER, color=color, ms=9, mec="k", mew=0.6,
                    zorder=4, clip_on=False)
        if has_paper and not (shared and k):
            p = s.drop_duplicates(sweep.x)
            px, py = p[sweep.x].to_numpy(float), p["paper_value"].to_numpy(float)
            reported = (p["paper_reported"].astype(bool).to_numpy() if "paper_reported" in p
                        else np.isfinite(py))
            pc = BLACK if shared else color
            fin = reported & np.isfinite(py)
            ax.plot(px[fin], py[fin], ls="--", lw=1.2, color=pc, marker=marker, ms=4,
                    mfc="none", alpha=0.9)
            nan = reported & ~np.isfinite(py)
            if nan.any():
                any_paper_div = True
                ax.plot(px[nan], np.full(nan.sum(), hi), DIVERGED_MARKER, ms=9, mfc="none",
                        mec=pc, mew=1.2, zorder=4, clip_on=False)
    ax.set_ylim(lo, hi)
    xs = np.sort(summary[sweep.x].unique().astype(float))
    pos = xs[xs > 0]
    if len(pos) > 1 and (pos[1:] / pos[:-1]).min() < 1.4:  # too close to label each
        ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    elif sweep.integer_x:
        width_axis(ax, xs)
    else:
        ax.set_xticks(xs, [tick_label(v) for v in xs])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set(xlabel=sweep.xlabel, ylabel=sweep.ylabel)
    if has_paper:
        handles.append(Line2D([], [], color=BLACK, ls="--", marker="o", mfc="none", ms=4,
                              label=sweep.paper_label))
    if any_div:
        handles.append(Line2D([], [], ls="", marker=DIVERGED_MARKER, color="0.6", mec="k",
                              mew=0.6, ms=8, label="diverged (≥ 1 seed)"))
    if any_paper_div:
        handles.append(Line2D([], [], ls="", marker=DIVERGED_MARKER, mfc="none", mec=BLACK,
                              mew=1.2, ms=8, label="paper: diverged"))
    legend_outside(fig, handles, [h.get_label() for h in handles],
                   title=sweep.line if sweep.line else None)
    fig.suptitle(f"{title}\n({seeds_caption(summary, 'sd')})", fontsize=10)
    finish_figure(fig, stem, scale, formats=("png",))  # a table's figure: PNG only


def sweep_drawer(sweep: Sweep):
    """A :class:`~wideopt.plots.tables.TableSpec` ``draw`` function for ``sweep``."""

    def draw(summary: pd.DataFrame, spec, stem: str | Path, scale: str | None = None) -> None:
        draw_sweep(summary, sweep, spec.figure_title or spec.title, stem, scale)

    return draw
