"""Snakemake wrapper: spherical-harmonic baseline (projection + discrete LS) for every alpha."""

import pandas as pd

from wideopt.classical import least_squares_curve, projection_curve
from wideopt.io import read_npz, write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    dim = int(smk.wildcards.d)
    parts = []
    for alpha, path in zip(p.alphas, smk.input.data, strict=True):
        data, _ = read_npz(path)
        proj = projection_curve(alpha, dim, p.ell_max, p.max_degree)
        parts.append(proj.assign(alpha=alpha, method="projection"))
        ls = least_squares_curve(data, int(p.ls_fraction * len(data["x"])))
        parts.append(ls.assign(alpha=alpha, method="least_squares"))
    write_csv(pd.concat(parts, ignore_index=True), smk.output[0])
