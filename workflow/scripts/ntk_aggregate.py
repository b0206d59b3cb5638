"""Snakemake wrapper: collect section D's runs into init.csv, runs.csv and residuals.csv."""

import re

import pandas as pd

from wideopt.analysis.ntk_summary import summarize_run
from wideopt.io import read_csv, write_csv
from wideopt.jobs import job

PATTERN = re.compile(r"train/(?P<scheme>\w+)/(?P<activation>\w+)\.csv$")

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    write_csv(pd.concat(map(read_csv, smk.input.init), ignore_index=True), smk.output.init)
    runs, residuals = [], []
    for path in smk.input.train:
        keys = PATTERN.search(path).groupdict()
        for width, metrics in read_csv(path).groupby("width"):
            runs.append(summarize_run(metrics).assign(width=width, **keys))
            r = metrics[metrics.metric.isin(["residual_norm", "lin_residual_norm"])]
            wide = r.pivot_table(index=["seed", "step", "t"], columns="metric", values="value")
            residuals.append(wide.reset_index().assign(width=width, **keys))
    write_csv(pd.concat(runs, ignore_index=True), smk.output.runs)
    write_csv(pd.concat(residuals, ignore_index=True), smk.output.residuals)
