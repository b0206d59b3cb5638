# Section A under full-batch gradient descent (claims A3, A5, A6; issue 23 part 3).
# data (section A's) -> one job per architecture, its problems one after another (per problem:
# the loss-Hessian norm at init of every (width, seed), the common step eta = 1/max of them,
# then GD from the same initializations) -> one aggregation (results/operators/gd_curves.csv, gd_summary.csv: tracked like every tidy table) -> figure operators_gd
# (GD beside section A's Adam runs) and claims A3, A5, A6 (CLAIM_INPUTS["operators"]).
# Not one job per width: a problem's step needs every width's Hessian first. Not one job per
# problem: at quick scale the ~4 s start-up of each job was most of the cost (the issue caps
# the quick DAG's growth at 20 s); at paper scale the DeepONet job (~15 CPU-min) runs beside
# the rest of the DAG on the other core.

OPS_GD = config["operators"]["gd"]
OPS_GD_ARCHS = list(OPS_GD["runs"])
OPS_GD_FIGURES = ["operators_gd"]

FIGURE_TARGETS += figure_files(OPS_GD_FIGURES)
CLAIM_INPUTS["operators"] |= {
    "gd_curves": out("results/operators/gd_curves.csv"),
    "gd_summary": out("results/operators/gd_summary.csv"),
}


rule operators_gd_train:
    """Full-batch GD of one architecture on each of its problems, with that problem's common
    step eta = 1/max_m lambda_max(nabla^2 L(theta_0)): every width and seed
    (wideopt.training.operators.gd)."""
    input:
        data=lambda w: [out(f"results/data/{p}.npz") for p in OPS_GD["runs"][w.arch]],
        code=lambda w: code("operators_gd_train") + module_code(f"wideopt.models.{w.arch}"),
    output:
        curves=out("results/operators/gd/runs/{arch}.curves.csv"),
        summary=out("results/operators/gd/runs/{arch}.summary.csv"),
    log:
        out("results/logs/operators/gd_{arch}.log"),
    benchmark:
        out("results/benchmarks/operators/gd_{arch}.tsv")
    wildcard_constraints:
        arch=OPS_WC["arch"],
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(4000),
        runtime=retry_scaled(40),
    params:
        seeds=config["seeds"],
        problems=lambda w: OPS_GD["runs"][w.arch],
        model=lambda w: OPS[w.arch]["model"],
        gd=lambda w: OPS_GD[w.arch],
        hessian=OPS_GD["hessian"],
        subsample=lambda w: OPS[w.arch]["train"]["subsample"],
    script:
        script_path("operators_gd_train")


rule operators_gd_aggregate:
    """The GD runs' curves and summaries, one tidy table each."""
    input:
        curves=[out(f"results/operators/gd/runs/{a}.curves.csv") for a in OPS_GD_ARCHS],
        summaries=[out(f"results/operators/gd/runs/{a}.summary.csv") for a in OPS_GD_ARCHS],
        code=code("operators_gd_aggregate"),
    output:
        curves=out("results/operators/gd_curves.csv"),
        summary=out("results/operators/gd_summary.csv"),
    log:
        out("results/logs/operators/gd_aggregate.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    script:
        script_path("operators_gd_aggregate")


rule operators_gd_figures:
    """operators_gd: loss curves and distance vs width under GD beside section A's Adam."""
    input:
        gd_curves=out("results/operators/gd_curves.csv"),
        gd_summary=out("results/operators/gd_summary.csv"),
        curves=out("results/operators/curves.csv"),
        summary=out("results/operators/summary.csv"),
        code=code("operators_gd_figure"),
    output:
        png=report(
            out("figures/operators_gd.png"),
            caption="../report/operators_gd.rst",
            category=OPS_CATEGORY,
            labels={"figure": "operators_gd"},
        ),
        pdf=out("figures/operators_gd.pdf"),
    log:
        out("results/logs/operators/gd_figure.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        scale=config["scale"],  # stamped on the figure (`--lint`: a false positive, as above)
    script:
        script_path("operators_gd_figure")
