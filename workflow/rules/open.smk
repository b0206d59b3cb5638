# Section E: the questions the sources leave open, answered by experiment (catalogue E).
# Each job reuses a family's data, models and trainer: section A's operator data and
# Lightning trainer (ReLU and frozen-encoder variants: open_operators; start perturbations:
# open_radius), section B's sphere data, model and gradient flow (open_depth), section C's
# collocation files, PINN module and NGD (open_ngd_depth with a torch.func Jacobian,
# open_ngd_dimension on [0, 1]^d). open_aggregate writes the tidy per-seed tables
# results/open/<id>.csv (E2 and E3 beside section A's smooth / trainable-encoder runs of the
# same widths), open_figures draws them, and claims E1-E6 read them.
# Planning (the operator variants' jobs and widths, cost model): wideopt.plan.open.
from wideopt.plan import open as open_plan

OPEN = config["open"]
OPEN_FIGURES = [
    "open_radius",
    "open_relu_operators",
    "open_fno_encoder",
    "open_depth_distance",
    "open_ngd_dimension",
]
OPEN_TABLES = ["open_relu_operators", "open_ngd_depth"]
OPEN_IDS = list(open_plan.IDS)
OPEN_CATEGORY = "E. Open questions, answered by experiment"
OPEN_RESULTS = {i: out(f"results/open/{i}.csv") for i in OPEN_IDS}
OPEN_OPERATOR_RUNS = open_plan.operator_runs(config)

# Figures drawn by open_figures; open_relu_operators is a table (csv/md) and a figure
# (png/pdf: final loss and epochs vs width), so its heatmap is not drawn.
FIGURE_TARGETS += (
    figure_files(OPEN_FIGURES)
    + [out(f"figures/{t}.{ext}") for t in OPEN_TABLES for ext in ("csv", "md")]
    + [out("figures/open_ngd_depth.png")]
)
CLAIM_INPUTS["open"] = {i.removeprefix("open_"): f for i, f in OPEN_RESULTS.items()}
# E6's "within factor x of the widest run's error" (the claim and the figure read the same).
CLAIM_SETTINGS["open"] = {"factor": OPEN["ngd_dimension"]["factor"]}


rule open_operators:
    """E2 / E3: one operator variant (relu: every activation ReLU; frozen: the FNO's lift and
    projection frozen at initialization) of one architecture on one problem, every width of
    section A (FNO capped) and seed, section A's training settings."""
    input:
        data=out("results/data/{problem}.npz"),
        code=lambda w: code("open_operators") + module_code(f"wideopt.models.{w.arch}"),
    output:
        summary=out(open_plan.operator_run_file("summary", "{variant}", "{arch}", "{problem}")),
        curves=out(open_plan.operator_run_file("curves", "{variant}", "{arch}", "{problem}")),
    log:
        out("results/logs/open/operators_{variant}_{arch}_{problem}.log"),
    benchmark:
        out("results/benchmarks/open/operators_{variant}_{arch}_{problem}.tsv")
    wildcard_constraints:
        variant="relu|frozen",
        arch="deeponet|fno",
        problem=OPS_WC["problem"],
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(estimate(open_plan.operators_mem_mb)),
        runtime=retry_scaled(estimate(open_plan.operators_runtime)),
        gpu=1,  # section A's Lightning training, accelerator="auto" (resources.smk)
    params:
        widths=lambda w: open_plan.operator_widths(config, w.variant, w.arch),
        seeds=config["seeds"],
        model=lambda w: OPS[w.arch]["model"],
        train=lambda w: OPS[w.arch]["train"],
    script:
        script_path("open_operators")


