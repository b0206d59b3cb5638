"""Snakemake wrapper: NGD at eta = 1 from initialization (every step logged), and NGD at the
probe rate with a full step probed at every iterate (local rate), for every listed problem."""

import pandas as pd

from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.training.pinn import train_seeds

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, frames = smk.params, []
    for problem, path in zip(p.problems, smk.input.data, strict=True):
        data, _ = read_npz(path)
        base = dict(problem=problem, optimizer="NGD", width=p.width, activation=p.activation,
                    log_every=1, ngd=dict(p.ngd))
        steps = p.probe_steps
        eta1 = train_seeds(dict(base, lr=1.0, steps=p.steps, inner_steps=p.steps),
                           list(p.seeds), data)
        probe = train_seeds(dict(base, lr=p.probe_lr, steps=steps, inner_steps=steps,
                                 probe_full_step=True), list(p.seeds), data)
        frames += [eta1.assign(problem=problem, kind="eta1"),
                   probe.assign(problem=problem, kind="probe")]
    write_csv(pd.concat(frames, ignore_index=True), smk.output[0])
