"""One visual style for every figure: the theme, a fixed colour and marker per activation,
optimizer, architecture, problem and width, the width axis, legends outside the data, the
seed-count caption, and atomic PNG + PDF output.

Colours are Okabe & Ito's colour-blind-safe set (Okabe, Ito 2008, "Color Universal Design"),
without its orange: orange beside vermillion is the pair colour-blind readers confuse, so
vermillion stands alone. Every key keeps its colour and marker in every figure (tanh is green
wherever it appears). Widths have one colour per octave (:func:`width_color`), so m = 100 is
the same colour in sections A, B, D and E.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import NullFormatter, NullLocator  # noqa: E402

from wideopt.io import atomic_path, write_text  # noqa: E402
from wideopt.plots.layout import measure  # noqa: E402

# Okabe-Ito, orange left out (see the module docstring).
BLUE, SKY, GREEN, PURPLE = "#0072B2", "#56B4E9", "#009E73", "#CC79A7"
VERMILLION, YELLOW, BLACK, GREY = "#D55E00", "#F0E442", "#000000", "#7F7F7F"

ACTIVATIONS = {  # name -> (colour, marker)
    "relu": (BLUE, "o"), "tanh": (GREEN, "s"), "erf": (PURPLE, "^"), "elu": (VERMILLION, "D"),
    "gelu": (SKY, "v"), "softplus": (BLACK, "P"),
}
OPTIMIZERS = {
    "SGD": (SKY, "v"), "Adam": (PURPLE, "s"), "L-BFGS": (GREEN, "^"), "LBFGS": (GREEN, "^"),
    "NGD": (VERMILLION, "o"), "GD": (BLUE, "D"),
}
ARCHITECTURES = {"DON": (BLUE, "o"), "deeponet": (BLUE, "o"), "FNO": (VERMILLION, "s"),
                 "fno": (VERMILLION, "s")}
PROBLEMS = {  # section C's PDEs, section A's operators
    "poisson1d": (BLUE, "o"), "poisson2d": (SKY, "s"), "heat1d": (GREEN, "^"),
    "helmholtz2d": (PURPLE, "D"), "poisson10d": (BLACK, "v"),
    "antiderivative": (BLUE, "o"), "diffusion_reaction": (GREEN, "s"), "burgers": (PURPLE, "^"),
}
SCHEMES = {"ntk": (BLUE, "o"), "mean_field": (VERMILLION, "s")}
OTHER = [BLUE, VERMILLION, GREEN, PURPLE, SKY, BLACK]  # keys of no fixed kind, in order
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
# Widths: a qualitative colour per octave. A sequential map over the project's 10 .. 1e5
# left a family's one decade (16 .. 128) in four near-identical shades.
WIDTH_COLORS = [BLUE, VERMILLION, GREEN, PURPLE, SKY, BLACK, GREY]
DIVERGED_MARKER = "X"


def style_of(kind: dict, key) -> tuple[str, str]:
    """(colour, marker) of ``key`` in the fixed table ``kind`` (one of the dicts above)."""
    if key not in kind:
        raise KeyError(f"no fixed colour for {key!r}: add it to wideopt.plots.style")
    return kind[key]


def palette(kind: dict, keys) -> dict:
    """``{key: colour}`` for seaborn's ``palette=``."""
    return {k: style_of(kind, k)[0] for k in keys}


def markers(kind: dict, keys) -> dict:
    """``{key: marker}`` for seaborn's ``markers=``."""
    return {k: style_of(kind, k)[1] for k in keys}


def _octave(width: float) -> int:
    return int(round(np.log2(width)))


def width_color(width: float) -> str:
    """The colour of width ``width``: one per octave (rounded log2 width) from
    :data:`WIDTH_COLORS`, cycling. 16, 32, 64, 128 and 10, 50, 100, 200, 500 get distinct
    colours; widths in one octave (50, 64) share one, and no figure draws both."""
    return WIDTH_COLORS[_octave(width) % len(WIDTH_COLORS)]


def width_marker(width: float) -> str:
    """The marker of width ``width``, by octave as its colour."""
    return MARKERS[_octave(width) % len(MARKERS)]


def width_palette(widths) -> dict:
    return {w: width_color(w) for w in widths}


def width_axis(ax, widths, axis: str = "x") -> None:
    """Ticks at the widths run, as integers (16, 32, ...; not 2x10^1), no minor ticks. More
    than six widths (half-decade steps 10 .. 1e5): every other one, so labels keep apart."""
    widths = sorted({int(w) for w in widths})
    if len(widths) > 6:
        widths = widths[::2]
    a = ax.xaxis if axis == "x" else ax.yaxis
    a.set_ticks(widths, [str(w) for w in widths])
    a.set_minor_locator(NullLocator())


def decade_labels(ax, decades: float = 1.2) -> None:
    """Label a log y axis at powers of ten only, widened to span at least ``decades`` decades
    about its geometric centre so that it holds one. (Matplotlib labels the minor ticks of an
    axis spanning less than two powers of ten: 3x10^0, 4x10^0, ... run into each other in a
    short panel.)"""
    ax.yaxis.set_minor_formatter(NullFormatter())
    lo, hi = ax.get_ylim()
    if np.log10(hi / lo) < decades:
        centre, half = np.sqrt(lo * hi), 10 ** (decades / 2)
        ax.set_ylim(centre / half, centre * half)


