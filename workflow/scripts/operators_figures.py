"""Snakemake wrapper: draw operators_loss_curves and operators_lazy."""

from pathlib import Path

import pandas as pd

from wideopt.jobs import job
from wideopt.plots import operators

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    out = {Path(p).stem: Path(p).with_suffix("") for p in smk.output if p.endswith(".png")}
    operators.loss_curves(pd.read_csv(smk.input.curves), out["operators_loss_curves"])
    operators.lazy(pd.read_csv(smk.input.summary), out["operators_lazy"])
