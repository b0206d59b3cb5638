"""Snakemake wrapper: NGD at eta = 1 from initialization (every step logged), and NGD at the
probe rate with a full step probed at every iterate (local rate), for every listed problem;
tidy ``seed, step, metric, value, problem, kind`` (kind: eta1 | probe)."""

import pandas as pd

from wideopt.data.pinn_problems import Collocation
from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.training.pinn.module import train_seeds

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, frames = smk.params, []
    for problem, path in zip(p.problems, smk.input.data, strict=True):
        colloc = Collocation.from_arrays(read_npz(path)[0])
        base = dict(problem=problem, optimizer="NGD", width=p.width, activation=p.activation,
                    log_every=1, ngd=dict(p.ngd))
        steps = p.probe_steps
        eta1 = train_seeds(dict(base, lr=1.0, steps=p.steps, inner_steps=p.steps),
                           list(p.seeds), colloc)
        probe = train_seeds(dict(base, lr=p.probe_lr, steps=steps, inner_steps=steps,
                                 probe_full_step=True), list(p.seeds), colloc)
        frames += [eta1.assign(problem=problem, kind="eta1"),
                   probe.assign(problem=problem, kind="probe")]
    write_csv(pd.concat(frames, ignore_index=True), smk.output[0])
