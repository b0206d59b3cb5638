"""Snakemake wrapper: full-batch GD of one {arch} on each of its problems (one after another),
every width and seed, with each problem's common step (wideopt.training.operators.gd); the
model registry as operators_train."""

import functools
import importlib

import pandas as pd

from wideopt.io import write_csv
from wideopt.jobs import job
from wideopt.training.operators.gd import GDSettings, train_gd

ARCHS = {a: f"wideopt.models.{a}" for a in ("deeponet", "fno")}

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    w = smk.wildcards
    factory = functools.partial(importlib.import_module(ARCHS[w.arch]).build, **smk.params.model)
    settings = GDSettings.from_config(smk.params.gd, smk.params.hessian, smk.params.subsample)
    runs = [train_gd(factory, w.arch, data, problem, smk.params.seeds, settings)
            for problem, data in zip(smk.params.problems, smk.input.data, strict=True)]
    write_csv(pd.concat([c for c, _ in runs], ignore_index=True), smk.output.curves)
    write_csv(pd.concat([s for _, s in runs], ignore_index=True), smk.output.summary)
