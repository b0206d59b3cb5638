"""Snakemake wrapper: collocation + test points of every PINN problem (results/data/pinn_*.npz)."""

from wideopt.data.pinn_problems import get_problem, make_data
from wideopt.io import write_npz
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    for (name, sizes), path in zip(p.problems.items(), smk.output, strict=True):
        arrays = make_data(get_problem(name), sizes["n_interior"], sizes["n_boundary"],
                           p.n_test, p.seed)
        meta = dict(problem=name, n_interior=sizes["n_interior"],
                    n_boundary=sizes["n_boundary"], n_test=p.n_test, seed=p.seed,
                    n1=len(arrays["x_int"]), n2=len(arrays["x_bd"]))
        write_npz(path, meta, **arrays)
