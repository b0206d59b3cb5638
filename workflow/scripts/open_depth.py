"""Snakemake wrapper: open_depth_distance at every depth (trained hidden layers), width and
seed: per-layer h = max_t ||W(t) - W(0)||_2 / ||W(0)||_2 up to 1x, 4x, 16x the base time
(wideopt.training.flows.depth_flow)."""

import pandas as pd

from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.training.flows.depth_flow import layer_distances, train_depth

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    arrays, _ = read_npz(smk.input.data)
    data = dict(x=arrays["x"][:p.n_train], y=arrays["y"][:p.n_train],
                x_test=arrays["x_test"][:p.n_test], y_test=arrays["y_test"][:p.n_test])
    rows = []
    for depth in p.depths:
        for width in p.widths:
            for seed in p.seeds:
                metrics = train_depth(data, depth, width, seed, p.activation, p.preact_var,
                                      p.lr, p.base_steps, p.multiples, p.n_evals)
                rows.append(layer_distances(metrics, p.base_steps, p.multiples)
                            .assign(depth=depth, width=width, seed=seed))
    write_csv(pd.concat(rows, ignore_index=True)[
        ["depth", "width", "seed", "layer", "multiple", "h", "diverged"]], smk.output[0])
