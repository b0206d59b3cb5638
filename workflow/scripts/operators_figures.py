"""Snakemake wrapper: draw operators_loss_curves and operators_lazy, and render the
operators_final_loss table (figures/operators_final_loss.{csv,md,png}) from results/."""

from pathlib import Path

from wideopt.analysis.operators_summary import ARCH_LABELS, TABLE_KEYS, with_run_length
from wideopt.analysis.tables import summarize
from wideopt.io import read_csv
from wideopt.jobs import job
from wideopt.plots import operators
from wideopt.plots.tables import render_table

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    scale = smk.params.scale
    out = {Path(p).stem: Path(p).with_suffix("") for p in smk.output if p.endswith(".png")}
    operators.loss_curves(read_csv(smk.input.curves), out["operators_loss_curves"], scale)
    operators.lazy(read_csv(smk.input.summary), out["operators_lazy"], scale)
    tidy = read_csv(smk.input.final_loss)
    # Mean and sample sd (ddof=1) over the seeds that did not diverge (n_nan counts those).
    summary = summarize(tidy.assign(arch=tidy.arch.map(ARCH_LABELS)), TABLE_KEYS,
                        nan_if_any=False, ddof=1)
    # The run length E per architecture x problem, for "not reached (> E epochs)".
    summary = with_run_length(summary, read_csv(smk.input.summary))
    render_table(summary, operators.final_loss_spec(smk.params.loss_threshold),
                 Path(smk.output[0]).parent, scale=scale)
