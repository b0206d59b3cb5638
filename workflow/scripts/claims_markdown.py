"""Snakemake wrapper: figures/claims.md from figures/claims.csv
(wideopt.analysis.publishing.scorecard.scorecard_markdown; the scale from the CSV's column),
then the first statements of re-specified claims judged on the same data
(results/claims/first_statements.csv; wideopt.analysis.judging.first_statements)."""

from wideopt.analysis.judging.first_statements import first_statements_markdown
from wideopt.analysis.publishing.scorecard import read_card, scorecard_markdown
from wideopt.io import read_csv, write_text
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    card = read_card(smk.input.card)
    scale = card["scale"].iloc[0] if len(card) else "unknown"
    firsts = first_statements_markdown(read_csv(smk.input.first))
    write_text(scorecard_markdown(card.drop(columns="scale"), scale)
               + ("\n" + firsts if firsts else ""), smk.output.md)
