"""Snakemake wrapper: the explanation tables as tidy per-seed files (results/pinn/<id>.csv, one
row per cell and seed; wideopt.analysis.pinn_summary.tidy_table) from the explanation runs and
the runs of the other tables they reuse (helmholtz2d at its own a; the lr table's NGD cells).

- pinn_helmholtz_frequency: ``a, optimizer``;
- pinn_collocation: ``problem, n`` (collocation points n1 + n2, from the data files), ``width``,
  ``optimizer``;
- pinn_ngd_schedule: ``epochs, lr``."""

import pandas as pd

from wideopt.analysis.pinn_summary import select, tidy_table
from wideopt.io import read_npz, write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, i, o = smk.params, smk.input, smk.output
    explain = {t: pd.read_csv(f) for t, f in zip(p.tables, i.explain, strict=True)}

    def run(table, dataset):
        t = explain[table]
        return t[t.dataset == dataset]

    h = p.helmholtz  # runs per optimizer, in the config's order (that of the sweeps)
    cells = []
    for a, dataset in zip(h["frequencies"], h["datasets"], strict=True):
        if dataset == "helmholtz2d":
            per_opt = [pd.read_csv(f) for f in i.helmholtz_main]
        else:
            per_opt = [g for _, g in run("pinn_helmholtz_frequency", dataset)
                       .groupby("optimizer", sort=False)]
        for opt, runs in zip(h["optimizers"], per_opt, strict=True):
            cells.append((dict(a=float(a), optimizer=str(runs["optimizer"].iloc[0])),
                          select(runs, lr=p.default_lr[opt], width=p.main_width)))
    write_csv(tidy_table(cells), o.helmholtz)

    c = p.collocation
    n_of = {d: read_npz(f)[1] for d, f in zip(c["datasets"], i.collocation_data, strict=True)}
    cells = [(dict(problem=pr, n=int(n_of[d]["n1"] + n_of[d]["n2"]), width=int(m),
                   optimizer="NGD"),
              select(run("pinn_collocation", d), lr=p.default_lr["NGD"], width=m))
             for pr, d, m in zip(c["problems"], c["datasets"], c["widths"], strict=True)]
    write_csv(tidy_table(cells), o.collocation)

    s = p.schedule
    short = pd.read_csv(i.schedule_main)
    cells = [(dict(epochs=int(e), lr=float(lr)),
              select(short if e == s["epochs"][0] else run("pinn_ngd_schedule", s["problem"]),
                     lr=lr, width=p.main_width))
             for e in s["epochs"] for lr in sorted(s["lrs"], reverse=True)]
    write_csv(tidy_table(cells), o.schedule)
