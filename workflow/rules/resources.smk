# Resources of the compute jobs: what a job asks a scheduler for (local or SLURM), never what
# it computes, so editing this file reruns nothing. Included right after common.smk, before the
# family files, which use the helpers below. No rules here (the linter wants helpers apart).
#
# Retries. Every compute job's memory and runtime are declared through `retry_scaled`, e.g.
#
#     resources:
#         mem_mb=retry_scaled(ops_mem_mb),        # a function of the job's wildcards...
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


# --- resource estimators (moved here from the family files by the lead) ---------------------
# Functions computing mem_mb / runtime from the configuration and a job's wildcards, one block
# per family, each with the measurement it was fitted to.


# Section D (ntk)
def ntk_init_mem_mb(wildcards):
    """Widest (S, n, m) preactivations and psi' (~4 float64 copies per seed) + 1000 MB."""
    ntk = config["ntk"]
    return 1000 + max(ntk["widths"]) * max(ntk["n_points"]) * 3 * 8 * 4 // 2**20


def ntk_train_mem_mb(wildcards):
    """Widest (S, n, m) preactivations, psi, psi' and gradients, float64, + 500 MB."""
    tr = config["ntk"]["train"]
    return 500 + max(tr["widths"]) * tr["n_points"] * 3 * 8 * 8 // 2**20


def ntk_train_runtime(wildcards):
    """Minutes: ~1 per 1e5 (width x step) summed over the widths, + 2."""
    tr = config["ntk"]["train"]
    return 2 + sum(tr["widths"]) * tr["steps"] // 100_000


# Section B (sobolev)
def sob_spectrum_mem_mb(wildcards):
    """A few n x n Gram copies + n x m activations and gradients, float64, + 800 MB."""
    n, m = config["sobolev"]["spectrum"]["n_points"], config["sobolev"]["spectrum"]["width"]
    return 800 + (6 * n**2 + 8 * n * m) * 8 // 2**20


def sob_spectrum_runtime(wildcards):
    """Minutes: ~1 per (activation x seed) at m = 512, linear in m, + 2."""
    sp = config["sobolev"]["spectrum"]
    return 2 + len(sp["activations"]) * len(config["seeds"]) * sp["width"] // 512


def sob_train_mem_mb(wildcards):
    """8 (n_test x m) float64 activations + the kernel flow's Theta(X_test, X) (n_test x n) +
    1000 MB."""
    sob = config["sobolev"]
    return 1000 + 8 * sob["n_test"] * (8 * int(wildcards.width) + sob["train"]["n_train"]) // 2**20


def sob_train_runtime(wildcards):
    """~12 n m^2 flop per GD step at ~5 GFLOP/s on one shared core, x alphas x seeds, + 2."""
    tr = config["sobolev"]["train"]
    flop = 12 * tr["n_train"] * int(wildcards.width) ** 2 * tr["steps"]
    return 2 + len(config["sobolev"]["alphas"]) * len(config["seeds"]) * flop // (5e9 * 60)


# Section A (operators)
def ops_grid_points(problem, arch):
    """Grid points per function seen by `arch` (the data grid, subsampled)."""
    ops = config["operators"]
    return ops["data"][problem]["n_points"] // ops[arch]["train"]["subsample"]


def ops_width_runtime(arch, problem, m):
    """Minutes for one width from measured per-epoch CPU costs on one thread (x2 margin):
    FNO ~4.3e-9 s per (function x grid point x width^2) at batch 20, DeepONet ~2e-9 s per
    (function x width^2) + 2 ms per step; plus start-up and the two Lanczos Hessians at
    initialization: ~8 ncv Hessian-vector products in all (measured 36 FNO, 60 DeepONet at
    ncv = 8), each ~3 gradients on the hessian_batch functions, in epochs ~ 24 ncv b / n."""
    tr = config["operators"][arch]["train"]
    n = config["operators"]["data"]["n_train"]
    if arch == "fno":
        epoch = 4.3e-9 * n * ops_grid_points(problem, arch) * m * m
    else:
        epoch = 2e-9 * n * m * m + 2e-3 * n / tr["batch_size"]
    seeds = len(config["seeds"])
    hessians = 24 * tr["hessian_ncv"] * tr["hessian_batch"] / n
    return 2 + int(2 * seeds * (tr["epochs"] + hessians) * (epoch + 0.1) / 60)


