# Section A: neural operators benefit from width (seed 000).
# data (GRF inputs + PDE/ODE solutions per problem) -> one training job per
# (architecture, problem, width), its seeds trained one after another -> aggregated curves
# and summaries -> two figures, one table and claims A1-A4.
#
# One job per (architecture, problem, width), not per seed: a job's start-up (torch +
# Lightning import, ~4-6 s here) is paid 30 times instead of 90, which is what keeps the
# quick scale (36 runs) under two minutes; at paper scale the three width-500 FNO jobs
# (~80 % of the section's cost) still pack onto two cores with the rest filling the gaps.

OPS = config["operators"]
OPS_ARCHS = ["deeponet", "fno"]
OPS_FIGURES = ["operators_loss_curves", "operators_lazy"]
OPS_CATEGORY = "A. Neural operators benefit from width"
OPS_WC = {"problem": "|".join(OPS["problems"]), "width": r"\d+"}


def ops_run(arch, problem, width, kind):
    return f"results/operators/runs/{arch}/{problem}/w{width}.{kind}.csv"


def ops_runs(kind):
    return [ops_run(a, p, w, kind) for a in OPS_ARCHS for p in OPS["problems"]
            for w in OPS["widths"]]


def ops_grid_points(problem, arch):
    """Grid points per function seen by `arch` (the data grid, subsampled)."""
    return OPS["data"][problem]["n_points"] // OPS[arch]["train"]["subsample"]


def ops_runtime(arch):
    """Minutes per job from measured per-epoch CPU costs on one thread (x2 margin):
    FNO ~4.3e-9 s per (function x grid point x width^2) at batch 20, DeepONet ~2e-9 s per
    (function x width^2) + 2 ms per step; plus the Hessian power iteration and start-up."""
    tr = OPS[arch]["train"]

    def runtime(wildcards):
        m, n = int(wildcards.width), OPS["data"]["n_train"]
        if arch == "fno":
            epoch = 4.3e-9 * n * ops_grid_points(wildcards.problem, arch) * m * m
        else:
            epoch = 2e-9 * n * m * m + 2e-3 * n / tr["batch_size"]
        seeds = len(config["seeds"])
        return 2 + int(2 * seeds * (tr["epochs"] + tr["hessian_iters"]) * (epoch + 0.1) / 60)

    return runtime


def ops_mem_mb(wildcards):
    """~16 float32 copies of the FNO's parameters (weights, gradient, Adam moments, HVP
    tangents, activations) + 800 MB; measured max RSS 2.36 GB at m = 500 (estimate 2.8 GB)."""
    m, f = int(wildcards.width), OPS["fno"]["model"]
    params = f["n_layers"] * (2 * f["modes"] + 1) * m * m
    return 800 + 16 * 4 * params // 2**20


FIGURE_TARGETS += expand("figures/{id}.{ext}", id=OPS_FIGURES, ext=["png", "pdf"])
FIGURE_TARGETS += expand("figures/operators_final_loss.{ext}", ext=["csv", "md", "png"])
CLAIM_INPUTS["operators"] = {
    "summary": "results/operators/summary.csv",
    "curves": "results/operators/curves.csv",
}


rule operators_data_antiderivative:
    """GRF inputs u (RBF, l = 0.2) and s = int_0^x u, exact (Chebyshev)."""
    input:
        code=code("operators_data_antiderivative"),
    output:
        "results/data/antiderivative.npz",
    params:
        n_train=OPS["data"]["n_train"],
        n_test=OPS["data"]["n_test"],
        seed=OPS["data"]["seed"],
        options=OPS["data"]["antiderivative"],
    log:
        "results/logs/operators/data_antiderivative.log",
    benchmark:
        "results/benchmarks/operators/data_antiderivative.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    script:
        script_path("operators_data_antiderivative")


rule operators_data_diffusion_reaction:
    """GRF sources u and s(., 1) of s_t = D s_xx + k s^2 + u (FD + SBDF2)."""
    input:
        code=code("operators_data_diffusion_reaction"),
    output:
        "results/data/diffusion_reaction.npz",
    params:
        n_train=OPS["data"]["n_train"],
        n_test=OPS["data"]["n_test"],
        seed=OPS["data"]["seed"],
        options=OPS["data"]["diffusion_reaction"],
    log:
        "results/logs/operators/data_diffusion_reaction.log",
    benchmark:
        "results/benchmarks/operators/data_diffusion_reaction.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    script:
        script_path("operators_data_diffusion_reaction")


