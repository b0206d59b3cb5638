"""Snakemake wrapper: collocation + test points of every PINN problem (results/data/pinn_*.npz)."""

from wideopt.data.pinn_problems import make_collocation
from wideopt.io import write_npz
from wideopt.jobs import job
from wideopt.pde import get_problem

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    for (name, sizes), path in zip(p.problems.items(), smk.output, strict=True):
        colloc = make_collocation(get_problem(name), sizes["n_interior"], sizes["n_boundary"],
                                  p.n_test, p.seed)
        n1, n2 = colloc.sizes
        meta = dict(problem=name, n_interior=sizes["n_interior"],
                    n_boundary=sizes["n_boundary"], n_test=p.n_test, seed=p.seed, n1=n1, n2=n2)
        write_npz(path, meta, **colloc.arrays())
