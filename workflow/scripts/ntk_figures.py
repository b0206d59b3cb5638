"""Snakemake wrapper: draw the four section D figures and render the ntk_slopes table."""

from pathlib import Path

from wideopt.io import read_csv
from wideopt.jobs import job
from wideopt.plots import ntk
from wideopt.plots.tables import TableSpec, render_table

SLOPES = TableSpec(id="ntk_slopes", index=["quantity", "scheme"], columns="activation",
                   title="Fitted log-log slopes in width m (predicted in parentheses)",
                   reference="predicted", log_scale=False)

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    scale = smk.params.scale
    out = {Path(p).stem: Path(p).with_suffix("") for p in smk.output if p.endswith(".png")}
    render_table(read_csv(smk.input.slopes), SLOPES, out["ntk_slopes"].parent, scale=scale)
    runs = read_csv(smk.input.runs)
    ntk.init_concentration(read_csv(smk.input.init), out["ntk_init_concentration"], scale)
    ntk.drift(runs, out["ntk_drift"], scale)
    ntk.linearized_dynamics(read_csv(smk.input.residuals), out["ntk_linearized_dynamics"],
                            scale=scale)
    ntk.parameterization(runs, smk.params.mean_field_activation, out["ntk_parameterization"],
                         scale)
