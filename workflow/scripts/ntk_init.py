"""Snakemake wrapper: ||H(0) - H*||_2 over widths and seeds for one activation."""

import pandas as pd
import torch

from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.kernels.concentration import init_concentration

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    frames = []
    for path in smk.input.data:
        arrays, meta = read_npz(path)
        x = torch.from_numpy(arrays["x"])
        df = init_concentration(x, smk.wildcards.act, smk.params.widths, smk.params.seeds,
                                smk.params.nodes)
        frames.append(df.assign(activation=smk.wildcards.act, n=meta["n"]))
    write_csv(pd.concat(frames, ignore_index=True), smk.output[0])
