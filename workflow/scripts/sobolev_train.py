"""Snakemake wrapper: gradient-flow training at one width, every alpha and seed in turn."""

import pandas as pd

from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.models.frozen_mlp import FrozenEndsMLP
from wideopt.training.gradient_flow import train_gradient_flow

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    tr, width = smk.params.train, int(smk.wildcards.width)
    for data_path, out in zip(smk.input.data, smk.output, strict=True):
        data, _ = read_npz(data_path)
        runs = []
        for seed in smk.params.seeds:
            net = FrozenEndsMLP(data["x"].shape[1], width, tr["activation"],
                                smk.params.preact_var, seed=seed)
            metrics = train_gradient_flow(net, data, tr["lr"], tr["steps"], tr["n_evals"])
            runs.append(metrics.assign(seed=seed, n_params=net.n_trainable))
        write_csv(pd.concat(runs, ignore_index=True), out)
