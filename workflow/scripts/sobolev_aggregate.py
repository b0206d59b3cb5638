"""Snakemake wrapper: collect section B's spectra and runs into tidy aggregated tables."""

from wideopt.analysis.sobolev_summary import aggregate_runs, concat_csv
from wideopt.io import write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    write_csv(concat_csv(smk.input.spectra), smk.output.spectra)
    curves, runs = aggregate_runs(smk.input.train)
    write_csv(curves, smk.output.curves)
    write_csv(runs, smk.output.runs)
    write_csv(concat_csv(smk.input.classical), smk.output.classical)
