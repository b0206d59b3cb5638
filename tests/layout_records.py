"""Reading the layout records of a Snakemake run with ``$WIDEOPT_LAYOUT_DIR`` set
(:func:`wideopt.plots.style.record_layout`), for tests/test_figure_layout.py and
tests/test_redraw.py."""

from __future__ import annotations

import json
from pathlib import Path

from wideopt.plots import layout


def assert_clean(seen: dict, expected: set[str]) -> None:
    """Every ``expected`` figure was measured; none has a layout problem or is over 14 in."""
    assert expected <= set(seen), f"figures not measured: {sorted(expected - set(seen))}"
    bad = {k: p for k, (_, p) in seen.items() if p}
    assert not bad, "\n".join(f"{k}: {x}" for k, p in bad.items() for x in p)
    for k, (w, _) in seen.items():
        assert w <= layout.PAGE_IN, f"{k}: {w:.2f} in wide"


def recorded(folder: Path) -> dict[str, tuple[float, list[str]]]:
    """What a run with ``$WIDEOPT_LAYOUT_DIR=folder`` recorded (style.record_layout)."""
    return {p.stem: (d["width_in"], d["problems"]) for p in folder.glob("*.json")
            for d in [json.loads(p.read_text())]}


def run_figures(figures: Path) -> set[str]:
    """The stems of every PNG a run wrote under ``figures``."""
    pngs = {p.stem for p in figures.glob("*.png")}
    assert len(pngs) >= 25, f"only {len(pngs)} figures under {figures}"
    return pngs
