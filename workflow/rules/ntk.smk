# Section D: the NTK of a wide two-layer network (seed 003, lecture notes ch. 5).
# data (points on the sphere) -> H(0) vs H* per activation, GD runs per (scheme, psi, m)
# -> aggregated tables -> four figures, the slopes table and claims D1-D5.

NTK = config["ntk"]
NTK_FIGURES = [
    "ntk_init_concentration",
    "ntk_drift",
    "ntk_linearized_dynamics",
    "ntk_parameterization",
]


# Training outputs: NTK scaling for each psi, mean-field scaling for one psi.
NTK_TRAIN_RUNS = expand("results/ntk/train/ntk/{act}.csv", act=NTK["activations"]) + [
    f"results/ntk/train/mean_field/{NTK['mean_field']['activation']}.csv"
]


FIGURE_TARGETS += expand("figures/{id}.{ext}", id=NTK_FIGURES, ext=["png", "pdf"])
FIGURE_TARGETS += expand("figures/ntk_slopes.{ext}", ext=["csv", "md", "png"])
CLAIM_INPUTS["ntk"] = {"slopes": "figures/ntk_slopes.csv", "runs": "results/ntk/runs.csv"}


rule ntk_data:
    """n points uniform on S^{d-1} and +-1 labels, fixed across widths and seeds."""
    input:
        code=code("ntk_data"),
    output:
        "results/data/ntk_sphere_n{n}.npz",
    params:
        dim=NTK["dim"],
        seed=NTK["data_seed"],
    log:
        "results/logs/ntk/data_n{n}.log",
    benchmark:
        "results/benchmarks/ntk/data_n{n}.tsv"
    threads: 1
    resources:
        mem_mb=500,
        runtime=2,
    script:
        script_path("ntk_data")


rule ntk_init:
    """||H(0) - H*||_2 for every width, seed and n, for one activation."""
    input:
        data=expand("results/data/ntk_sphere_n{n}.npz", n=NTK["n_points"]),
        code=code("ntk_init"),
    output:
        "results/ntk/init/{act}.csv",
    params:
        widths=NTK["widths"],
        seeds=config["seeds"],
        nodes=NTK["quadrature_nodes"],
    log:
        "results/logs/ntk/init_{act}.log",
    benchmark:
        "results/benchmarks/ntk/init_{act}.tsv"
    threads: 1
    resources:
        mem_mb=lambda w: 1000 + max(NTK["widths"]) * max(NTK["n_points"]) * 3 * 8 * 4 // 2**20,
        runtime=10,
    script:
        script_path("ntk_init")


rule ntk_train:
    """Small-step GD to near-zero loss for every width of one (scheme, psi); the seeds of a
    width train as one batch. One job per (scheme, psi), not per width: a job's start-up
    (importing torch, ~2-4 s here) exceeds the training time of every width below 1e4."""
    input:
        data=f"results/data/ntk_sphere_n{NTK['train']['n_points']}.npz",
        code=code("ntk_train"),
    output:
        "results/ntk/train/{scheme}/{act}.csv",
    params:
        seeds=config["seeds"],
        widths=NTK["train"]["widths"],
        train=NTK["train"],
    log:
        "results/logs/ntk/train_{scheme}_{act}.log",
    benchmark:
        "results/benchmarks/ntk/train_{scheme}_{act}.tsv"
    threads: 1
    resources:
        mem_mb=500 + max(NTK["train"]["widths"]) * NTK["train"]["n_points"] * 3 * 8 * 8 // 2**20,
        runtime=2 + sum(NTK["train"]["widths"]) * NTK["train"]["steps"] // 100_000,
    script:
        script_path("ntk_train")


rule ntk_aggregate:
    """Per-run summaries (sup over t), residual trajectories and init errors, tidy."""
    input:
        init=expand("results/ntk/init/{act}.csv", act=NTK["activations"]),
        train=NTK_TRAIN_RUNS,
        code=code("ntk_aggregate"),
    output:
        init="results/ntk/init.csv",
        runs="results/ntk/runs.csv",
        residuals="results/ntk/residuals.csv",
    log:
        "results/logs/ntk/aggregate.log",
    localrule: True
    script:
        script_path("ntk_aggregate")


rule ntk_slopes:
    """Table: fitted log-log slopes in m beside their predicted values."""
    input:
        init="results/ntk/init.csv",
        runs="results/ntk/runs.csv",
        code=code("ntk_slopes"),
    output:
        csv=report("figures/ntk_slopes.csv", caption="../report/ntk_slopes.rst",
                   category="D. NTK of a wide two-layer net", labels={"table": "ntk_slopes"}),
        md="figures/ntk_slopes.md",
        png=report("figures/ntk_slopes.png", caption="../report/ntk_slopes.rst",
                   category="D. NTK of a wide two-layer net",
                   labels={"table": "ntk_slopes (heatmap)"}),
    params:
        fit_min_width=NTK["fit_min_width"],
    log:
        "results/logs/ntk/slopes.log",
    localrule: True
    script:
        script_path("ntk_slopes")


rule ntk_figures:
    """The four section D figures (one plotting module, so one job)."""
    input:
        init="results/ntk/init.csv",
        runs="results/ntk/runs.csv",
        residuals="results/ntk/residuals.csv",
        code=code("ntk_figures"),
    output:
        *[
            report(f"figures/{fig}.png", caption=f"../report/{fig}.rst",
                   category="D. NTK of a wide two-layer net", labels={"figure": fig})
            for fig in NTK_FIGURES
        ],
        *[f"figures/{fig}.pdf" for fig in NTK_FIGURES],
    params:
        mean_field_activation=NTK["mean_field"]["activation"],
    log:
        "results/logs/ntk/figures.log",
    localrule: True
    script:
        script_path("ntk_figures")
