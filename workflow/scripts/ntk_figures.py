"""Snakemake wrapper: draw the four section D figures from the aggregated tables."""

from pathlib import Path

import pandas as pd

from wideopt.jobs import job
from wideopt.plots import ntk

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    out = {Path(p).stem: Path(p).with_suffix("") for p in smk.output if p.endswith(".png")}
    runs = pd.read_csv(smk.input.runs)
    ntk.init_concentration(pd.read_csv(smk.input.init), out["ntk_init_concentration"])
    ntk.drift(runs, out["ntk_drift"])
    ntk.linearized_dynamics(pd.read_csv(smk.input.residuals), out["ntk_linearized_dynamics"])
    ntk.parameterization(runs, smk.params.mean_field_activation, out["ntk_parameterization"])
