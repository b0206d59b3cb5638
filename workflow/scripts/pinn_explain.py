"""Snakemake wrapper: one explanation table as a tidy per-seed file (results/pinn/<id>.csv, one
row per cell and seed; wideopt.analysis.pinn_summary.explain_table) from its explanation runs,
the runs of the other tables it reuses (``input.reused``) and, for the collocation table, the
sets' point counts (``input.data``)."""

import pandas as pd

from wideopt.analysis.pinn_summary import explain_table
from wideopt.io import read_npz, write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, i = smk.params, smk.input
    counts = [int(m["n1"] + m["n2"]) for m in (read_npz(f)[1] for f in i.data)]
    table = explain_table(smk.wildcards.table, pd.read_csv(i.explain), p.cells, p.default_lr,
                          p.main_width, [pd.read_csv(f) for f in i.reused], counts)
    write_csv(table, smk.output[0])
