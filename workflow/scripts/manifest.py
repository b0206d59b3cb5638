"""Snakemake wrapper: write figures/MANIFEST.sha256 (see wideopt.analysis.publishing.manifest)."""

from wideopt.analysis.publishing.manifest import manifest_text
from wideopt.io import write_text
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    write_text(manifest_text(smk.params.root), smk.output[0])
