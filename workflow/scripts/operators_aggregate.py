"""Snakemake wrapper: concatenate the section A runs into curves.csv and summary.csv."""

from wideopt.analysis.operators_summary import collect_curves, collect_summaries
from wideopt.io import write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    write_csv(collect_curves(smk.input.metrics), smk.output.curves)
    write_csv(collect_summaries(smk.input.summaries), smk.output.summary)