def ops_runtime(wildcards):
    """Minutes per training job: the sum over the widths it trains."""
    return sum(ops_width_runtime(wildcards.arch, wildcards.problem, m)
               for m in ops_widths(wildcards.widths))


def ops_mem_mb(wildcards):
    """800 MB + the larger of two phases at the job's largest width, in bytes per FNO
    parameter: training, ~16 float32 copies (weights, gradient, Adam moments, activations),
    measured max RSS 2.36 GB at m = 500; the Lanczos Hessians at initialization, ARPACK's
    ncv + 4 float64 vectors plus ~72 B of HVP buffers and temporaries, measured max RSS
    5.6 GB at m = 500, ncv = 8 (benchmarks/hessian_init.py; estimate 6.1 GB)."""
    m, f = max(ops_widths(wildcards.widths)), config["operators"]["fno"]["model"]
    params = f["n_layers"] * (2 * f["modes"] + 1) * m * m
    ncv = max(config["operators"][a]["train"]["hessian_ncv"] for a in ("deeponet", "fno"))
    return 800 + max(16 * 4, 8 * (ncv + 4) + 72) * params // 2**20


# Section C (pinn)
def pinn_points(dataset):
    """Collocation points n = n1 + n2 and input dimension d of a collocation set."""
    s = pinn_dataset(dataset)
    return pinn_count(s["config"], s["n_interior"], s["n_boundary"]), pinn_dim(s["config"])


def pinn_run_seconds(problem, optimizer, width, steps):
    """Seconds of one seed, from measured costs on 1 thread: ~100 ns per (point x neuron) per
    gradient step (x2 for L-BFGS line searches) + ~2 ms per step; NGD adds the Gram matrix
    (2 n^2 p flops at ~3 GF/s) and the Jacobian (~70 ns per entry): measured, poisson2d
    m = 2560 (n = 192, p = 7680): Jacobian ~90 ms, Gram ~60 ms, Cholesky + solve ~2 ms."""
    n, dim = pinn_points(problem)
    per = 1e-7 * n * width * (2 if optimizer == "LBFGS" else 1) + 2e-3
    if optimizer == "NGD":
        per += 2 * n * n * width * (dim + 1) / 3e9 + 7e-8 * n * width * (dim + 1)
    return steps * per


def pinn_mem_mb(problem, width, copies=40):
    """MB for a run at ``width``: ~``copies`` float64 copies of the (n, m, d+1) Jacobian + 1 GB
    (training keeps ~40 alive; the convergence runs ~4)."""
    n, dim = pinn_points(problem)
    return 1000 + copies * n * width * (dim + 1) * 8 // 2**20


def pinn_train_runtime(w):
    """Minutes for one sweep job: every variant and seed, x3 margin."""
    s = pinn_sweep(w.problem, w.sweep)
    sec = sum(pinn_run_seconds(w.problem, s["base"]["optimizer"],
                               v.get("width", s["base"].get("width")), s["base"]["steps"])
              for v in s["variants"])
    return 2 + int(3 * len(config["seeds"]) * sec / 60)


def pinn_train_mem(w):
    s = pinn_sweep(w.problem, w.sweep)
    return pinn_mem_mb(w.problem, max(v.get("width", s["base"].get("width", 0))
                                      for v in s["variants"]))


