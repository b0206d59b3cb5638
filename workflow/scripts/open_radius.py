"""Snakemake wrapper: rho*(m) of open_radius at every width and seed: bisection in log rho
of the largest start perturbation ||delta|| = rho whose final training loss stays within
`tolerance` x the unperturbed run's (wideopt.training.operators.variants.critical_radius)."""

import functools

import pandas as pd

from wideopt.io import write_csv
from wideopt.jobs import job
from wideopt.models.deeponet import build
from wideopt.training.operators.regression import TrainSettings
from wideopt.training.operators.variants import RadiusSearch, critical_radius, train_variant

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p = smk.params
    net = functools.partial(build, **p.model)
    settings = TrainSettings.from_config(p.train)
    search = RadiusSearch(**p.search)
    rows, trace = [], []
    for width in p.widths:
        for seed in p.seeds:
            def final_loss(rho, width=width, seed=seed):
                _, s = train_variant(net, smk.input.data, p.problem, width, seed, settings,
                                     rho=rho)
                return s["final_train_loss"]

            res = critical_radius(final_loss, search)
            trace += [dict(width=width, seed=seed, rho=r, final_loss=loss, ok=ok)
                      for r, loss, ok in res.pop("trace")]
            rows.append(dict(width=width, seed=seed, **res))
    write_csv(pd.DataFrame(rows), smk.output.radius)
    write_csv(pd.DataFrame(trace), smk.output.trace)
