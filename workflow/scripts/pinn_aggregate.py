"""Snakemake wrapper: the section C tables as tidy per-seed files (results/pinn/<id>.csv: one
row per cell and seed) and the training-loss curves of the optimizer table's cells, from the
sweep files (wideopt.analysis.pinn_summary.catalogue_tables)."""

import pandas as pd

from wideopt.analysis.pinn_summary import catalogue_tables
from wideopt.io import write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, o = smk.params, smk.output
    keys = [(pr, opt) for pr in p.problems for opt in p.optimizers]
    runs = {k: pd.read_csv(f) for k, f in zip(keys, smk.input.runs, strict=True)}
    damping = {pr: pd.read_csv(f) for pr, f in zip(p.problems, smk.input.damping, strict=True)
               } if smk.input.damping else {}
    tables = catalogue_tables(runs, damping, problems=p.problems, optimizers=p.optimizers,
                              default_lr=p.default_lr, main_width=p.main_width,
                              lr_grid=p.lr_grid, width_ablation=p.width_ablation,
                              dampings=p.dampings, chosen_damping=p.chosen_damping)
    for name, table in tables.items():
        write_csv(table, o[name])