def pinn_explain_runtime(w):
    """Minutes for one explanation table's job: every sweep, variant and seed, x3 margin."""
    sec = sum(pinn_run_seconds(s["dataset"], s["base"]["optimizer"], v["width"],
                               s["base"]["steps"])
              for s in pinn_explain_sweeps(w.table) for v in s["variants"])
    return 2 + int(3 * len(config["seeds"]) * sec / 60)


def pinn_explain_mem(w):
    return max([pinn_mem_mb(s["dataset"], v["width"]) for s in pinn_explain_sweeps(w.table)
                for v in s["variants"]], default=1000)


def pinn_convergence_mem(w):
    c = config["pinn"]["convergence"]
    return max(pinn_mem_mb(p, c["width"], copies=4) for p in c["problems"])


def pinn_convergence_runtime(w):
    c = config["pinn"]["convergence"]
    return 2 + int(sum(pinn_run_seconds(p, "NGD", c["width"], c["steps"] + c["probe_steps"])
                       * 3 / 60 for p in c["problems"]))


# Section E (open)
def open_radius_runtime(wildcards):
    """Minutes: (bisection steps + 3) DeepONet runs per (width, seed) at the DON per-epoch cost
    of ops_width_runtime (x2 margin), + 2. Conservative: the paper job measured 512 CPU-s
    (~0.15 CPU-s per epoch at m = 500, not 0.5)."""
    r, n = config["open"]["radius"], config["operators"]["data"]["n_train"]
    runs = r["steps"] + 3
    epoch = sum(2e-9 * n * m * m + 2e-3 * n / r["train"]["batch_size"] for m in r["widths"])
    return 2 + int(2 * len(config["seeds"]) * runs * (r["train"]["epochs"] * epoch + 2) / 60)


def open_depth_runtime(wildcards):
    """Minutes: ~6 flop per (point x m^2) per trained layer per GD step, forward + backward,
    at ~10 GFLOP/s (measured: the paper job, 2.5 TFLOP, 121 CPU-s), x2 margin, + 2."""
    c = config["open"]["depth_distance"]
    flop = sum(6 * c["n_train"] * m * m * L for m in c["widths"] for L in c["depths"])
    steps = c["base_steps"] * max(c["multiples"])
    return 2 + int(2 * len(config["seeds"]) * flop * steps / 1e10 / 60)


def open_ngd_depth_runtime(wildcards):
    """Minutes: ~10 ms per Adam/L-BFGS gradient (torch.func vjp through the x-Hessian) and
    ~50 ms per NGD step (per-point jacrev + Gram) on poisson2d at m = 32 (measured: the paper
    job, both problems, 286 CPU-s); x3 margin, + 2."""
    c = config["open"]["ngd_depth"]
    sec = len(c["problems"]) * (0.01 * (c["adam_steps"] + 2 * c["lbfgs_iterations"])
                                + 0.05 * c["ngd_steps"] * len(c["ngd_lrs"]))
    return 2 + int(3 * len(config["seeds"]) * sec / 60)


def open_ngd_dimension_runtime(wildcards):
    """Minutes: pinn_run_seconds' NGD cost model (Gram 2 n^2 p, Jacobian 70 ns per entry) for
    every d and width, x3 margin, + 2."""
    c = config["open"]["ngd_dimension"]
    n = c["n_interior"] + c["n_boundary"]
    sec = sum(c["steps"] * (2 * n * n * m * (d + 1) / 3e9 + 7e-8 * n * m * (d + 1) + 2e-3)
              for m in c["widths"] for d in c["dims"])
    return 2 + int(3 * len(config["seeds"]) * sec / 60)


def open_operators_mem_mb(wildcards):
    """ops_mem_mb's FNO estimate at the variant's widest FNO; DeepONet 2000 MB."""
    if wildcards.arch != "fno":
        return 2000
    m, f = max(open_operator_widths(wildcards.variant, "fno")), config["operators"]["fno"]["model"]
    return 800 + 16 * 4 * f["n_layers"] * (2 * f["modes"] + 1) * m * m // 2**20
