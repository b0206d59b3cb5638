"""Snakemake wrapper: train one DeepONet (problem, width) for every seed; see wideopt.training."""

from pathlib import Path

from wideopt.io import write_csv
from wideopt.jobs import job
from wideopt.models.deeponet import DeepONet
from wideopt.training.operator_regression import TrainSettings, train_seeds
from wideopt.training.resume import remove_checkpoints

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    w = smk.wildcards
    model = dict(smk.params.model)

    def factory(n_sensors, width):
        return DeepONet(n_sensors, width, **model)

    settings = TrainSettings.from_config(smk.params.train)
    ckpt_root = Path(smk.output.metrics).parent / "checkpoints" / f"w{w.width}"
    metrics, summaries = train_seeds(factory, "deeponet", smk.input.data, w.problem,
                                     int(w.width), smk.params.seeds, settings, ckpt_root)
    write_csv(metrics, smk.output.metrics)
    write_csv(summaries, smk.output.summary)
    remove_checkpoints(ckpt_root)
