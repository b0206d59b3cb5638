"""Every figure's layout (issue 25 parts 2 and 4): no two text elements overlap (tick labels,
axis labels, titles, annotations, legends, the scale stamp; rendered bounding boxes), no
legend sits on a panel's data, and every figure fits one column (7 in) or two (14 in).

The figure rules' own scripts draw the figures (tests/figure_scripts.py runs them with a
stand-in ``snakemake`` object): from the committed paper-scale tables (results/, the
published record) and, in the integration test, from the quick DAG's tables. A hook in
:func:`wideopt.plots.style.save_figure` measures each figure before it is saved. The checker
itself is tested on figures made to fail.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from figure_scripts import draw_all, jobs

from wideopt.plots import layout, style
from wideopt.plots.sweeps import Sweep, draw_sweep

SCRIPTS = ["ntk_figures", "sobolev_figures", "operators_figures", "open_figures",
           "pinn_figures", "claims_figure"]


@pytest.fixture
def measured():
    """``{figure stem: (width in, [problems])}`` of every figure saved while it is active."""
    seen: dict[str, tuple[float, list[str]]] = {}

    def hook(fig, stem):
        seen[Path(stem).name] = layout.measure(fig)

    style.SAVE_HOOKS.append(hook)
    yield seen
    style.SAVE_HOOKS.remove(hook)


def _assert_clean(seen: dict, expected: set[str]) -> None:
    assert expected <= set(seen), f"figures not drawn: {sorted(expected - set(seen))}"
    bad = {k: p for k, (_, p) in seen.items() if p}
    assert not bad, "\n".join(f"{k}: {x}" for k, p in bad.items() for x in p)
    for k, (w, _) in seen.items():
        assert w <= layout.PAGE_IN, f"{k}: {w:.2f} in wide"


def _pngs(figs: Path, scale: str, results: Path) -> set[str]:
    """The PNG stems the figure rules write (each rule's outputs)."""
    from figure_scripts import config
    out = set()
    for job in jobs(results, figs, config(ROOT, scale)).values():
        items = job.output._names.values()
        flat = [p for v in items for p in (v if isinstance(v, list) else [v])]
        out |= {Path(p).stem for p in flat if str(p).endswith(".png")}
    return out


@pytest.mark.parametrize("script", SCRIPTS)
def test_published_record_layout(script, tmp_path, measured):
    """The published paper-scale figures, redrawn from the committed tables (results/)."""
    draw_all(ROOT, ROOT / "results", tmp_path, "paper", only=[script])
    expected = {s for s in _pngs(tmp_path, "paper", ROOT / "results")
                if Path(tmp_path / f"{s}.png").exists()}
    assert expected, f"{script} drew nothing"
    _assert_clean(measured, expected)


@pytest.mark.integration
def test_quick_figures_layout(built_quick, tmp_path, measured):
    """Every figure at quick scale, from the quick DAG's tables."""
    results = built_quick / "quick" / "results"
    draw_all(ROOT, results, tmp_path, "quick")
    _assert_clean(measured, _pngs(tmp_path, "quick", results))


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
    _assert_clean(measured, {"sweep"})


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
