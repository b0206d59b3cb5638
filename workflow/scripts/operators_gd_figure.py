"""Snakemake wrapper: draw operators_gd (GD beside Adam) from results/."""

from pathlib import Path

from wideopt.io import read_csv
from wideopt.jobs import job
from wideopt.plots.operators_gd import gd_vs_adam

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    gd_vs_adam(read_csv(smk.input.gd_curves), read_csv(smk.input.gd_summary),
               read_csv(smk.input.curves), read_csv(smk.input.summary),
               Path(smk.output.png).with_suffix(""), smk.params.scale)
