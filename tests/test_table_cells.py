"""Words, not nan: what a rendered table cell says (wideopt.plots.cells, wideopt.plots.tables).

A cell with a number shows it; one without says why: "diverged" (the run blew up), "not
reached (> E epochs)" (a threshold never met), "–" (not run, or no paper value). The summary
CSV keeps the numbers (NaN) and a status column; a legend under the Markdown names each word.
"""

import math

import pandas as pd
import pytest

from wideopt import markdown as md
from wideopt.plots import cells
from wideopt.plots.tables import TableSpec, render_text, to_markdown


def summary() -> pd.DataFrame:
    """Two optimizers x two learning rates; SGD at lr 1 diverged; the paper has SGD at lr 1
    as its own nan (diverged), NGD at lr 0.1 not at all; NGD at lr 1 was never run."""
    return pd.DataFrame([
        dict(optimizer="SGD", lr=1.0, value=math.nan, std=math.nan, n_seeds=3, n_nan=3,
             paper_value=math.nan, paper_reported=True),
        dict(optimizer="SGD", lr=0.1, value=0.125, std=0.01, n_seeds=3, n_nan=0,
             paper_value=0.5, paper_reported=True),
        dict(optimizer="NGD", lr=0.1, value=2.5e-5, std=0.0, n_seeds=3, n_nan=0,
             paper_value=math.nan, paper_reported=False),
    ])


SPEC = TableSpec("t", ["optimizer"], "lr", "Error vs lr")


def cells_of(text: str) -> dict[str, list[str]]:
    rows = [md.split_row(line) for line in text.splitlines() if line.startswith("|")]
    return {r[0]: r[1:] for r in rows[2:]}


def test_fmt_numbers_and_no_nan():
    assert cells.fmt(0.125) == "0.125" and cells.fmt(2.5e-5) == "2.50e-05"
    assert cells.fmt(0.125, 0.01) == "0.125 ± 1.0e-02"
    assert cells.fmt(math.nan) == "–" and cells.fmt(None) == "–" and cells.fmt(math.inf) == "–"


def test_markdown_says_why_a_cell_is_empty():
    text = to_markdown(summary(), SPEC)
    got = cells_of(text)
    assert got["SGD"] == ["diverged (paper diverged)", "0.125 ± 1.0e-02 (paper 0.5)"]
    assert got["NGD"] == ["–", "2.50e-05 (paper –)"]  # lr 1 never run; no paper cell
    assert "nan" not in text
    legend = text.strip().splitlines()[-1]
    assert legend.startswith("Cells: mean ± sd over 3 seeds; in parentheses the paper value")
    assert "*diverged*: the run blew up" in legend and "–: not run" in legend
    assert "not reached" not in legend


def test_not_reached_names_the_run_length():
    s = pd.DataFrame([dict(problem="burgers", quantity="epochs", value=math.nan, std=math.nan,
                           n_seeds=1, limit=300),
                      dict(problem="burgers", quantity="loss", value=1e-3, std=1e-4,
                           n_seeds=3, limit=300)])
    spec = TableSpec("u", ["problem"], "quantity", "T",
                     nan_means=lambda r: cells.NOT_REACHED if r["quantity"] == "epochs"
                     else cells.DIVERGED)
    text = to_markdown(s, spec)
    assert cells_of(text)["burgers"] == ["not reached (> 300 epochs)", "1.00e-03 ± 1.0e-04"]
    assert "Cells: mean ± sd over 3 seeds" in text  # the 1-"seed" curve cell has no spread
    assert "*not reached (> E epochs)*" in text


def test_csv_keeps_numbers_and_a_status(tmp_path):
    out = render_text(summary(), SPEC, tmp_path)
    assert list(out["status"]) == ["diverged", "ok", "ok"]
    back = pd.read_csv(tmp_path / "t.csv")
    assert back["status"].tolist() == ["diverged", "ok", "ok"]
    assert math.isnan(back["value"][0]) and back["value"][1] == pytest.approx(0.125)
    assert (tmp_path / "t.md").read_text() == to_markdown(out, SPEC)


def test_a_given_status_wins_and_unknown_ones_are_errors():
    s = summary().assign(status=["not run", "ok", "ok"])
    assert cells_of(to_markdown(s, SPEC))["SGD"][0] == "– (paper diverged)"
    with pytest.raises(ValueError, match="unknown cell status"):
        cells.with_status(summary(), nan_means="exploded")


def test_run_length_per_architecture_and_problem():
    from wideopt.analysis.operators_summary import with_run_length

    runs = pd.DataFrame(dict(arch=["deeponet", "deeponet", "fno"], problem=["burgers"] * 3,
                             epochs=[300, 200, 12]))
    s = pd.DataFrame(dict(arch=["DON", "FNO"], problem=["burgers", "burgers"],
                          quantity=["epochs to threshold"] * 2, value=[math.nan, 5.0]))
    assert with_run_length(s, runs)["limit"].tolist() == [300, 12]


def test_heatmap_says_why_a_cell_of_ours_is_empty(tmp_path):
    """A NaN cell of ours reads its status (diverged, not reached, not run), never "nan"."""
    import pandas as pd

    from wideopt.plots import style
    from wideopt.plots.tables import TableSpec, table_heatmap

    summary = pd.DataFrame({
        "problem": ["p1", "p1", "p2"], "lr": [1.0, 0.1, 1.0],
        "value": [float("nan"), 1e-3, float("nan")], "n_seeds": [3, 3, 0],
        "status": ["diverged", "ok", "not run"]})
    spec = TableSpec(id="t", index=["problem"], columns="lr", title="t")
    texts = []
    style.SAVE_HOOKS.append(lambda fig, stem: texts.extend(
        t.get_text() for ax in fig.axes for t in ax.texts))
    try:
        table_heatmap(summary, spec, tmp_path / "t")
    finally:
        style.SAVE_HOOKS.pop()
    assert "diverged" in texts and "not run" in texts and "0.001" in texts
    assert "nan" not in texts
