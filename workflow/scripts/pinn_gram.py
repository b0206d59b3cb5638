"""Snakemake wrapper: spectrum of the Gram matrix J J^T at initialization, per problem and seed."""

import pandas as pd
import torch

from wideopt.analysis.pinn_summary import gram_spectrum
from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.kernels.pinn_gram import gram_eigenvalues

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, rows = smk.params, []
    for problem, path in zip(p.problems, smk.input.data, strict=True):
        data = {k: torch.from_numpy(v) for k, v in read_npz(path)[0].items()}
        for seed in p.seeds:
            eig, n, npar = gram_eigenvalues(problem, data, p.width, seed, p.activation)
            rows.append(dict(problem=problem, seed=seed, n=n, p=npar,
                             **gram_spectrum(eig, n, p.ngd_lr)))
    write_csv(pd.DataFrame(rows), smk.output[0])
