"""Snakemake wrapper: write figures/PROVENANCE.md (see wideopt.analysis.publishing.provenance)."""

import os

from wideopt.analysis.publishing.provenance import provenance_markdown
from wideopt.io import write_text
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    text = provenance_markdown(smk.params.results, ".", smk.params.scale, dict(smk.params.config),
                               cores=os.cpu_count() or 1)
    write_text(text, smk.output[0])
