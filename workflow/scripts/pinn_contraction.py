"""Snakemake wrapper: C7's measurement (wideopt.analysis.pinn_contraction) on the lr table's
NGD runs, one row per (lr, seed) (results/pinn/ngd_contraction.csv)."""

import pandas as pd

from wideopt.analysis.pinn_contraction import contraction_table
from wideopt.io import write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    write_csv(contraction_table(pd.read_csv(smk.input.run), p.lrs, p.width), smk.output[0])
