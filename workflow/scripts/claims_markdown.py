"""Snakemake wrapper: figures/claims.md from figures/claims.csv
(wideopt.analysis.publishing.scorecard.scorecard_markdown; the scale from the CSV's column),
then the first statements of re-specified claims judged on the same data
(results/claims/first_statements.csv; wideopt.analysis.judging.first_statements)."""

from pathlib import Path

from wideopt.analysis.publishing.scorecard import scorecard_page
from wideopt.io import write_text
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    write_text(scorecard_page(Path(smk.input.card), Path(smk.input.first)), smk.output.md)
