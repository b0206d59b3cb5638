"""The scorecard figure: one row per claim, the deciding check's measured value with its
90 % interval against the claim's allowed range, coloured by the claim's verdict.

Claims measure different things (Spearman ρ, log-log slopes, ratios spanning decades), so each
row has its own x axis: a small panel with the interval as a bar, the value as a dot, the
allowed range shaded green and its bounds dashed. Ratios whose values span decades are drawn
on a log axis. Reads the tidy ``results/claims/checks.csv``
(:func:`wideopt.analysis.judging.claims.checks_table`).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from wideopt.plots.style import GREEN, GREY, PURPLE, VERMILLION, finish_figure, set_theme

COLORS = {"pass": GREEN, "fail": VERMILLION, "inconclusive": PURPLE,  # the one style's
          "not-run": GREY}


def _limits(vals: np.ndarray, log: bool) -> tuple[float, float]:
    vals = vals[np.isfinite(vals)]
    if log:
        vals = vals[vals > 0]
        lo, hi = np.log10(vals.min()), np.log10(vals.max())
        pad = max(0.3, 0.1 * (hi - lo))
        return 10 ** (lo - pad), 10 ** (hi + pad)
    lo, hi = vals.min(), vals.max()
    pad = max(0.05 * (hi - lo), 0.05 * max(abs(lo), abs(hi), 1e-12))
    return lo - pad, hi + pad


def scorecard_figure(checks: pd.DataFrame, card: pd.DataFrame, stem: str | Path,
                     scale: str | None = None) -> None:
    """Draw every claim of ``card`` (``claim_id, verdict, statement``); claims without a
    deciding check (not run, nothing measured) get an empty row with their verdict."""
    set_theme()
    deciding = checks[checks["deciding"].astype(bool)].set_index("claim_id")
    n = len(card)
    fig, axes = plt.subplots(n, 1, figsize=(7.5, 0.42 * n + 0.8), layout="constrained")
    axes = np.atleast_1d(axes)
    for ax, row in zip(axes, card.itertuples(), strict=True):
        color = COLORS.get(row.verdict, GREY)
        ax.set_yticks([])
        ax.set_ylabel(row.claim_id, rotation=0, ha="right", va="center", fontsize=9,
                      color=color, fontweight="bold")
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.tick_params(axis="x", labelsize=7, pad=1)
        label = row.verdict
        if row.claim_id in deciding.index and np.isfinite(deciding.loc[row.claim_id, "value"]):
            c = deciding.loc[row.claim_id]
            pts = np.array([c.value, c.lo, c.hi, c.lower, c.upper], dtype=float)
            fin = pts[np.isfinite(pts)]
            log = bool((fin > 0).all() and fin.max() / max(fin.min(), 1e-300) > 100)
            if log:
                ax.set_xscale("log")
            x0, x1 = _limits(pts, log)
            lower = c.lower if np.isfinite(c.lower) else x0
            upper = c.upper if np.isfinite(c.upper) else x1
            ax.axvspan(max(lower, x0), min(upper, x1), color=GREEN, alpha=0.12, lw=0)
            for b in (c.lower, c.upper):
                if np.isfinite(b):
                    ax.axvline(b, color="k", ls="--", lw=0.8)
            if np.isfinite(c.lo) and np.isfinite(c.hi):
                ax.plot([c.lo, c.hi], [0, 0], color=color, lw=3, solid_capstyle="butt")
            ax.plot([c.value], [0], "o", color=color, ms=5)
            ax.set_xlim(x0, x1)
            label = f"{row.verdict}: {c.group}, {c.quantity}"
        else:
            ax.set_xticks([])
        ax.set_ylim(-1, 1)
        ax.text(1.0, 0.5, label, transform=ax.transAxes, ha="left", va="center",
                fontsize=7, color=color)
    fig.suptitle("Claims: deciding value with its 90 % interval vs the allowed range (green)",
                 fontsize=9)
    finish_figure(fig, stem, scale)
    plt.close(fig)
