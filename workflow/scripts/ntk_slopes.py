"""Snakemake wrapper: fitted log-log slopes in m beside the predicted ones (one row per
cell: a fit across seeds), written to results/ntk/ntk_slopes.csv."""


from wideopt.analysis.ntk_summary import fit_slopes
from wideopt.io import read_csv, write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    table = fit_slopes(read_csv(smk.input.init), read_csv(smk.input.runs),
                       smk.params.fit_min_width)
    write_csv(table, smk.output[0])
