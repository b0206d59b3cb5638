"""One seaborn theme for every figure, and atomic PNG + PDF output."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from wideopt.io import atomic_path  # noqa: E402


def set_theme() -> None:
    sns.set_theme(context="paper", style="whitegrid", palette="colorblind", font_scale=1.1)
    # Reproducible PDFs: no creation date in the metadata.
    plt.rcParams["pdf.compression"] = 6


def save_figure(fig: plt.Figure, stem: str | Path, formats: tuple[str, ...] = ("png", "pdf")):
    """Save ``fig`` as ``stem.png`` and ``stem.pdf`` (atomic writes), then close it."""
    stem = Path(stem)
    for ext in formats:
        with atomic_path(stem.with_suffix(f".{ext}")) as tmp:
            fig.savefig(tmp, format=ext, dpi=150, bbox_inches="tight",
                        metadata={"CreationDate": None} if ext == "pdf" else None)
    plt.close(fig)


def scale_stamp(fig: plt.Figure, scale: str) -> None:
    """Write the run's scale (paper / quick / gpu) in the figure's lower right corner, so a
    figure read out of context says which configuration made it."""
    fig.text(0.995, 0.005, f"scale: {scale}", ha="right", va="bottom", fontsize=7,
             color="0.4")


def loglog_axes(ax) -> None:
    """Log scale on both axes, set before plotting so seaborn aggregates in log space."""
    ax.set_xscale("log")
    ax.set_yscale("log")


def slope_guide(ax, x, y0: float, slope: float, label: str, **style) -> None:
    """Reference line y = y0 (x / min x)^slope over the range of ``x`` (a log-log slope guide),
    dashed black unless ``style`` says otherwise."""
    lo, hi = float(min(x)), float(max(x))
    ax.plot([lo, hi], [y0, y0 * (hi / lo) ** slope], **({"ls": "--", "color": "k", "lw": 1}
                                                        | style), label=label)


def finish_figure(fig: plt.Figure, stem: str | Path, scale: str | None) -> None:
    """Stamp the run's scale (when given) in a corner, then save PNG + PDF."""
    if scale:
        scale_stamp(fig, scale)
    save_figure(fig, stem)
