"""Snakemake wrapper: generate results/data/{problem}.npz with wideopt.data.{problem}.

Registry: each problem's generator is the module ``wideopt.data.<problem>``, imported by name
here (so the rule declares only that module as the job's code input), with
``generate(n_train, n_test, seed=..., **options) -> (arrays, meta)``.
"""

import importlib
import logging
import time

from wideopt.io import write_npz
from wideopt.jobs import job

GENERATORS = {p: f"wideopt.data.{p}" for p in ("antiderivative", "diffusion_reaction", "burgers")}

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    generate = importlib.import_module(GENERATORS[smk.wildcards.problem]).generate
    t0 = time.perf_counter()
    arrays, meta = generate(p.n_train, p.n_test, seed=p.seed, **p.options)
    logging.info("generated %s in %.1f s", {k: v.shape for k, v in arrays.items()},
                 time.perf_counter() - t0)
    write_npz(smk.output[0], meta, **arrays)
