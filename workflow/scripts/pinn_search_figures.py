"""Snakemake wrapper: section C's search tables figures/{pinn_ngd_solver, pinn_gram_normalization,
pinn_lbfgs_budget}.{csv,md,png} from their tidy tables (wideopt.plots.pinn_search)."""

from pathlib import Path

from wideopt.io import read_csv
from wideopt.jobs import job
from wideopt.plots import pinn_search as plots

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    i, p = smk.input, smk.params
    figs = Path(smk.output[0]).parent
    plots.solver_table(read_csv(i.solver), figs, p.scale)
    plots.gram_normalization_table(read_csv(i.gram_normalization), figs, p.scale)
    plots.lbfgs_table(read_csv(i.lbfgs_budget), read_csv(i.optimizers), p.lbfgs_lr, figs,
                      p.scale)
