# Section C: natural gradient descent for two-layer PINNs (seed 002).
# data (collocation + test points per problem) -> training runs per (problem, optimizer, lr,
# width), all seeds in one job -> Gram spectra and NGD rate runs -> four tables, one figure,
# claims C1-C6.

PINN = config["pinn"]
PINN_PROBLEMS = list(PINN["problems"])
PINN_TABLE_OPTIMIZERS = ["SGD", "Adam", "LBFGS", "NGD"]
PINN_TABLES = ["pinn_optimizers", "pinn_lr_robustness", "pinn_width", "pinn_gram_spectrum"]
PINN_CATEGORY = "C. NGD for two-layer PINNs"


def pinn_lr(lr):
    """Canonical form of a learning rate in keys: 0.001 -> '0.001', 1.0 -> '1'."""
    return f"{float(lr):g}"


def pinn_configs(problem, optimizer):
    """The (lr, width) configurations one (problem, optimizer) job trains: the optimizer
    table's, plus the lr grid's and the width ablation's where they apply (deduplicated)."""
    cfgs = [(PINN["optimizers"][optimizer]["lr"], PINN["width"])]
    g, a = PINN["lr_grid"], PINN["width_ablation"]
    if problem == g["problem"] and optimizer in g["optimizers"]:
        cfgs += [(lr, PINN["width"]) for lr in g["lrs"]]
    if problem == a["problem"] and optimizer == "NGD":
        cfgs += [(PINN["optimizers"]["NGD"]["lr"], m) for m in a["widths"]]
    return [[float(pinn_lr(lr)), int(m)] for lr, m in dict.fromkeys(cfgs)]


def pinn_run(problem, optimizer):
    return f"results/pinn/runs/{problem}_{optimizer}.csv"


def pinn_steps(problem, optimizer):
    """Full-batch iterations of one run: the paper's epochs per optimizer and problem."""
    if optimizer == "LBFGS":
        return PINN["optimizers"]["LBFGS"]["iterations"]
    return PINN["problems"][problem]["ngd_epochs" if optimizer == "NGD" else "epochs"]


def pinn_points(problem):
    """Collocation points n = n1 + n2 and input dimension d (estimates for resources)."""
    pr, dim = PINN["problems"][problem], {"poisson1d": 1, "poisson10d": 10}.get(problem, 2)
    if problem == "poisson10d":
        return pr["n_interior"] + pr["n_boundary"], dim
    return pr["n_interior"] ** dim + 2 * dim * pr["n_boundary"] ** (dim - 1), dim


def pinn_run_seconds(problem, optimizer, width, steps=None):
    """Seconds of one seed, from measured costs on 1 thread: ~100 ns per (point x neuron) per
    gradient step (x2 for L-BFGS line searches) + ~2 ms per step; NGD adds the Gram matrix
    (2 n^2 p flops at ~3 GF/s) and the Jacobian (~70 ns per entry): measured, poisson2d
    m = 2560 (n = 192, p = 7680): Jacobian ~90 ms, Gram ~60 ms, Cholesky + solve ~2 ms."""
    n, dim = pinn_points(problem)
    steps = pinn_steps(problem, optimizer) if steps is None else steps
    per = 1e-7 * n * width * (2 if optimizer == "LBFGS" else 1) + 2e-3
    if optimizer == "NGD":
        per += 2 * n * n * width * (dim + 1) / 3e9 + 7e-8 * n * width * (dim + 1)
    return steps * per


def pinn_runtime(w):
    """Minutes for one (problem, optimizer) job: every configuration and seed, x3 margin."""
    sec = sum(pinn_run_seconds(w.problem, w.optimizer, m)
              for _, m in pinn_configs(w.problem, w.optimizer))
    return 2 + int(3 * len(config["seeds"]) * sec / 60)


def pinn_mem_mb(problem, width):
    """MB for a run at ``width``: ~40 float64 copies of the (n, m, d+1) Jacobian + 1 GB."""
    n, dim = pinn_points(problem)
    return 1000 + 40 * n * width * (dim + 1) * 8 // 2**20


def pinn_mem(w):
    return pinn_mem_mb(w.problem, max(m for _, m in pinn_configs(w.problem, w.optimizer)))


PINN_RUNS = [pinn_run(p, o) for p in PINN_PROBLEMS for o in PINN_TABLE_OPTIMIZERS]
PINN_DATA = expand("results/data/pinn_{problem}.npz", problem=PINN_PROBLEMS)

