"""Snakemake wrapper: gradient-flow training at one width, every alpha and seed in turn,
each run compared with the infinite-width kernel flow from its own initial function."""

import logging
import time

import numpy as np
import pandas as pd

from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.kernels.ntk_deep import SphereNTK
from wideopt.models.frozen_mlp import FrozenEndsMLP
from wideopt.training.flows.gradient_flow import train_gradient_flow
from wideopt.training.flows.kernel_flow import KernelFlow

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    tr, kf, width = smk.params.train, smk.params.kernel_flow, int(smk.wildcards.width)
    flow = points = None
    for data_path, out in zip(smk.input.data, smk.output, strict=True):
        data, _ = read_npz(data_path)
        runs = []
        for seed in smk.params.seeds:
            net = FrozenEndsMLP(data["x"].shape[1], width, tr["activation"],
                                smk.params.preact_var, seed=seed)
            if flow is None:  # Θ∞ depends on the points only: one table and Gram per job
                t0 = time.process_time()
                ntk = SphereNTK.tabulate(tr["activation"], smk.params.preact_var,
                                         len(net.hidden) + 1, kf["grid_points"],
                                         kf["quadrature_nodes"])
                flow = KernelFlow(ntk(data["x"], data["x"]), ntk(data["x_test"], data["x"]))
                points = data["x"], data["x_test"]
                logging.info("infinite-width NTK (%s) and its Grams: %.2f CPU-s",
                             tr["activation"], time.process_time() - t0)
            if not all(np.array_equal(a, data[k]) for a, k in zip(points, ("x", "x_test"),
                                                                   strict=True)):
                raise ValueError(f"{data_path}: points differ from the first alpha's")
            metrics = train_gradient_flow(net, data, tr["lr"], tr["steps"], tr["n_evals"], flow)
            runs.append(metrics.assign(seed=seed, n_params=net.n_trainable))
        write_csv(pd.concat(runs, ignore_index=True), out)
