"""Snakemake wrapper: the section E figures and tables from results/open (and section C's
two-layer optimizer table beside open_ngd_depth); wideopt.plots.open."""

from pathlib import Path

from wideopt.analysis import open_summary
from wideopt.analysis.tables import summarize
from wideopt.io import read_csv
from wideopt.jobs import job
from wideopt.plots import open as plots
from wideopt.plots.tables import render_table, render_text

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    i, scale = smk.input, smk.params.scale
    figs = Path(smk.output[0]).parent
    plots.radius(read_csv(i.open_radius), figs / "open_radius", scale)
    relu = read_csv(i.open_relu_operators)
    plots.relu(relu, figs / "open_relu_operators", scale)
    render_text(open_summary.relu_summary(relu), plots.RELU_TABLE, figs)
    plots.encoder(read_csv(i.open_fno_encoder), figs / "open_fno_encoder", scale)
    plots.depth(read_csv(i.open_depth_distance), figs / "open_depth_distance", scale)
    tidy = open_summary.ngd_depth_tidy(read_csv(i.open_ngd_depth),
                                       read_csv(i.pinn_optimizers), smk.params.pinn_ngd_lr)
    render_table(summarize(tidy, plots.NGD_DEPTH_TABLE.index + ["net"]),
                 plots.NGD_DEPTH_TABLE, figs, scale=scale)
    plots.ngd_dimension(read_csv(i.open_ngd_dimension), figs / "open_ngd_dimension",
                        smk.params.factor, scale)
