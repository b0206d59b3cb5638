"""Snakemake wrapper: concatenate the GD runs (one file per arch x problem) into
results/operators/gd/{curves,summary}.csv."""

import pandas as pd

from wideopt.io import read_csv, write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    for kind, paths in (("curves", smk.input.curves), ("summary", smk.input.summaries)):
        df = pd.concat([read_csv(p) for p in paths], ignore_index=True)
        write_csv(df.sort_values(["arch", "problem", "width", "seed"], kind="stable"),
                  smk.output[kind])
