"""Snakemake wrapper: NGD at eta = 1 from initialization (every step logged), and NGD at the
probe rate with a full step probed at every iterate (local rate), for every listed problem, and
the extreme eigenvalues sigma(J)^2 of the Gram J J^T at initialization at the same width (C6's
hypothesis lambda_0 > 0); tidy ``seed, step, metric, value, problem, kind`` (kind: eta1 |
probe | gram, the last with metrics gram_lambda_min, gram_lambda_max at step 0)."""

import pandas as pd

from wideopt.data.pinn_problems import Collocation
from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.training.pinn.gram import initial_jacobian, svd_gram_eigenvalues
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
        gram = []
        for seed in p.seeds:
            lam = svd_gram_eigenvalues(initial_jacobian(problem, colloc, p.width, seed,
                                                        p.activation))
            gram += [dict(seed=seed, step=0, metric="gram_lambda_min", value=lam.min()),
                     dict(seed=seed, step=0, metric="gram_lambda_max", value=lam.max())]
        frames += [eta1.assign(problem=problem, kind="eta1"),
                   probe.assign(problem=problem, kind="probe"),
                   pd.DataFrame(gram).assign(problem=problem, kind="gram")]
    write_csv(pd.concat(frames, ignore_index=True), smk.output[0])
