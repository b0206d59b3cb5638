"""Snakemake wrapper: figures/claims.md from figures/claims.csv
(wideopt.analysis.publishing.scorecard.scorecard_markdown; the scale from the CSV's column)."""

from wideopt.analysis.publishing.scorecard import read_card, scorecard_markdown
from wideopt.io import write_text
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    card = read_card(smk.input.card)
    scale = card["scale"].iloc[0] if len(card) else "unknown"
    write_text(scorecard_markdown(card.drop(columns="scale"), scale), smk.output.md)
