"""Snakemake wrapper: train one {arch} on one {problem} at each width of ``params.widths`` (one
width, or the group "10-30-100" the {widths} wildcard names, from config
operators.width_groups), every seed, one after another. The run files carry arch, problem and
width as columns.

Registry: each architecture is the module ``wideopt.models.<arch>``, imported by name here (so
the rule declares only that module as the job's code input), with
``build(n_sensors, width, **model) -> nn.Module``. Training: wideopt.training.
"""

import functools
import importlib
from pathlib import Path

import pandas as pd

from wideopt.io import write_csv
from wideopt.jobs import job
from wideopt.training.operators.regression import TrainSettings, train_seeds
from wideopt.training.operators.resume import remove_checkpoints

ARCHS = {a: f"wideopt.models.{a}" for a in ("deeponet", "fno")}

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    w = smk.wildcards
    build = importlib.import_module(ARCHS[w.arch]).build
    factory = functools.partial(build, **smk.params.model)
    settings = TrainSettings.from_config(smk.params.train)
    runs = Path(smk.output.metrics).parent
    metrics, summaries, ckpt_roots = [], [], []
    for width in smk.params.widths:
        ckpt_roots.append(runs / "checkpoints" / f"w{width}")
        m, s = train_seeds(factory, w.arch, smk.input.data, w.problem, width, smk.params.seeds,
                           settings, ckpt_roots[-1])
        metrics.append(m.assign(arch=w.arch, problem=w.problem, width=width))
        summaries.append(s)
    write_csv(pd.concat(metrics, ignore_index=True), smk.output.metrics)
    write_csv(pd.concat(summaries, ignore_index=True), smk.output.summary)
    for root in ckpt_roots:
        remove_checkpoints(root)
