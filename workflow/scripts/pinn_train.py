"""Snakemake wrapper: train one (problem, optimizer) for each of its (lr, width) configurations
and every seed, through Lightning; tidy ``lr, width, seed, step, metric, value``."""

import pandas as pd

from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.training.pinn import train_seeds

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    data, _ = read_npz(smk.input.data)
    w, p = smk.wildcards, smk.params
    # At least ~100 logged points per run (NGD's 100-200 steps: every step or two); L-BFGS
    # logs once per Lightning step, so its block is one logging interval.
    log_every = max(1, min(p.log_every, p.steps // 100))
    inner = log_every if w.optimizer == "LBFGS" else p.inner_steps
    frames = []
    for lr, width in p.configs:
        base = dict(problem=w.problem, optimizer=w.optimizer, lr=float(lr), width=int(width),
                    steps=p.steps, activation=p.activation, log_every=log_every,
                    inner_steps=inner, ngd=dict(p.ngd), lbfgs=dict(p.lbfgs))
        frames.append(train_seeds(base, list(p.seeds), data).assign(lr=float(lr),
                                                                    width=int(width)))
    out = pd.concat(frames, ignore_index=True)
    write_csv(out[["lr", "width", "seed", "step", "metric", "value"]], smk.output[0])
