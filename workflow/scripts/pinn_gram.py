"""Snakemake wrapper: spectrum of the Gram matrix J J^T at initialization from the singular
values of J, per problem, seed and normalization of the residual; tidy ``problem,
normalization, seed, quantity, value`` (results/pinn/pinn_gram_spectrum.csv)."""

import pandas as pd

from wideopt.analysis.pinn_summary import gram_rows
from wideopt.data.pinn_problems import Collocation
from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.training.pinn.gram import initial_gram

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, rows = smk.params, []
    for problem, path in zip(p.problems, smk.input.data, strict=True):
        colloc = Collocation.from_arrays(read_npz(path)[0])
        n = sum(colloc.sizes)
        for seed in p.seeds:
            for norm, eig in initial_gram(problem, colloc, p.width, seed, p.activation).items():
                npar = p.width * (colloc.x_int.shape[1] + 1)
                rows.append(gram_rows(problem, seed, eig["svd"], n, npar, p.ngd_lr, norm,
                                      eig["eigvalsh"]))
    write_csv(pd.concat(rows, ignore_index=True), smk.output[0])
