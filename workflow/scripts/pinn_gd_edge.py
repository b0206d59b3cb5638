"""Snakemake wrapper: C8, GD's largest stable step per problem and seed by bisection
(wideopt.training.pinn.edge.edge_of_stability); one row per (problem, seed)
(results/pinn/gd_edge.csv)."""

import pandas as pd

from wideopt.data.pinn_problems import Collocation
from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.training.pinn.edge import edge_of_stability

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    rows = []
    for problem, path in zip(p.problems, smk.input.data, strict=True):
        colloc = Collocation.from_arrays(read_npz(path)[0])
        for seed in p.seeds:
            r = edge_of_stability(problem, colloc, p.width, seed, p.steps[problem],
                                  p.activation, p.c_lo, p.c_hi, p.iters)
            rows.append(dict(problem=problem, seed=seed, steps=p.steps[problem], **r))
    write_csv(pd.DataFrame(rows), smk.output[0])
