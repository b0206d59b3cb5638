"""Snakemake wrapper: the NGD damping table (figures/pinn_ngd_damping.{csv,md,png})."""

from pathlib import Path

import pandas as pd

from wideopt.analysis import pinn_summary as ps
from wideopt.analysis.tables import fmt, write_table
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    runs = {}
    for problem, f in zip(p.problems, smk.input.runs, strict=True):
        df = pd.read_csv(f)
        runs.update({(problem, float(d)): g for d, g in df.groupby("damping", sort=False)})
    write_table(ps.damping_table(runs), "pinn_ngd_damping", Path(smk.output.csv).parent,
                index=["problem"], columns="damping",
                title=f"NGD relative L2 test error vs LM damping (tables use {fmt(p.chosen)}; "
                      "paper's NGD cell, damping not stated, in parentheses)")
