"""Snakemake wrapper: the section C tables, five of the catalogue and three explanation tables
(figures/<id>.{csv,md,png}), from the tidy per-seed files under results/pinn/, and the figure
pinn_convergence. Imports no torch."""

from pathlib import Path

import pandas as pd

from wideopt.analysis import pinn_summary as ps
from wideopt.analysis.tables import summarize, with_paper
from wideopt.jobs import job
from wideopt.plots.pinn import convergence_figure, table_specs
from wideopt.plots.tables import render_table

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, i = smk.params, smk.input
    outdir = Path(smk.output.tables[0]).parent
    gram_tidy = pd.read_csv(i["pinn_gram_spectrum"])
    if "normalization" not in gram_tidy:  # a table from before both normalizations
        gram_tidy["normalization"] = "normalized"
    gram = summarize(gram_tidy, ["problem", "normalization", "quantity"])
    explain = {  # id -> (keys, the paper's cells beside ours)
        "pinn_helmholtz_frequency": (["a", "optimizer"], ps.frequency_paper),
        "pinn_collocation": (["problem", "n", "width", "optimizer"], ps.collocation_paper),
        "pinn_ngd_schedule": (["epochs", "lr"], ps.schedule_paper),
    }
    summaries = {tid: paper(ps.cell_summary(pd.read_csv(i[tid]), k))
                 for tid, (k, paper) in explain.items()}
    epochs = tuple(dict.fromkeys(summaries["pinn_ngd_schedule"]["epochs"]))
    specs = table_specs(p.lr_problem, p.width_problem, p.chosen_damping, gram,
                        ps.nearest_to_paper(summaries["pinn_helmholtz_frequency"], "a",
                                            "optimizer"), epochs)
    for tid, summary in summaries.items():
        render_table(summary, specs[tid], outdir, scale=p.scale)
    keys = {"pinn_optimizers": ["problem", "optimizer"], "pinn_lr_robustness": ["optimizer", "lr"],
            "pinn_width": ["optimizer", "width"], "pinn_ngd_damping": ["problem", "damping"]}
    numeric = {"pinn_lr_robustness": ("lr",), "pinn_width": ("width",)}
    for tid, k in keys.items():
        summary = ps.cell_summary(pd.read_csv(i[tid]), k)
        summary = (ps.damping_paper(summary) if tid == "pinn_ngd_damping"
                   else with_paper(summary, tid, k, numeric=numeric.get(tid, ())))
        render_table(summary, specs[tid], outdir, scale=p.scale)
    shown = gram[gram.quantity.isin(ps.GRAM_SHOWN)]
    render_table(ps.gram_paper(shown), specs["pinn_gram_spectrum"], outdir, scale=p.scale)

    conv = pd.read_csv(i.conv)
    convergence_figure(pd.read_csv(i.curves), pd.read_csv(i.rates), ps.rate_pairs(conv),
                       smk.output.convergence_png[:-4], scale=p.scale)