rule open_radius:
    """E1: rho*(m), the largest start perturbation ||delta|| = rho whose final training loss
    stays within `tolerance` x the unperturbed run's, by bisection in log rho; DeepONet on
    one problem, every width and seed."""
    input:
        data=out(f"results/data/{OPEN['radius']['problem']}.npz"),
        code=code("open_radius"),
    output:
        radius=out("results/open/runs/radius.csv"),
        trace=out("results/open/runs/radius_trace.csv"),
    log:
        out("results/logs/open/radius.log"),
    benchmark:
        out("results/benchmarks/open/radius.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(2000),
        runtime=retry_scaled(estimate(open_plan.radius_runtime)),
    params:
        problem=OPEN["radius"]["problem"],
        widths=OPEN["radius"]["widths"],
        seeds=config["seeds"],
        model=OPS["deeponet"]["model"],
        train=OPEN["radius"]["train"],
        search={k: OPEN["radius"][k] for k in ("rho_min", "rho_max", "steps", "tolerance")},
    script:
        script_path("open_radius")


rule open_depth:
    """E4: the sphere model with 1..4 trained hidden layers, every width and seed, trained for
    the largest multiple of the base time; h per layer up to each multiple."""
    input:
        data=out(
            f"results/data/sobolev_d{SOB_TRAIN['dim']}_alpha{OPEN['depth_distance']['alpha']}.npz"
        ),
        code=code("open_depth"),
    output:
        out("results/open/runs/depth.csv"),
    log:
        out("results/logs/open/depth.log"),
    benchmark:
        out("results/benchmarks/open/depth.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(1500),
        runtime=retry_scaled(estimate(open_plan.depth_runtime)),
    params:
        **{k: v for k, v in OPEN["depth_distance"].items() if k != "alpha"},
        seeds=config["seeds"],
        activation=SOB_TRAIN["activation"],
        preact_var=SOB["preact_var"],
    script:
        script_path("open_depth")


rule open_ngd_depth:
    """E5: PINNs with two trained hidden layers on each problem (section C's collocation
    files), NGD at each lr vs Adam and L-BFGS, every seed; Jacobians by torch.func. One job:
    a torch start-up costs more than a quick-scale problem."""
    input:
        data=expand(out("results/data/pinn_{problem}.npz"), problem=OPEN["ngd_depth"]["problems"]),
        code=code("open_ngd_depth"),
    output:
        out("results/open/runs/ngd_depth.csv"),
    log:
        out("results/logs/open/ngd_depth.log"),
    benchmark:
        out("results/benchmarks/open/ngd_depth.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(2000),
        runtime=retry_scaled(estimate(open_plan.ngd_depth_runtime)),
    params:
        **OPEN["ngd_depth"],
        seeds=config["seeds"],
        activation=PINN["activation"],
        adam_lr=PINN["optimizers"]["Adam"]["lr"],
        history_size=PINN["optimizers"]["LBFGS"]["history_size"],
        ngd_solver=PINN["ngd_solver"],
        log_every=PINN["log_every"],
        inner_steps=PINN["inner_steps"],
    script:
        script_path("open_ngd_depth")


rule open_ngd_dimension:
    """E6: NGD on Poisson in [0, 1]^d (two-layer PINN, closed-form Jacobian), every d, width
    and seed (one job)."""
    input:
        code=code("open_ngd_dimension"),
    output:
        out("results/open/runs/ngd_dimension.csv"),
    log:
        out("results/logs/open/ngd_dimension.log"),
    benchmark:
        out("results/benchmarks/open/ngd_dimension.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(2000),
        runtime=retry_scaled(estimate(open_plan.ngd_dimension_runtime)),
    params:
        **{k: v for k, v in OPEN["ngd_dimension"].items() if k != "factor"},
        seeds=config["seeds"],
        activation=PINN["activation"],
        ngd_solver=PINN["ngd_solver"],
        data_seed=PINN["data_seed"],
        log_every=PINN["log_every"],
        inner_steps=PINN["inner_steps"],
    script:
        script_path("open_ngd_dimension")


rule open_aggregate:
    """The tidy per-seed tables results/open/<id>.csv (E2/E3 beside section A's runs)."""
    input:
        summaries=out([open_plan.operator_run_file("summary", *r) for r in OPEN_OPERATOR_RUNS]),
        curves=out([open_plan.operator_run_file("curves", *r) for r in OPEN_OPERATOR_RUNS]),
        ops_summary=out("results/operators/summary.csv"),
        ops_curves=out("results/operators/curves.csv"),
        radius=out("results/open/runs/radius.csv"),
        depth=out("results/open/runs/depth.csv"),
        ngd_depth=out("results/open/runs/ngd_depth.csv"),
        ngd_dimension=out("results/open/runs/ngd_dimension.csv"),
        code=code("open_aggregate"),
    output:
        **OPEN_RESULTS,
    log:
        out("results/logs/open/aggregate.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        smooth={a: OPS[a]["model"]["activation"] for a in ("deeponet", "fno")},
        widths={a: open_plan.operator_widths(config, "relu", a) for a in ("deeponet", "fno")},
        encoder_widths={"fno": open_plan.operator_widths(config, "frozen", "fno")},
    script:
        script_path("open_aggregate")


rule open_figures:
    """Section E figures and tables, drawn from results/ (section C's two-layer optimizer
    table beside open_ngd_depth)."""
    input:
        **OPEN_RESULTS,
        pinn_optimizers=PINN_RESULTS["pinn_optimizers"],
        code=code("open_figures"),
    output:
        *[
            report(
                out(f"figures/{f}.png"),
                caption=f"../report/{f}.rst",
                category=OPEN_CATEGORY,
                labels={"figure": f},
            )
            for f in OPEN_FIGURES
        ],
        *[out(f"figures/{f}.pdf") for f in OPEN_FIGURES],
        *[
            report(
                out(f"figures/{t}.csv"),
                caption=f"../report/{t}.rst",
                category=OPEN_CATEGORY,
                labels={"table": t},
            )
            for t in OPEN_TABLES
        ],
        *[out(f"figures/{t}.md") for t in OPEN_TABLES],
        report(
            out("figures/open_ngd_depth.png"),
            caption="../report/open_ngd_depth.rst",
            category=OPEN_CATEGORY,
            labels={"table": "open_ngd_depth (heatmap)"},
        ),
    log:
        out("results/logs/open/figures.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        # `--lint` at quick scale: "param is a prefix of an output", a false positive (the
        # scale's name is also its output root).
        scale=config["scale"],
        factor=OPEN["ngd_dimension"]["factor"],
        pinn_ngd_lr=PINN["optimizers"]["NGD"]["lr"],
    script:
        script_path("open_figures")
