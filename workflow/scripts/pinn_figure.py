"""Snakemake wrapper: figure pinn_convergence and the C6 rate fits."""

import pandas as pd

from wideopt.analysis.pinn_summary import convergence_rates, residual_norms
from wideopt.io import write_csv
from wideopt.jobs import job
from wideopt.plots.pinn import convergence_figure
from wideopt.training.pinn import DISPLAY

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    keys = [(pr, o) for pr in p.problems for o in p.optimizers]
    curves = []
    for (prob, opt), f in zip(keys, smk.input.runs, strict=True):
        df = pd.read_csv(f)
        df = df[(df.metric == "loss") & (df.width == p.main_width)
                & (df.lr == float(f"{p.default_lr[opt]:g}"))]
        curves.append(df.assign(problem=prob, optimizer=DISPLAY[opt]))
    curves = pd.concat(curves, ignore_index=True)
    conv = pd.read_csv(smk.input.conv)
    rates, pairs = [], []
    for prob, df in conv.groupby("problem", sort=False):
        eta1, probe = df[df.kind == "eta1"], df[df.kind == "probe"]
        rates.append(convergence_rates(eta1, probe, prob))
        for seed, g in residual_norms(eta1).groupby("seed"):
            v = g["value"].to_numpy()
            pairs.append(pd.DataFrame(dict(problem=prob, kind="eta1", seed=seed, prev=v[:-1],
                                           next=v[1:])))
        pv = probe[probe.metric.isin(["residual_norm", "full_step_residual_norm"])]
        pv = pv.pivot_table(index=["seed", "step"], columns="metric", values="value")
        pairs.append(pd.DataFrame(dict(problem=prob, kind="probe",
                                       seed=pv.index.get_level_values(0),
                                       prev=pv["residual_norm"].to_numpy(),
                                       next=pv["full_step_residual_norm"].to_numpy())))
    rates = pd.DataFrame(rates)
    write_csv(rates, smk.output.rates)
    convergence_figure(curves, rates, pd.concat(pairs, ignore_index=True),
                       smk.output.png[:-4])
