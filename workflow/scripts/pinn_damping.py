"""Snakemake wrapper: NGD on one problem at the optimizer table's setting, once per LM
damping (every seed); tidy ``damping, seed, step, metric, value``."""

import pandas as pd

from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.training.pinn import train_seeds

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    data, _ = read_npz(smk.input.data)
    p = smk.params
    frames = []
    for damping in p.dampings:
        base = dict(problem=smk.wildcards.problem, optimizer="NGD", lr=float(p.lr),
                    width=int(p.width), steps=p.steps, activation=p.activation,
                    log_every=max(1, min(p.log_every, p.steps // 100)),
                    inner_steps=p.inner_steps, ngd=dict(p.ngd, damping=float(damping)))
        frames.append(train_seeds(base, list(p.seeds), data).assign(damping=float(damping)))
    out = pd.concat(frames, ignore_index=True)
    write_csv(out[["damping", "seed", "step", "metric", "value"]], smk.output[0])
