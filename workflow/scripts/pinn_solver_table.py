"""Snakemake wrapper: the NGD solver search (wideopt.analysis.pinn_solver) as a tidy per-seed
table (results/pinn/pinn_ngd_solver.csv); drawn by pinn_search_figures."""

import pandas as pd

from wideopt.analysis.pinn_solver import search_tidy
from wideopt.io import write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    runs = {pr: pd.read_csv(f) for pr, f in zip(p.problems, smk.input.runs, strict=True)}
    tidy = search_tidy(runs, pd.read_csv(smk.input.damping), p.reuse_lr, p.dampings)
    write_csv(tidy, smk.output.tidy)
