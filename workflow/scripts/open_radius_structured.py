"""Snakemake wrapper: rho*(m) of open_radius along the top eigenvector of the network Hessian
at initialization, both signs, every width and seed of the structured search
(wideopt.training.operators.structured)."""

import functools

import pandas as pd

from wideopt.io import write_csv
from wideopt.jobs import job
from wideopt.models.deeponet import build
from wideopt.training.operators.regression import TrainSettings
from wideopt.training.operators.structured import structured_radius
from wideopt.training.operators.variants import RadiusSearch

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    net = functools.partial(build, **p.model)
    settings = TrainSettings.from_config(p.train)
    search = RadiusSearch(**p.search)
    rows = [row for width in p.widths for seed in p.seeds
            for row in structured_radius(net, smk.input.data, p.problem, width, seed, settings,
                                         search, p.hessian)]
    write_csv(pd.DataFrame(rows), smk.output[0])
