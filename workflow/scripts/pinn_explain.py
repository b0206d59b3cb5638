"""Snakemake wrapper: one explanation table as a tidy per-seed file (results/pinn/<id>.csv, one
row per cell and seed; wideopt.analysis.pinn_summary.tidy_table) from its explanation runs and
the runs of the other tables it reuses (``input.reused``: helmholtz2d at its own a, one file per
optimizer in the config's order; the lr table's NGD sweep).

- pinn_helmholtz_frequency: ``a, optimizer``;
- pinn_collocation: ``problem, n`` (collocation points n1 + n2, from the data files), ``width``,
  ``optimizer``;
- pinn_ngd_schedule: ``epochs, lr``."""

import pandas as pd

from wideopt.analysis.pinn_summary import select, tidy_table
from wideopt.io import read_npz, write_csv
from wideopt.jobs import job


def helmholtz(runs, c, p, reused):
    """Runs per optimizer in the config's order (that of the sweeps and of ``reused``)."""
    cells = []
    for a, dataset in zip(c["frequencies"], c["datasets"], strict=True):
        if dataset == "helmholtz2d":
            per_opt = [pd.read_csv(f) for f in reused]
        else:
            per_opt = [g for _, g in runs[runs.dataset == dataset].groupby("optimizer",
                                                                           sort=False)]
        for opt, r in zip(c["optimizers"], per_opt, strict=True):
            cells.append((dict(a=float(a), optimizer=str(r["optimizer"].iloc[0])),
                          select(r, lr=p.default_lr[opt], width=p.main_width)))
    return cells


def collocation(runs, c, p, data):
    meta = [read_npz(f)[1] for f in data]
    return [(dict(problem=pr, n=int(m["n1"] + m["n2"]), width=int(w), optimizer="NGD"),
             select(runs[runs.dataset == d], lr=p.default_lr["NGD"], width=w))
            for pr, d, w, m in zip(c["problems"], c["datasets"], c["widths"], meta, strict=True)]


def schedule(runs, c, p, reused):
    short = pd.read_csv(reused[0])
    return [(dict(epochs=int(e), lr=float(lr)),
             select(short if e == c["epochs"][0] else runs, lr=lr, width=p.main_width))
            for e in c["epochs"] for lr in sorted(c["lrs"], reverse=True)]


with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, i, table = smk.params, smk.input, smk.wildcards.table
    runs = pd.read_csv(i.explain)
    cells = (helmholtz(runs, p.cells, p, list(i.reused)) if table == "pinn_helmholtz_frequency"
             else collocation(runs, p.cells, p, list(i.data)) if table == "pinn_collocation"
             else schedule(runs, p.cells, p, list(i.reused)))
    write_csv(tidy_table(cells), smk.output[0])
