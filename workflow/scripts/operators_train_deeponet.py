"""Snakemake wrapper: train one DeepONet (problem, width) for every seed; see wideopt.training."""

import pandas as pd

from wideopt.io import write_csv
from wideopt.jobs import job
from wideopt.models.deeponet import DeepONet
from wideopt.training.operator_regression import TrainSettings, train_operator

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    w = smk.wildcards
    model = dict(smk.params.model)

    def factory(n_sensors, width):
        return DeepONet(n_sensors, width, **model)

    settings = TrainSettings.from_config(smk.params.train)
    metrics, summaries = [], []
    for seed in smk.params.seeds:
        m, summary = train_operator(factory, smk.input.data, w.problem, int(w.width), seed,
                                    settings)
        metrics.append(m.assign(seed=seed))
        summaries.append(dict(arch="deeponet", **summary))
    write_csv(pd.concat(metrics, ignore_index=True), smk.output.metrics)
    write_csv(pd.DataFrame(summaries), smk.output.summary)
