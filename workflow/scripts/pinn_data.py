"""Snakemake wrapper: collocation + test points of PINN collocation sets (results/data/pinn_*.npz):
``params.problems`` name -> sizes, ``params.pde`` name -> its wideopt.pde problem."""

from wideopt.data.pinn_problems import make_collocation
from wideopt.io import write_npz
from wideopt.jobs import job
from wideopt.pde import get_problem

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    for (name, sizes), path in zip(p.problems.items(), smk.output, strict=True):
        problem = get_problem(p.pde[name])
        colloc = make_collocation(problem, sizes["n_interior"], sizes["n_boundary"],
                                  p.n_test, p.seed)
        n1, n2 = colloc.sizes
        meta = dict(problem=problem.name, dataset=name, n_interior=sizes["n_interior"],
                    n_boundary=sizes["n_boundary"], n_test=p.n_test, seed=p.seed, n1=n1, n2=n2)
        write_npz(path, meta, **colloc.arrays())
