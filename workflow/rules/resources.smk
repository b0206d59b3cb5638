# Resources of the compute jobs: what a job asks a scheduler for (local or SLURM), never what
# it computes, so editing this file reruns nothing. Included right after common.smk, before the
# family files, which use the helpers below. No rules here (the linter wants helpers apart).
# Each family's estimators (mem_mb, runtime) live in its plan module, wideopt.plan.<family>,
# which no job imports: retuning an estimate reruns nothing either.
#
# Retries. Every compute job's memory and runtime are declared through `retry_scaled`, e.g.
#
#     resources:
#         mem_mb=retry_scaled(estimate(ops_plan.mem_mb)),   # a function of the wildcards...
#         runtime=retry_scaled(5),                # ...or a plain number (minutes)
#
# Attempt k (a re-submission after a crash, an out-of-memory kill or a timeout; the SLURM
# profile sets `retries: 2`) gets RETRY_GROWTH**(k-1) times the base value; attempt 1, i.e.
# every first try and every local run, gets exactly the base value. This is Snakemake's public
# resource-callable interface (a callable of wildcards, input, threads, attempt); an explicit
# `--set-resources NAME:mem_mb=N` still replaces the whole callable.
#
# GPU convention (the one place it is written down; README.md links here). Where a job can use
# a GPU, `gpu=1` is declared among its resources; today in the Lightning training of
# `operators_train`, `pinn_train`, `sobolev_train` and `open_operators`, and the PINN
# convergence-rate runs (NGD on dense Jacobians). Training uses accelerator="auto" (or
# $WIDEOPT_ACCELERATOR, see wideopt.training.progress.accelerator), so the same job runs on the
# CPU where no CUDA device is visible. Section D's training (`ntk_train`, plain torch), section
# E's small full-batch runs and every job at initialization (kernels, Gram spectra, classical
# baselines) stay on the CPU: no `gpu` request. Snakemake treats `gpu` as a countable resource:
#   - locally, `snakemake --cores 16 --resources gpu=2 figures` runs at most 2 GPU jobs at
#     once; without `--resources gpu=N` it is not limited (right for CPU-only machines);
#   - on SLURM, the executor plugin turns `gpu=1` into `sbatch --gpus=1`; the profile
#     (workflow/profiles/slurm/profile.yaml, set-resources) sends those rules to the GPU
#     partition with CPUs per GPU.
# A CPU-only cluster or run drops the request with `--set-resources RULE:gpu=0` (or `gpu: 0` in
# the profile's set-resources): an explicit setting always wins over the rule's.
import inspect

RETRY_GROWTH = 1.5


def retry_scaled(base):
    """A resource callable: ``base`` times ``RETRY_GROWTH**(attempt - 1)``.

    ``base`` is a number, or a function of the job's wildcards (it may also take ``input``
    and/or ``threads`` by those names, as Snakemake's own resource functions may). Attempt 1
    returns the base value unchanged; later attempts return the scaled value rounded down to
    an int (MB and minutes are whole numbers for the scheduler).
    """
    extra = ()
    if callable(base):
        extra = tuple(p for p in ("input", "threads") if p in inspect.signature(base).parameters)

    def scaled(wildcards, input, threads, attempt):
        if callable(base):
            given = {"input": input, "threads": threads}
            value = base(wildcards, **{name: given[name] for name in extra})
        else:
            value = base
        if attempt <= 1 or not isinstance(value, int | float):
            return value
        return int(value * RETRY_GROWTH ** (attempt - 1))

    return scaled


def estimate(fn):
    """A plan module's estimator ``fn(config, **wildcards)`` (wideopt.plan.<family>) as a
    function of a job's wildcards, for ``retry_scaled``: it gets the configuration and those of
    the job's wildcards that it names, e.g. ``retry_scaled(estimate(ops_plan.runtime))``."""
    names = list(inspect.signature(fn).parameters)[1:]

    def of_wildcards(wildcards):
        return fn(config, **{n: wildcards[n] for n in names if n in wildcards.keys()})

    return of_wildcards
