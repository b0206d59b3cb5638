"""Snakemake wrapper: draw the scorecard figure figures/claims.png from the checks table."""

from pathlib import Path

from wideopt.io import read_csv
from wideopt.jobs import job
from wideopt.plots.claims import scorecard_figure

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    scorecard_figure(read_csv(smk.input.checks), read_csv(smk.input.card),
                     Path(smk.output.png).with_suffix(""), smk.params.scale)