FIGURE_TARGETS += expand("figures/{id}.{ext}", id=PINN_TABLES, ext=["csv", "md", "png"])
FIGURE_TARGETS += expand("figures/pinn_convergence.{ext}", ext=["png", "pdf"])
FIGURE_TARGETS += expand("figures/pinn_ngd_damping.{ext}", ext=["csv", "md", "png"])
CLAIM_INPUTS["pinn"] = {
    "optimizers": "figures/pinn_optimizers.csv",
    "lr": "figures/pinn_lr_robustness.csv",
    "width": "figures/pinn_width.csv",
    "gram": "figures/pinn_gram_spectrum.csv",
    "rates": "results/pinn/convergence_rates.csv",
}


rule pinn_data:
    """Every problem's fixed collocation points (grids; Sobol in 10-d), f = L u* and g = u*
    derived from u*, and independent uniform test points (one job: start-up dominates)."""
    input:
        code=code("pinn_data"),
    output:
        PINN_DATA,
    params:
        problems={p: {k: PINN["problems"][p][k] for k in ("n_interior", "n_boundary")}
                  for p in PINN_PROBLEMS},
        n_test=PINN["n_test"],
        seed=PINN["data_seed"],
    log:
        "results/logs/pinn/data.log",
    benchmark:
        "results/benchmarks/pinn/data.tsv"
    threads: 1
    resources:
        mem_mb=1000,
        runtime=2,
    script:
        script_path("pinn_data")


rule pinn_train:
    """One (problem, optimizer): every (lr, width) configuration it takes part in, every seed;
    full-batch training through Lightning. Diverged seeds stop early and are recorded as nan.
    Tidy: lr, width, seed, step, metric, value."""
    input:
        data="results/data/pinn_{problem}.npz",
        code=code("pinn_train"),
    output:
        "results/pinn/runs/{problem}_{optimizer}.csv",
    params:
        configs=lambda w: pinn_configs(w.problem, w.optimizer),
        steps=lambda w: pinn_steps(w.problem, w.optimizer),
        seeds=config["seeds"],
        activation=PINN["activation"],
        log_every=PINN["log_every"],
        inner_steps=PINN["inner_steps"],
        ngd=PINN["ngd_solver"],
        lbfgs={"history_size": PINN["optimizers"]["LBFGS"]["history_size"]},
    log:
        "results/logs/pinn/train_{problem}_{optimizer}.log",
    benchmark:
        "results/benchmarks/pinn/train_{problem}_{optimizer}.tsv"
    wildcard_constraints:
        problem="|".join(PINN_PROBLEMS),
        optimizer="SGD|Adam|LBFGS|NGD",
    threads: 1
    resources:
        mem_mb=pinn_mem,
        runtime=pinn_runtime,
    script:
        script_path("pinn_train")


rule pinn_gram:
    """Eigenvalues of J J^T at initialization (main width), every problem and seed."""
    input:
        data=PINN_DATA,
        code=code("pinn_gram"),
    output:
        "results/pinn/gram.csv",
    params:
        problems=PINN_PROBLEMS,
        seeds=config["seeds"],
        width=PINN["width"],
        activation=PINN["activation"],
        ngd_lr=PINN["optimizers"]["NGD"]["lr"],
    log:
        "results/logs/pinn/gram.log",
    benchmark:
        "results/benchmarks/pinn/gram.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    script:
        script_path("pinn_gram")


rule pinn_convergence_run:
    """NGD at eta = 1 from initialization, and the eta = probe_lr path with a full step probed
    at every iterate, for every problem listed (first seed only: a rate diagnostic at the
    convergence width)."""
    input:
        data=expand("results/data/pinn_{problem}.npz", problem=PINN["convergence"]["problems"]),
        code=code("pinn_convergence"),
    output:
        "results/pinn/convergence.csv",
    params:
        problems=PINN["convergence"]["problems"],
        seeds=config["seeds"][:1],
        width=PINN["convergence"]["width"],
        steps=PINN["convergence"]["steps"],
        probe_lr=PINN["convergence"]["probe_lr"],
        probe_steps=PINN["convergence"]["probe_steps"],
        activation=PINN["activation"],
        ngd=PINN["ngd_solver"],
    log:
        "results/logs/pinn/convergence.log",
    benchmark:
        "results/benchmarks/pinn/convergence.tsv"
    threads: 1
    resources:
        mem_mb=lambda w: 1000 + max(4 * pinn_points(p)[0] * PINN["convergence"]["width"]
                                    * (pinn_points(p)[1] + 1) * 8 // 2**20
                                    for p in PINN["convergence"]["problems"]),
        runtime=2 + int(sum(pinn_run_seconds(p, "NGD", PINN["convergence"]["width"],
                                             PINN["convergence"]["steps"]
                                             + PINN["convergence"]["probe_steps"]) * 3 / 60
                            for p in PINN["convergence"]["problems"])),
    script:
        script_path("pinn_convergence")


