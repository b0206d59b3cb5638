"""Layout checks of a drawn figure: which text elements overlap, and how wide it is.

A figure is read at one of two print widths, one column (7 in) or two (14 in). Its text must
be legible: no two text elements (tick labels, axis labels, titles, annotations, legends,
figure texts such as the scale stamp) may cover each other, and a legend must not sit on a
panel's data area. Everything is measured on the rendered figure (``fig.canvas``), in display
pixels, as :meth:`matplotlib.artist.Artist.get_window_extent` reports it.

:func:`figure_width_in` is the width of the saved figure (``bbox_inches="tight"``, as
:func:`wideopt.plots.style.save_figure` saves it), not the nominal ``figsize``.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

COLUMN_IN = 7.0  # one column of a two-column page
PAGE_IN = 14.0  # two columns
TOLERANCE_PX = 1.0  # anti-aliasing: boxes that share a pixel's edge do not overlap


@dataclass(frozen=True)
class Box:
    """One text element: what it is (for the error message) and its rendered box."""

    name: str
    bbox: Bbox


def _text_box(t: Text, name: str, renderer) -> Box | None:
    if not t.get_visible() or not t.get_text().strip():
        return None
    bb = t.get_window_extent(renderer)
    return Box(f"{name} {t.get_text()!r}", bb) if bb.width > 0 and bb.height > 0 else None


def _renderer(fig: plt.Figure, draw: bool):
    if draw:
        fig.canvas.draw()
    return fig.canvas.get_renderer()


def text_boxes(fig: plt.Figure, draw: bool = True) -> list[Box]:
    """Every visible, non-empty text element of ``fig`` and every legend (one box each);
    ``draw=False``: the figure was just drawn."""
    r = _renderer(fig, draw)
    out: list[Box | None] = []
    for k, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        tag = f"axes {k}"
        for axis, name in ((ax.xaxis, "x tick"), (ax.yaxis, "y tick")):
            # the ticks drawn: get_ticklabels() also lists those outside the view limits
            for tick in axis._update_ticks():
                for t in (tick.label1, tick.label2):
                    out.append(_text_box(t, f"{tag} {name}", r))
            out.append(_text_box(axis.label, f"{tag} {name[0]} label", r))
            out.append(_text_box(axis.get_offset_text(), f"{tag} {name[0]} offset", r))
        for title in (ax.title, ax._left_title, ax._right_title):
            out.append(_text_box(title, f"{tag} title", r))
        for t in ax.texts:
            out.append(_text_box(t, f"{tag} text", r))
    for t in fig.texts:
        if t is not fig._suptitle:
            out.append(_text_box(t, "figure text", r))
    if fig._suptitle is not None:
        out.append(_text_box(fig._suptitle, "suptitle", r))
    for leg in legends(fig):
        out.append(Box(f"legend {_legend_name(leg)}", leg.get_window_extent(r)))
    return [b for b in out if b is not None]


def legends(fig: plt.Figure) -> list[Legend]:
    """The figure's legends and every axes' legend."""
    return [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]


def _legend_name(leg: Legend) -> str:
    texts = [t.get_text() for t in leg.get_texts()][:2]
    return f"[{', '.join(texts)}{', ...' if len(leg.get_texts()) > 2 else ''}]"


def _overlap(a: Bbox, b: Bbox, tol: float = TOLERANCE_PX) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tol
            and min(a.y1, b.y1) - max(a.y0, b.y0) > tol)


def text_overlaps(fig: plt.Figure, draw: bool = True) -> list[tuple[str, str]]:
    """Pairs of text elements whose rendered boxes overlap (more than :data:`TOLERANCE_PX`
    in both directions). A legend's own texts are inside its box and are not compared."""
    boxes = text_boxes(fig, draw)
    return [(a.name, b.name) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if _overlap(a.bbox, b.bbox)]


def legends_on_data(fig: plt.Figure, draw: bool = True) -> list[str]:
    """Legends that cover part of a visible panel's data area (its axes patch)."""
    r = _renderer(fig, draw)
    bad = []
    for leg in legends(fig):
        lb = leg.get_window_extent(r)
        for k, ax in enumerate(fig.axes):
            if ax.get_visible() and ax.axison and _overlap(lb, ax.patch.get_window_extent(r)):
                bad.append(f"legend {_legend_name(leg)} on axes {k} ({ax.get_title()!r})")
    return bad


def figure_width_in(fig: plt.Figure, draw: bool = True) -> float:
    """Width in inches of the figure as saved with ``bbox_inches="tight"``."""
    return fig.get_tightbbox(_renderer(fig, draw)).width


def measure(fig: plt.Figure) -> tuple[float, list[str]]:
    """``(width in inches, everything wrong with the layout as sentences)``, one draw."""
    fig.canvas.draw()
    width = figure_width_in(fig, draw=False)
    out = [f"{width:.2f} in wide, more than {PAGE_IN:g} in"] if width > PAGE_IN else []
    out += [f"text overlaps: {a} / {b}" for a, b in text_overlaps(fig, draw=False)]
    out += legends_on_data(fig, draw=False)
    return width, out


def layout_problems(fig: plt.Figure) -> list[str]:
    """Everything wrong with ``fig``'s layout, as sentences (empty: fine)."""
    return measure(fig)[1]