def value_ticks(ax, values, axis: str = "x") -> None:
    """Ticks at the values swept (learning rates, dampings ...), written as ``%g``."""
    values = sorted(set(float(v) for v in values))
    a = ax.xaxis if axis == "x" else ax.yaxis
    a.set_ticks(values, [f"{v:g}" for v in values])
    a.set_minor_locator(NullLocator())


def legend_outside(fig: plt.Figure, handles=None, labels=None, loc: str = "outside right center",
                   ax=None, **kw):
    """One legend for the figure, outside every panel (constrained layout makes room).
    Without ``handles``: those of ``ax`` (and its own legend, if any, is removed)."""
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    if ax is not None and ax.get_legend():
        ax.get_legend().remove()
    return fig.legend(handles, labels, loc=loc, fontsize=8, title_fontsize=8, **kw)


def n_seeds(df: pd.DataFrame) -> str:
    """How many seeds ``df`` averages, from the data: the distinct ``seed`` values (or the
    summaries' ``n_seeds``), as "3" or "2-3" where cells differ."""
    if "seed" in df:
        counts = pd.Series([df["seed"].nunique()])
    elif "n_seeds" in df:
        counts = df["n_seeds"]
    else:
        raise KeyError("no seed column: cannot say how many seeds")
    lo, hi = int(counts.min()), int(counts.max())
    return f"{lo}" if lo == hi else f"{lo}\u2013{hi}"


BANDS = {
    "sd": "mean ± sd over {n} seeds",
    "logsd": "geometric mean, band ± 1 sd in log space, over {n} seeds",
    "range": "mean, band min\u2013max over {n} seeds",
    "mean": "mean over {n} seeds",
    "seeds": "{n} seeds",
}


def seeds_caption(df: pd.DataFrame, band: str = "sd") -> str:
    """What a line and its band are, with the number of seeds read from ``df``
    (e.g. "mean ± sd over 3 seeds"); ``band`` is a key of :data:`BANDS`."""
    n = n_seeds(df)
    return BANDS[band].format(n=n).replace(" 1 seeds", " 1 seed")


def set_theme() -> None:
    sns.set_theme(context="paper", style="whitegrid", palette="colorblind", font_scale=1.1)
    # Reproducible PDFs: no creation date in the metadata.
    plt.rcParams["pdf.compression"] = 6


# Called with (figure, stem) just before each figure is saved (tests measure a figure drawn
# in their own process here).
SAVE_HOOKS: list[Callable[[plt.Figure, Path], None]] = []
# With this set to a folder, every saved figure's layout is recorded there (record_layout):
# tests/test_figure_layout.py reads what the figure rules of a real Snakemake run recorded.
LAYOUT_DIR_ENV = "WIDEOPT_LAYOUT_DIR"


def record_layout(fig: plt.Figure, stem: Path, folder: Path) -> None:
    """Write ``folder/<stem name>.json``: ``{"width_in": w, "problems": [...]}``, the saved
    figure's width in inches and every layout problem (:func:`wideopt.plots.layout.measure`:
    overlapping text, a legend on data, wider than two columns). Costs one extra draw."""
    width, problems = measure(fig)
    write_text(json.dumps({"width_in": width, "problems": problems}),
               folder / f"{stem.name}.json")


def save_figure(fig: plt.Figure, stem: str | Path, formats: tuple[str, ...] = ("png", "pdf")):
    """Save ``fig`` as ``stem.png`` and ``stem.pdf`` (atomic writes), then close it; with
    ``$WIDEOPT_LAYOUT_DIR`` set, record its layout there first (:func:`record_layout`)."""
    stem = Path(stem)
    for hook in SAVE_HOOKS:
        hook(fig, stem)
    if folder := os.environ.get(LAYOUT_DIR_ENV):
        record_layout(fig, stem, Path(folder))
    for ext in formats:
        with atomic_path(stem.with_suffix(f".{ext}")) as tmp:
            fig.savefig(tmp, format=ext, dpi=150, bbox_inches="tight",
                        metadata={"CreationDate": None} if ext == "pdf" else None)
    plt.close(fig)


def scale_stamp(fig: plt.Figure, scale: str) -> None:
    """Write the run's scale (paper / quick / gpu) in the figure's lower corner, so a figure
    read out of context says which configuration made it. Under constrained layout it is the
    figure's x super-label, on a row of its own below every panel, at the left (the right
    margin holds the legends)."""
    if fig.get_layout_engine() is not None:
        fig.supxlabel(f"scale: {scale}", x=0.005, ha="left", fontsize=7, color="0.4")
    else:
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


def finish_figure(fig: plt.Figure, stem: str | Path, scale: str | None,
                  formats: tuple[str, ...] = ("png", "pdf")) -> None:
    """Stamp the run's scale (when given) in a corner, then save (PNG + PDF)."""
    if scale:
        scale_stamp(fig, scale)
    save_figure(fig, stem, formats)
