# Scheduling policy shared by every family, applied after all rules are defined (so this file
# is included last): GPU requests and retry scaling. Only resources change here, never what a
# job computes, so nothing reruns because of this file.
#
# GPU convention: a job that can use a GPU asks for `gpu=1` (the Lightning training jobs, with
# accelerator="auto": on a machine without CUDA they run on the CPU). Snakemake treats `gpu`
# as a countable resource, so
#   - locally, `snakemake --cores 16 --resources gpu=2 figures` runs at most 2 GPU jobs at once
#     (without `--resources gpu=N` the resource is unconstrained, right for CPU-only machines);
#   - on SLURM, the executor plugin turns `gpu=1` into `sbatch --gpus=1` (the profile sends
#     those jobs to the GPU partition with CPUs per GPU).
# A CPU-only cluster or run drops the request with `--set-resources RULE:gpu=0` (or in the
# profile's set-resources): an explicit setting always wins over this file.
#
# Retries: on attempt k (after a crash, an out-of-memory kill or a timeout; the profile sets
# `retries`), every cluster job's mem_mb and runtime are RETRY_GROWTH**(k-1) times what its
# rule asks for. Attempt 1 (every local run) is unchanged.

GPU_RULES = [
    # Lightning training of neural operators: dense GEMMs/FFTs at widths up to 500.
    "operators_train_deeponet",
    "operators_train_fno",
    # PINN training (Adam / L-BFGS / natural gradient on Jacobians of size n x p).
    "pinn_train",
    "pinn_convergence_run",
]
RETRY_GROWTH = 1.5


def _retry_scaled(resource):
    """A resource evaluator returning `resource`'s value times RETRY_GROWTH**(attempt-1)."""

    def scaled(wildcards, input, threads, attempt):
        base = resource.evaluate(wildcards, input=input, threads=threads, attempt=attempt).value
        if not isinstance(base, int | float) or attempt <= 1:
            return base
        return int(base * RETRY_GROWTH ** (attempt - 1))

    return scaled


def _apply_cluster_policy():
    explicit = getattr(workflow.resource_settings, "_parsed_overwrite_resources", {}) or {}
    local = getattr(workflow, "_localrules", set())
    for r in workflow.rules:
        if r.name in local or r.norun:
            continue
        if r.name in GPU_RULES and "gpu" not in r.resources and "gpu" not in explicit.get(
            r.name, {}
        ):
            r.resources["gpu"] = 1
        for name in ("mem_mb", "runtime"):
            if name in r.resources and r.resources[name] is not None:
                r.resources[name] = _retry_scaled(r.resources[name])


_apply_cluster_policy()
