"""Snakemake wrapper: concatenate the section A runs into curves.csv and summary.csv, and
write the tidy per-seed operators_final_loss table (wideopt.analysis.operators_summary)."""

from wideopt.analysis.operators_summary import collect_curves, collect_summaries, final_loss_table
from wideopt.io import write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    curves = collect_curves(smk.input.metrics)
    summary = collect_summaries(smk.input.summaries)
    write_csv(curves, smk.output.curves)
    write_csv(summary, smk.output.summary)
    write_csv(final_loss_table(curves, summary, smk.params.loss_threshold),
              smk.output.final_loss)
