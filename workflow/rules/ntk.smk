# Section D: the NTK of a wide two-layer network (seed 003, lecture notes ch. 5).
# data (points on the sphere) -> H(0) vs H* per activation, GD runs per (scheme, psi, m)
# -> aggregated tables and the fitted slopes (results/ntk/) -> four figures, the rendered
# slopes table and claims D1-D5.
# Planning (training jobs, cost model): wideopt.plan.ntk.
from wideopt.plan import ntk as ntk_plan

NTK = config["ntk"]
NTK_FIGURES = [
    "ntk_init_concentration",
    "ntk_drift",
    "ntk_linearized_dynamics",
    "ntk_parameterization",
]
NTK_TABLES = ["ntk_slopes"]
NTK_CATEGORY = "D. NTK of a wide two-layer net"


# Training outputs: NTK scaling for each psi, mean-field scaling for one psi.
NTK_TRAIN_RUNS = [out(f"results/ntk/train/{s}/{a}.csv") for s, a in ntk_plan.train_runs(config)]

FIGURE_TARGETS += figure_files(NTK_FIGURES) + table_files(NTK_TABLES)
CLAIM_INPUTS["ntk"] = {
    "init": out("results/ntk/init.csv"),
    "runs": out("results/ntk/runs.csv"),
}
# Trained quantities' slopes are fitted from this width on, as in the ntk_slopes table.
CLAIM_SETTINGS["ntk"] = {"fit_min_width": NTK["fit_min_width"]}


rule ntk_data:
    """n points uniform on S^{d-1} and +-1 labels, fixed across widths and seeds."""
    input:
        code=code("ntk_data"),
    output:
        out("results/data/ntk_sphere_n{n}.npz"),
    log:
        out("results/logs/ntk/data_n{n}.log"),
    benchmark:
        out("results/benchmarks/ntk/data_n{n}.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(500),
        runtime=retry_scaled(2),
    params:
        dim=NTK["dim"],
        seed=NTK["data_seed"],
    script:
        script_path("ntk_data")


rule ntk_init:
    """||H(0) - H*||_2 for every width, seed and n, for one activation."""
    input:
        data=expand(out("results/data/ntk_sphere_n{n}.npz"), n=NTK["n_points"]),
        code=code("ntk_init"),
    output:
        out("results/ntk/init/{act}.csv"),
    log:
        out("results/logs/ntk/init_{act}.log"),
    benchmark:
        out("results/benchmarks/ntk/init_{act}.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(estimate(ntk_plan.init_mem_mb)),
        runtime=retry_scaled(10),
    params:
        widths=NTK["widths"],
        seeds=config["seeds"],
        nodes=NTK["quadrature_nodes"],
    script:
        script_path("ntk_init")


rule ntk_train:
    """Small-step GD to near-zero loss for every width of one (scheme, psi); the seeds of a
    width train as one batch. One job per (scheme, psi), not per width: a job's start-up
    (importing torch, ~2-4 s here) exceeds the training time of every width below 1e4."""
    input:
        data=out(f"results/data/ntk_sphere_n{NTK['train']['n_points']}.npz"),
        code=code("ntk_train"),
    output:
        out("results/ntk/train/{scheme}/{act}.csv"),
    log:
        out("results/logs/ntk/train_{scheme}_{act}.log"),
    benchmark:
        out("results/benchmarks/ntk/train_{scheme}_{act}.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(estimate(ntk_plan.train_mem_mb)),
        runtime=retry_scaled(estimate(ntk_plan.train_runtime)),
    params:
        seeds=config["seeds"],
        widths=NTK["train"]["widths"],
        train=NTK["train"],
    script:
        script_path("ntk_train")


rule ntk_aggregate:
    """Per-run summaries (sup over t), residual trajectories and init errors, tidy."""
    input:
        init=expand(out("results/ntk/init/{act}.csv"), act=NTK["activations"]),
        train=NTK_TRAIN_RUNS,
        code=code("ntk_aggregate"),
    output:
        init=out("results/ntk/init.csv"),
        runs=out("results/ntk/runs.csv"),
        residuals=out("results/ntk/residuals.csv"),
    log:
        out("results/logs/ntk/aggregate.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    script:
        script_path("ntk_aggregate")


rule ntk_slopes:
    """Fitted log-log slopes in m of the seed means beside their predicted values (a fit
    across seeds: one row per quantity x scheme x activation)."""
    input:
        init=out("results/ntk/init.csv"),
        runs=out("results/ntk/runs.csv"),
        code=code("ntk_slopes"),
    output:
        out("results/ntk/ntk_slopes.csv"),
    log:
        out("results/logs/ntk/slopes.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        fit_min_width=NTK["fit_min_width"],
    script:
        script_path("ntk_slopes")


rule ntk_figures:
    """The four section D figures and the rendered slopes table (one plotting job)."""
    input:
        init=out("results/ntk/init.csv"),
        runs=out("results/ntk/runs.csv"),
        residuals=out("results/ntk/residuals.csv"),
        slopes=out("results/ntk/ntk_slopes.csv"),
        code=code("ntk_figures"),
    output:
        *[
            report(
                out(f"figures/{fig}.png"),
                caption=f"../report/{fig}.rst",
                category=NTK_CATEGORY,
                labels={"figure": fig},
            )
            for fig in NTK_FIGURES
        ],
        *[out(f"figures/{fig}.pdf") for fig in NTK_FIGURES],
        report(
            out("figures/ntk_slopes.csv"),
            caption="../report/ntk_slopes.rst",
            category=NTK_CATEGORY,
            labels={"table": "ntk_slopes"},
        ),
        out("figures/ntk_slopes.md"),
        report(
            out("figures/ntk_slopes.png"),
            caption="../report/ntk_slopes.rst",
            category=NTK_CATEGORY,
            labels={"table": "ntk_slopes (heatmap)"},
        ),
    log:
        out("results/logs/ntk/figures.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        mean_field_activation=NTK["mean_field"]["activation"],
        # stamped on every figure; `--lint` at quick scale flags it as "a prefix of an output":
        # a false positive, the scale's name is also its output root (quick/figures/...)
        scale=config["scale"],
    script:
        script_path("ntk_figures")
