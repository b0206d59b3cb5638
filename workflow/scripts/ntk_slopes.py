"""Snakemake wrapper: the ntk_slopes table (fitted vs predicted log-log slopes in m)."""

from pathlib import Path

import pandas as pd

from wideopt.analysis.ntk_summary import fit_slopes
from wideopt.analysis.tables import write_table
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    table = fit_slopes(pd.read_csv(smk.input.init), pd.read_csv(smk.input.runs),
                       smk.params.fit_min_width)
    write_table(table, "ntk_slopes", Path(smk.output.csv).parent,
                index=["quantity", "scheme"], columns="activation",
                title="Fitted log-log slopes in width m (predicted in parentheses)",
                log_scale=False, reference="predicted")
