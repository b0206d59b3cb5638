"""Snakemake wrapper: open_ngd_depth on each problem (section C's collocation files): PINNs
with `depth` trained hidden layers under NGD at each lr, Adam and L-BFGS, every seed
(wideopt.training.pinn.deep)."""

import pandas as pd

from wideopt.data.pinn_problems import Collocation
from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.models.pinn_deep import DeepPINN
from wideopt.pde import get_problem
from wideopt.training.pinn.deep import FuncResidual, train_net
from wideopt.training.pinn.module import RunConfig, block_steps, logging_interval

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    runs = [("NGD", lr, p.ngd_steps) for lr in p.ngd_lrs]
    runs += [("Adam", p.adam_lr, p.adam_steps), ("LBFGS", 1.0, p.lbfgs_iterations)]
    rows = []
    for name, path in zip(p.problems, smk.input.data, strict=True):
        problem = get_problem(name)
        colloc = Collocation.from_arrays(read_npz(path)[0])
        for optimizer, lr, steps in runs:
            every = logging_interval(p.log_every, steps)
            for seed in p.seeds:
                cfg = RunConfig(problem=name, optimizer=optimizer, lr=lr, width=p.width,
                                steps=steps, seed=seed, activation=p.activation,
                                log_every=every,
                                inner_steps=block_steps(optimizer, every, p.inner_steps),
                                ngd=dict(p.ngd_solver),
                                lbfgs=dict(history_size=p.history_size))
                net = DeepPINN(p.width, problem.dim, seed, p.depth, p.activation)
                res = train_net(net, problem, colloc, cfg,
                                FuncResidual(problem.operator, colloc))
                rows.append(dict(problem=name, depth=p.depth, width=p.width,
                                 optimizer=optimizer, lr=lr, seed=seed, **res))
    write_csv(pd.DataFrame(rows), smk.output[0])
