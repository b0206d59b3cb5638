"""Snakemake wrapper: one PINN sweep of one problem (a base configuration under each variant,
every seed) through Lightning; tidy ``<override columns>, optimizer, seed, step, metric, value``
(wideopt.training.pinn.sweep)."""

from wideopt.data.pinn_problems import Collocation
from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.training.pinn import sweep

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    colloc = Collocation.from_arrays(read_npz(smk.input.data)[0])
    base = dict(p.base, problem=smk.wildcards.problem)
    write_csv(sweep(base, [dict(v) for v in p.variants], list(p.seeds), colloc), smk.output[0])
