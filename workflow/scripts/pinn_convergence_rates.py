"""Snakemake wrapper: the C6 rate fits (slope of log|r_{k+1}| vs log|r_k|) of the NGD
convergence runs, one row per problem (results/pinn/convergence_rates.csv)."""

import pandas as pd

from wideopt.analysis.pinn_summary import all_convergence_rates
from wideopt.io import write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    write_csv(all_convergence_rates(pd.read_csv(smk.input.conv)), smk.output[0])
