"""Snakemake wrapper: the L-BFGS budget table (issue 24 part 6): L-BFGS's error on one problem
at each iteration budget (the config's own budget is the optimizer table's run), tidy
results/pinn/pinn_lbfgs_budget.csv (``problem, iterations, optimizer, seed, ...``) and
figures/pinn_lbfgs_budget.{csv,md,png}, with the paper's L-BFGS cell (budget not stated)
beside and NGD's error of the optimizer table in the note."""

from pathlib import Path

import pandas as pd

from wideopt.analysis.pinn_summary import cell_summary, select, tidy_table
from wideopt.analysis.run_status import judged
from wideopt.analysis.tables import paper_values
from wideopt.io import write_csv
from wideopt.jobs import job
from wideopt.plots.pinn import status_cell
from wideopt.plots.style import OPTIMIZERS
from wideopt.plots.sweeps import Sweep, sweep_drawer
from wideopt.plots.tables import TableSpec, render_table

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    budget, main = pd.read_csv(smk.input.budget), pd.read_csv(smk.input.main)
    cells = [(dict(problem=p.problem, iterations=int(k), optimizer="L-BFGS"),
              select(main, lr=p.lr, width=p.width) if k == p.main_iterations
              else budget[budget["steps"] == k])
             for k in sorted(p.iterations)]
    tidy = tidy_table(cells)
    write_csv(tidy, smk.output.tidy)
    summary = cell_summary(tidy, ["problem", "iterations", "optimizer"])
    pv = paper_values("pinn_optimizers").query(f"problem == '{p.problem}'")
    paper = dict(zip(pv["optimizer"], pv["paper_value"].astype(float), strict=True))
    summary["paper_value"] = paper.get("L-BFGS", float("nan"))
    summary["paper_reported"] = True
    opt = judged(pd.read_csv(smk.input.optimizers))
    ngd = float(opt[(opt.problem == p.problem) & (opt.optimizer == "NGD")]["value"].mean())
    note = (f"{p.problem}: L-BFGS (lr {p.lr:g}, strong Wolfe) stopped after the given number of "
            "iterations (or earlier at its tolerance: see the tidy table's steps). In "
            f"parentheses the paper's L-BFGS cell (budget not stated). Our NGD: {ngd:.3g} "
            f"(paper {paper.get('NGD', float('nan')):.3g}).")
    spec = TableSpec("pinn_lbfgs_budget", ["problem", "optimizer"], "iterations",
                     f"{p.problem}: L-BFGS relative L2 test error vs iteration budget",
                     cell=status_cell, note=note,
                     # a one-dimensional sweep: a line plot, the paper's cell dashed
                     draw=sweep_drawer(Sweep("iterations", "optimizer", "L-BFGS iterations",
                                             kind=OPTIMIZERS, integer_x=True,
                                             paper_label="paper's cell (no budget)")),
                     figure_title=f"{p.problem}: L-BFGS test error vs iteration budget")
    render_table(summary, spec, Path(smk.output.tables[0]).parent, scale=p.scale)
