"""Snakemake wrapper: small-step GD of the two-layer net for every width of one
(scheme, activation); all seeds of a width train together in one batched tensor."""

import logging

import pandas as pd
import torch

from wideopt.io import read_npz, write_csv
from wideopt.jobs import job
from wideopt.models.two_layer import TwoLayerNet
from wideopt.training.flows.kernel_regime import train_gd

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    arrays, _ = read_npz(smk.input.data)
    x, y = torch.from_numpy(arrays["x"]), torch.from_numpy(arrays["y"])
    w, tr, seeds = smk.wildcards, smk.params.train, smk.params.seeds
    frames = []
    for width in smk.params.widths:
        logging.info("width %d", width)
        net = TwoLayerNet.init(width, x.shape[1], seeds, w.act, w.scheme)
        metrics = train_gd(net, x, y, tr["lr"], tr["steps"], tr["log_every"], seeds)
        frames.append(metrics.assign(width=width))
    write_csv(pd.concat(frames, ignore_index=True), smk.output[0])
