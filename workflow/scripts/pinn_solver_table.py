"""Snakemake wrapper: the NGD solver search (wideopt.analysis.pinn_solver) as a tidy per-seed
table (results/pinn/pinn_ngd_solver.csv) and the table figures/pinn_ngd_solver.{csv,md,png}."""

from pathlib import Path

import pandas as pd

from wideopt.analysis.pinn_solver import caption_note, search_tidy, solver_summary
from wideopt.io import write_csv
from wideopt.jobs import job
from wideopt.plots.pinn import status_cell
from wideopt.plots.tables import TableSpec, render_table

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    runs = {pr: pd.read_csv(f) for pr, f in zip(p.problems, smk.input.runs, strict=True)}
    tidy = search_tidy(runs, pd.read_csv(smk.input.damping), p.reuse_lr, p.dampings)
    write_csv(tidy, smk.output.tidy)
    summary = solver_summary(tidy)
    spec = TableSpec("pinn_ngd_solver", ["problem", "variant"], "lr",
                     "NGD relative L2 test error by linear solve and step size (mean over "
                     "seeds; paper's NGD cell in parentheses)", cell=status_cell,
                     note=caption_note(summary))
    render_table(summary, spec, Path(smk.output.tables[0]).parent, scale=p.scale)
