"""Snakemake wrapper: the decay fit of every NTK spectrum, tidy per (d, activation, seed)."""


from wideopt.analysis.sobolev_summary import decay_exponents
from wideopt.io import read_csv, write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    spectra = read_csv(smk.input.spectra)
    write_csv(decay_exponents(spectra, smk.params.fit, smk.params.ratio_index), smk.output[0])
