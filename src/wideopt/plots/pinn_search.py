"""Section C's search tables drawn from their tidy tables (issue 24, ours): the NGD solver
search, the paper's Gram numbers traced, the L-BFGS iteration budget. Compute, then draw: the
compute rules write ``results/pinn/<id>.csv`` only; this module renders
``figures/<id>.{csv,md,png}`` from them (rule ``pinn_search_figures``, also in the redraw)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wideopt.analysis.pinn_solver import caption_note, solver_summary
from wideopt.analysis.pinn_source import finding, settings_summary, table_cell
from wideopt.analysis.pinn_summary import cell_summary
from wideopt.analysis.run_status import judged
from wideopt.analysis.tables import paper_values
from wideopt.plots.cells import NOT_RUN
from wideopt.plots.pinn import status_cell
from wideopt.plots.style import OPTIMIZERS
from wideopt.plots.sweeps import Sweep, sweep_drawer
from wideopt.plots.tables import TableSpec, render_table


def solver_table(tidy: pd.DataFrame, outdir: Path, scale: str) -> None:
    """``pinn_ngd_solver``: error by linear solve (rows) and step size (columns); 2-D, so a
    heatmap; the note says which variant, if any, reproduces the paper's lr row."""
    summary = solver_summary(tidy)
    spec = TableSpec("pinn_ngd_solver", ["problem", "variant"], "lr",
                     "NGD relative L2 test error by linear solve and step size (mean over "
                     "seeds; paper's NGD cell in parentheses)", cell=status_cell,
                     note=caption_note(summary))
    render_table(summary, spec, outdir, scale=scale)


def gram_normalization_table(tidy: pd.DataFrame, outdir: Path, scale: str) -> None:
    """``pinn_gram_normalization``: the poisson1d Gram's numbers per normalization, n and m;
    "–" where lambda_min is undefined (singular by rank); the note names the matching setting,
    if any."""
    summary = settings_summary(tidy)
    by_rank = summary[summary.quantity == "singular_by_rank"].set_index(
        ["normalization", "n", "width"])["value"]
    summary["by_rank"] = [by_rank[(r.normalization, r.n, r.width)] for r in
                          summary.itertuples()]
    spec = TableSpec("pinn_gram_normalization", ["normalization", "n", "width"], "quantity",
                     "poisson1d Gram J J^T at initialization vs normalization, collocation "
                     "count n and width m (sigma(J)^2, mean over seeds)", facet="quantity",
                     shown=["inv_lambda_max", "lambda_min", "eigvalsh_floor"],
                     cell=table_cell, note=finding(summary),
                     nan_means=NOT_RUN)  # no value: lambda_min undefined (singular by rank)
    render_table(summary, spec, outdir, scale=scale)


def lbfgs_table(tidy: pd.DataFrame, optimizers: pd.DataFrame, lr: float, outdir: Path,
                scale: str) -> None:
    """``pinn_lbfgs_budget``: L-BFGS's error per iteration budget, a one-dimensional sweep
    (a line plot, the paper's cell dashed); our NGD error of the optimizer table in the note."""
    problem = str(tidy["problem"].iloc[0])
    summary = cell_summary(tidy, ["problem", "iterations", "optimizer"])
    pv = paper_values("pinn_optimizers").query(f"problem == '{problem}'")
    paper = dict(zip(pv["optimizer"], pv["paper_value"].astype(float), strict=True))
    summary["paper_value"] = paper.get("L-BFGS", float("nan"))
    summary["paper_reported"] = True
    opt = judged(optimizers)
    ngd = float(opt[(opt.problem == problem) & (opt.optimizer == "NGD")]["value"].mean())
    note = (f"{problem}: L-BFGS (lr {lr:g}, strong Wolfe) stopped after the given number of "
            "iterations (or earlier at its tolerance: see the tidy table's steps). In "
            f"parentheses the paper's L-BFGS cell (budget not stated). Our NGD: {ngd:.3g} "
            f"(paper {paper.get('NGD', float('nan')):.3g}).")
    spec = TableSpec("pinn_lbfgs_budget", ["problem", "optimizer"], "iterations",
                     f"{problem}: L-BFGS relative L2 test error vs iteration budget",
                     cell=status_cell, note=note,
                     draw=sweep_drawer(Sweep("iterations", "optimizer", "L-BFGS iterations",
                                             kind=OPTIMIZERS, integer_x=True,
                                             paper_label="paper's cell (no budget)")),
                     figure_title=f"{problem}: L-BFGS test error vs iteration budget")
    render_table(summary, spec, outdir, scale=scale)
