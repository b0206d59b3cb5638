"""Snakemake wrapper: open_ngd_dimension: NGD on Poisson in [0, 1]^d (u* = sum sin(pi x_i / 2),
Sobol collocation) with section C's two-layer PINN at every d, width and seed
(wideopt.pde.poisson_cube)."""

import pandas as pd

from wideopt.data.pinn_problems import make_collocation
from wideopt.io import write_csv
from wideopt.jobs import job
from wideopt.models.pinn_two_layer import TwoLayerPINN
from wideopt.pde import poisson_cube
from wideopt.training.pinn.deep import train_net
from wideopt.training.pinn.module import RunConfig, logging_interval

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    every = logging_interval(p.log_every, p.steps)
    rows = []
    for d in p.dims:
        problem = poisson_cube(d)
        colloc = make_collocation(problem, p.n_interior, p.n_boundary, p.n_test, p.data_seed)
        for width in p.widths:
            for seed in p.seeds:
                cfg = RunConfig(problem=problem.name, optimizer="NGD", lr=p.lr, width=width,
                                steps=p.steps, seed=seed, activation=p.activation,
                                log_every=every, inner_steps=p.inner_steps,
                                ngd=dict(p.ngd_solver))
                net = TwoLayerPINN(width, d, seed, p.activation)
                rows.append(dict(dim=d, width=width, seed=seed, n_params=width * (d + 1),
                                 n_points=sum(colloc.sizes),
                                 **train_net(net, problem, colloc, cfg)))
    write_csv(pd.DataFrame(rows), smk.output[0])