rule operators_data_burgers:
    """GRF initial data u0 and u(., 1) of viscous Burgers (spectral + ETDRK4)."""
    input:
        code=code("operators_data_burgers"),
    output:
        "results/data/burgers.npz",
    params:
        n_train=OPS["data"]["n_train"],
        n_test=OPS["data"]["n_test"],
        seed=OPS["data"]["seed"],
        options=OPS["data"]["burgers"],
    log:
        "results/logs/operators/data_burgers.log",
    benchmark:
        "results/benchmarks/operators/data_burgers.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    script:
        script_path("operators_data_burgers")


rule operators_train_deeponet:
    """Train DeepONets: every seed of one (problem, width), one after another."""
    input:
        data="results/data/{problem}.npz",
        code=code("operators_train_deeponet"),
    output:
        metrics="results/operators/runs/deeponet/{problem}/w{width}.metrics.csv",
        summary="results/operators/runs/deeponet/{problem}/w{width}.summary.csv",
    wildcard_constraints:
        **OPS_WC,
    params:
        seeds=config["seeds"],
        model=OPS["deeponet"]["model"],
        train=OPS["deeponet"]["train"],
    log:
        "results/logs/operators/train_deeponet_{problem}_w{width}.log",
    benchmark:
        "results/benchmarks/operators/train_deeponet_{problem}_w{width}.tsv"
    threads: 1
    resources:
        mem_mb=ops_mem_mb,
        runtime=ops_runtime("deeponet"),
    script:
        script_path("operators_train_deeponet")


rule operators_train_fno:
    """Train FNOs: every seed of one (problem, width), one after another."""
    input:
        data="results/data/{problem}.npz",
        code=code("operators_train_fno"),
    output:
        metrics="results/operators/runs/fno/{problem}/w{width}.metrics.csv",
        summary="results/operators/runs/fno/{problem}/w{width}.summary.csv",
    wildcard_constraints:
        **OPS_WC,
    params:
        seeds=config["seeds"],
        model=OPS["fno"]["model"],
        train=OPS["fno"]["train"],
    log:
        "results/logs/operators/train_fno_{problem}_w{width}.log",
    benchmark:
        "results/benchmarks/operators/train_fno_{problem}_w{width}.tsv"
    threads: 1
    resources:
        mem_mb=ops_mem_mb,
        runtime=ops_runtime("fno"),
    script:
        script_path("operators_train_fno")


rule operators_aggregate:
    """All runs' per-epoch metrics and end-of-run summaries, one tidy table each."""
    input:
        metrics=ops_runs("metrics"),
        summaries=ops_runs("summary"),
        code=code("operators_aggregate"),
    output:
        curves="results/operators/curves.csv",
        summary="results/operators/summary.csv",
    log:
        "results/logs/operators/aggregate.log",
    localrule: True
    script:
        script_path("operators_aggregate")


rule operators_table:
    """Table: final training loss, test relative L2, epochs to the loss threshold."""
    input:
        curves="results/operators/curves.csv",
        summary="results/operators/summary.csv",
        code=code("operators_table"),
    output:
        csv=report("figures/operators_final_loss.csv",
                   caption="../report/operators_final_loss.rst", category=OPS_CATEGORY,
                   labels={"table": "operators_final_loss"}),
        md="figures/operators_final_loss.md",
        png=report("figures/operators_final_loss.png",
                   caption="../report/operators_final_loss.rst", category=OPS_CATEGORY,
                   labels={"table": "operators_final_loss (heatmap)"}),
    params:
        loss_threshold=OPS["loss_threshold"],
    log:
        "results/logs/operators/table.log",
    localrule: True
    script:
        script_path("operators_table")


rule operators_figures:
    """The section A figures: loss curves (2 x 3 panels) and laziness vs width."""
    input:
        curves="results/operators/curves.csv",
        summary="results/operators/summary.csv",
        code=code("operators_figures"),
    output:
        *[
            report(f"figures/{fig}.png", caption=f"../report/{fig}.rst", category=OPS_CATEGORY,
                   labels={"figure": fig})
            for fig in OPS_FIGURES
        ],
        *[f"figures/{fig}.pdf" for fig in OPS_FIGURES],
    log:
        "results/logs/operators/figures.log",
    localrule: True
    script:
        script_path("operators_figures")