rule pinn_damping:
    """NGD on one problem at the optimizer table's setting (main width, NGD lr and epochs,
    every seed), once per LM damping of ``damping_ablation``; the rest of ``ngd_solver`` (jitter
    ladder, least-squares fallback) unchanged. Tidy: damping, seed, step, metric, value."""
    input:
        data="results/data/pinn_{problem}.npz",
        code=code("pinn_damping"),
    output:
        "results/pinn/damping/{problem}.csv",
    params:
        dampings=PINN["damping_ablation"]["dampings"],
        lr=PINN["optimizers"]["NGD"]["lr"],
        width=PINN["width"],
        steps=lambda w: pinn_steps(w.problem, "NGD"),
        seeds=config["seeds"],
        activation=PINN["activation"],
        log_every=PINN["log_every"],
        inner_steps=PINN["inner_steps"],
        ngd=PINN["ngd_solver"],
    log:
        "results/logs/pinn/damping_{problem}.log",
    benchmark:
        "results/benchmarks/pinn/train_damping_{problem}.tsv"
    wildcard_constraints:
        problem="|".join(PINN_PROBLEMS),
    threads: 1
    resources:
        mem_mb=lambda w: pinn_mem_mb(w.problem, PINN["width"]),
        runtime=lambda w: 2 + int(3 * len(config["seeds"])
                                  * len(PINN["damping_ablation"]["dampings"])
                                  * pinn_run_seconds(w.problem, "NGD", PINN["width"]) / 60),
    script:
        script_path("pinn_damping")


rule pinn_damping_table:
    """Table: NGD's relative L2 error per problem vs the damping (the paper's NGD cell beside)."""
    input:
        runs=expand("results/pinn/damping/{problem}.csv", problem=PINN_PROBLEMS),
        code=code("pinn_damping_table"),
    output:
        csv=report("figures/pinn_ngd_damping.csv", caption="../report/pinn_ngd_damping.rst",
                   category=PINN_CATEGORY, labels={"table": "pinn_ngd_damping"}),
        md="figures/pinn_ngd_damping.md",
        png=report("figures/pinn_ngd_damping.png", caption="../report/pinn_ngd_damping.rst",
                   category=PINN_CATEGORY, labels={"table": "pinn_ngd_damping (heatmap)"}),
    params:
        problems=PINN_PROBLEMS,
        chosen=PINN["ngd_solver"]["damping"],
    log:
        "results/logs/pinn/damping_table.log",
    localrule: True
    script:
        script_path("pinn_damping_table")


rule pinn_tables:
    """The four section C tables, the paper's values beside ours."""
    input:
        runs=PINN_RUNS,
        gram="results/pinn/gram.csv",
        code=code("pinn_tables"),
    output:
        **{
            f"{t}_{ext}": (report(f"figures/{t}.{ext}", caption=f"../report/{t}.rst",
                                  category=PINN_CATEGORY,
                                  labels={"table": t + (" (heatmap)" if ext == "png" else "")})
                           if ext != "md" else f"figures/{t}.md")
            for t in PINN_TABLES for ext in ("csv", "md", "png")
        },
        gram_full="results/pinn/gram_spectrum_full.csv",
    params:
        problems=PINN_PROBLEMS,
        optimizers=PINN_TABLE_OPTIMIZERS,
        main_width=PINN["width"],
        lr_grid=PINN["lr_grid"],
        width_ablation=PINN["width_ablation"],
        ngd_lr=PINN["optimizers"]["NGD"]["lr"],
        default_lr={o: PINN["optimizers"][o]["lr"] for o in PINN_TABLE_OPTIMIZERS},
    log:
        "results/logs/pinn/tables.log",
    localrule: True
    script:
        script_path("pinn_tables")


rule pinn_convergence_figure:
    """Figure: training loss vs iteration per problem and optimizer; NGD's rate panel."""
    input:
        runs=PINN_RUNS,
        conv="results/pinn/convergence.csv",
        code=code("pinn_figure"),
    output:
        png=report("figures/pinn_convergence.png", caption="../report/pinn_convergence.rst",
                   category=PINN_CATEGORY, labels={"figure": "pinn_convergence"}),
        pdf="figures/pinn_convergence.pdf",
        rates="results/pinn/convergence_rates.csv",
    params:
        problems=PINN_PROBLEMS,
        optimizers=PINN_TABLE_OPTIMIZERS,
        main_width=PINN["width"],
        default_lr={o: PINN["optimizers"][o]["lr"] for o in PINN_TABLE_OPTIMIZERS},
    log:
        "results/logs/pinn/convergence_figure.log",
    localrule: True
    script:
        script_path("pinn_figure")
