"""Snakemake wrapper: one section E operator variant ({variant}: relu = every activation
ReLU, frozen = FNO encoder frozen) of one {arch} on one {problem}, every width and seed
(wideopt.training.operators.variants)."""

import functools
import importlib

import pandas as pd

from wideopt.io import write_csv
from wideopt.jobs import job
from wideopt.training.operators.regression import TrainSettings
from wideopt.training.operators.variants import train_variant

VARIANTS = {"relu": {"activation": "relu"}, "frozen": {"frozen": True}}

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    w = smk.wildcards
    build = functools.partial(importlib.import_module(f"wideopt.models.{w.arch}").build,
                              **smk.params.model)
    settings = TrainSettings.from_config(smk.params.train)
    curves, rows = [], []
    for width in smk.params.widths:
        for seed in smk.params.seeds:
            metrics, summary = train_variant(build, smk.input.data, w.problem, width, seed,
                                             settings, **VARIANTS[w.variant])
            curves.append(metrics.assign(arch=w.arch, variant=w.variant, problem=w.problem,
                                         width=width, seed=seed))
            rows.append(dict(arch=w.arch, variant=w.variant, **summary))
    write_csv(pd.DataFrame(rows), smk.output.summary)
    write_csv(pd.concat(curves, ignore_index=True), smk.output.curves)
