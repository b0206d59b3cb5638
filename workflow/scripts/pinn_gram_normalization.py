"""Snakemake wrapper: the table pinn_gram_normalization (wideopt.analysis.pinn_source): the
poisson1d Gram J J^T at initialization under both normalizations, for every collocation count n
and width m of the config (every seed up to n = all_seeds_max_n, the first seed beyond);
tidy results/pinn/pinn_gram_normalization.csv (drawn by pinn_search_figures)."""

import pandas as pd

from wideopt.analysis.pinn_source import normalization_quantities
from wideopt.data.pinn_problems import make_collocation
from wideopt.io import write_csv
from wideopt.jobs import job
from wideopt.pde import get_problem
from wideopt.training.pinn.gram import (
    NORMALIZATIONS,
    initial_jacobian,
    row_scales,
    svd_gram_eigenvalues,
)

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    rows = []
    for n in p.ns:
        colloc = make_collocation(get_problem("poisson1d"), n - 2, 2, n_test=10,
                                  seed=p.data_seed)
        n1, n2 = colloc.sizes
        for m in p.widths:
            for seed in (p.seeds if n <= p.all_seeds_max_n else p.seeds[:1]):
                jac = initial_jacobian("poisson1d", colloc, m, seed, p.activation)
                for norm in NORMALIZATIONS:
                    eig = svd_gram_eigenvalues(jac * row_scales(n1, n2, norm)[:, None])
                    q = normalization_quantities(eig, n1 + n2, jac.shape[1])
                    rows += [dict(normalization=norm, n=n1 + n2, width=m, seed=seed,
                                  quantity=k, value=v) for k, v in q.items()]
    tidy = pd.DataFrame(rows)
    write_csv(tidy, smk.output.tidy)
