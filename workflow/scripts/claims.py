"""Snakemake wrapper: write figures/claims.{csv,md} (see wideopt.analysis.claims)."""

from wideopt.analysis.claims import scorecard, scorecard_markdown
from wideopt.io import write_csv, write_text
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    inputs = {
        fam: {k: smk.input[f"{fam}__{k}"] for k in keys}
        for fam, keys in smk.params.families.items()
    }
    card = scorecard(inputs)
    write_csv(card, smk.output.csv)
    write_text(scorecard_markdown(card, smk.params.scale), smk.output.md)
