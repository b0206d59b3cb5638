"""Snakemake wrapper: the L-BFGS budget table (issue 24 part 6): L-BFGS's error on one problem
at each iteration budget (the config's own budget is the optimizer table's run), tidy
results/pinn/pinn_lbfgs_budget.csv (``problem, iterations, optimizer, seed, ...``); drawn by
pinn_search_figures."""

import pandas as pd

from wideopt.analysis.pinn_summary import select, tidy_table
from wideopt.io import write_csv
from wideopt.jobs import job

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
