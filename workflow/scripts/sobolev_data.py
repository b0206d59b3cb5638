"""Snakemake wrapper: training/test samples of f_alpha on S^{d-1}, one file per alpha."""

from wideopt.data.sobolev import make_problem
from wideopt.io import write_npz
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    dim, p = int(smk.wildcards.d), smk.params
    for alpha, path in zip(p.alphas, smk.output, strict=True):
        arrays = make_problem(dim, float(alpha), p.n_train, p.n_test, p.seed, p.ell_max)
        meta = dict(dim=dim, alpha=alpha, n=p.n_train, n_test=p.n_test, seed=p.seed,
                    ell_max=p.ell_max, pole="e_d", generator="sobolev zonal series")
        write_npz(path, meta, **arrays)
