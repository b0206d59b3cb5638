"""Every figure's layout (issue 25 parts 2 and 4): no two text elements overlap (tick labels,
axis labels, titles, annotations, legends, the scale stamp; rendered bounding boxes), no
legend sits on a panel's data, and every figure fits one column (7 in) or two (14 in).

The figures are the figure rules' own, drawn by real Snakemake runs: the quick DAG's here
(fixture ``built_quick``), the published record's in tests/test_redraw.py (redrawn from its
committed tables, fixture ``redrawn``). Both runs set ``$WIDEOPT_LAYOUT_DIR``, so that
:func:`wideopt.plots.style.save_figure` records each figure's measurement
(:func:`wideopt.plots.layout.measure`) before saving it; every PNG a run wrote must have one.
The checker itself is tested on figures made to fail.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from layout_records import assert_clean, recorded, run_figures

from wideopt.plots import layout, style
from wideopt.plots.sweeps import Sweep, draw_sweep


@pytest.fixture
def measured():
    """``{figure stem: (width in, [problems])}`` of every figure saved while it is active."""
    seen: dict[str, tuple[float, list[str]]] = {}

    def hook(fig, stem):
        seen[Path(stem).name] = layout.measure(fig)

    style.SAVE_HOOKS.append(hook)
    yield seen
    style.SAVE_HOOKS.remove(hook)


@pytest.mark.integration
def test_quick_figures_layout(built_quick):
    """Every figure at quick scale, as the quick DAG drew it."""
    assert_clean(recorded(built_quick / "layout"), run_figures(built_quick / "quick/figures"))


# --- the checker fails where it should ------------------------------------------------------

def test_checker_finds_overlapping_text():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_title("a title")
    ax.text(0.5, 1.02, "covers the title", transform=ax.transAxes, ha="center")
    assert layout.text_overlaps(fig)
    plt.close(fig)


def test_checker_finds_legend_on_data_and_width():
    fig, ax = plt.subplots(figsize=(20, 3))  # ~15.7 in once cropped tight
    ax.plot([1, 2], [1, 2], label="a line")
    ax.legend(loc="center")
    problems = layout.layout_problems(fig)
    assert any("legend" in p for p in problems)
    assert any("in wide" in p for p in problems)
    plt.close(fig)


def test_checker_passes_a_clean_figure():
    fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
    ax.plot([1, 2], [1, 2], label="a line")
    style.legend_outside(fig, ax=ax)
    ax.set(title="t", xlabel="x", ylabel="y")
    assert layout.layout_problems(fig) == []
    plt.close(fig)


# --- the sweep line plot --------------------------------------------------------------------

def test_sweep_marks_diverged_cells(tmp_path, measured):
    """A NaN cell (a diverged seed) and a paper cell reported as diverged both get a marker
    and a legend entry; the seed count in the title comes from the data."""
    lr = [1e-3, 1e-2, 1e-1, 1.0]
    summary = pd.DataFrame({
        "optimizer": ["Adam"] * 4 + ["NGD"] * 4, "lr": lr * 2,
        "value": [1e-2, 5e-3, 2e-3, 1.0, 1e-4, 1e-5, np.nan, np.nan],
        "std": [1e-3] * 6 + [np.nan] * 2, "n_seeds": 3, "n_nan": [0] * 6 + [1, 3],
        "paper_value": [1e-2, 1e-2, np.nan, np.nan, 1e-4, 1e-4, 1e-4, 1e-3],
        "paper_reported": [True, True, True, False, True, True, True, True]})
    drawn = {}
    style.SAVE_HOOKS.append(lambda fig, stem: drawn.update(
        legend=[t.get_text() for leg in layout.legends(fig) for t in leg.get_texts()],
        title=fig._suptitle.get_text()))
    try:
        draw_sweep(summary, Sweep("lr", "optimizer", "lr", kind=style.OPTIMIZERS),
                   "synthetic", tmp_path / "sweep", "test")
    finally:
        style.SAVE_HOOKS.pop()
    assert {"Adam", "NGD", "paper", "diverged (≥ 1 seed)", "paper: diverged"} <= set(
        drawn["legend"])
    assert "over 3 seeds" in drawn["title"]
    assert_clean(measured, {"sweep"})


# --- one style ------------------------------------------------------------------------------

def test_fixed_colours_are_colour_blind_safe_and_distinct():
    """No orange anywhere (it sits beside vermillion otherwise); within each kind, distinct
    keys (aliases aside) have distinct colours; widths within one octave apart differ."""
    orange = "#E69F00"
    kinds = {"activation": style.ACTIVATIONS, "optimizer": style.OPTIMIZERS,
             "architecture": style.ARCHITECTURES, "scheme": style.SCHEMES}
    aliases = {"LBFGS": "L-BFGS", "deeponet": "DON", "fno": "FNO"}  # one key, two spellings
    for name, kind in kinds.items():
        for alias, key in aliases.items():
            if alias in kind:
                assert kind[alias] == kind[key], alias
        keys = [k for k in kind if k not in aliases]
        colours = [kind[k][0] for k in keys]
        assert orange not in colours, name
        assert len(set(colours)) == len(keys), f"{name}: shared colours"
    for widths in ([16, 32, 64, 128], [10, 50, 100, 200, 500]):
        assert len({style.width_color(w) for w in widths}) == len(widths)
    assert orange not in style.WIDTH_COLORS
