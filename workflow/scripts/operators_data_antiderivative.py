"""Snakemake wrapper: generate results/data/antiderivative.npz (see wideopt.data.antiderivative)."""

import logging
import time

from wideopt.data import antiderivative
from wideopt.io import write_npz
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    t0 = time.perf_counter()
    arrays, meta = antiderivative.generate(p.n_train, p.n_test, seed=p.seed, **p.options)
    logging.info("generated %s in %.1f s", {k: v.shape for k, v in arrays.items()},
                 time.perf_counter() - t0)
    write_npz(smk.output[0], meta, **arrays)
