"""Snakemake wrapper: n points uniform on S^{d-1} with +-1 labels (section D data)."""

import numpy as np

from wideopt.data.sphere import sample_sphere, sign_labels
from wideopt.io import write_npz
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    n, dim, seed = int(smk.wildcards.n), smk.params.dim, smk.params.seed
    rng = np.random.default_rng([seed, n])
    x = sample_sphere(n, dim, rng)
    y = sign_labels(n, rng)
    write_npz(smk.output[0], dict(n=n, dim=dim, seed=seed, generator="sphere+sign"), x=x, y=y)
