"""Snakemake wrapper: the section C tables, five of the catalogue and three explanation tables
(figures/<id>.{csv,md,png}), from the tidy per-seed files under results/pinn/
(wideopt.analysis.pinn_summary.table_summaries), and the figure pinn_convergence. Imports no
torch."""

from pathlib import Path

import pandas as pd

from wideopt.analysis import pinn_summary as ps
from wideopt.jobs import job
from wideopt.plots.pinn import convergence_figure, table_specs
from wideopt.plots.tables import render_table

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, i = smk.params, smk.input
    outdir = Path(smk.output.tables[0]).parent
    tidy = {t: pd.read_csv(i[t]) for t in [*ps.TABLE_KEYS, ps.GRAM_TABLE]}
    summaries = ps.table_summaries(tidy)
    specs = table_specs(p.lr_problem, p.width_problem, p.chosen_damping,
                        ps.gram_summary(tidy[ps.GRAM_TABLE]),
                        ps.nearest_to_paper(summaries["pinn_helmholtz_frequency"], "a",
                                            "optimizer"),
                        tuple(dict.fromkeys(summaries["pinn_ngd_schedule"]["epochs"])))
    for tid, summary in summaries.items():
        render_table(summary, specs[tid], outdir, scale=p.scale)

    conv = pd.read_csv(i.conv)
    convergence_figure(pd.read_csv(i.curves), pd.read_csv(i.rates), ps.rate_pairs(conv),
                       smk.output.convergence_png[:-4], scale=p.scale)
