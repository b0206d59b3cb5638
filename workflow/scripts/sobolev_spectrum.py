"""Snakemake wrapper: n points on S^{d-1} and the NTK Gram spectra of every activation."""

import numpy as np
import pandas as pd

from wideopt.data.sphere import sample_sphere
from wideopt.io import write_csv, write_npz
from wideopt.jobs import job
from wideopt.kernels.ntk_deep import spectra

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    dim, p = int(smk.wildcards.d), smk.params
    x = sample_sphere(p.n_points, dim, np.random.default_rng([p.seed, dim, p.n_points]))
    write_npz(smk.output.points, dict(dim=dim, n=p.n_points, seed=p.seed), x=x)
    df = pd.concat([spectra(x, act, p.width, p.seeds, p.preact_var) for act in p.activations],
                   ignore_index=True)
    write_csv(df.assign(d=dim), smk.output.spectra)
