# Section C, issue 24 (ours): NGD's linear solve searched (table pinn_ngd_solver), Theorem 4.7's
# rate measured on the lr table's NGD runs (C7) and GD's largest stable step (C8). Planning:
# wideopt.plan.pinn_search (and wideopt.plan.pinn); included after pinn.smk (reads PINN,
# PINN_PROBLEMS, PINN_RESULTS).
from wideopt.plan import pinn_search as search_plan

PINN_SEARCH = PINN["solver_search"]
PINN_SEARCH_PROBLEMS = [p for p in PINN_SEARCH["problems"] if p in PINN_PROBLEMS]
PINN_EDGE = PINN["gd_edge"]


PINN_SEARCH_RESULT = out("results/pinn/pinn_ngd_solver.csv")
PINN_CONTRACTION = out("results/pinn/ngd_contraction.csv")
PINN_GD_EDGE = out("results/pinn/gd_edge.csv")

PINN_SEARCH_TABLES = ["pinn_ngd_solver", "pinn_gram_normalization", "pinn_lbfgs_budget"]
FIGURE_TARGETS += table_files(PINN_SEARCH_TABLES)
CLAIM_INPUTS["pinn"].update(
    ngd_solver=PINN_SEARCH_RESULT, contraction=PINN_CONTRACTION, gd_edge=PINN_GD_EDGE
)


rule pinn_solver_train:
    """One problem's NGD solver search (search_plan.search_variants), every seed, in one job;
    pinn_train's script and format."""
    input:
        data=[out("results/data/pinn_{problem}.npz")],
        code=code("pinn_train"),
    output:
        out("results/pinn/solver/{problem}.csv"),
    log:
        out("results/logs/pinn/solver_{problem}.log"),
    benchmark:
        out("results/benchmarks/pinn/solver_{problem}.tsv")
    wildcard_constraints:
        problem="|".join(PINN_SEARCH_PROBLEMS),
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(2000),
        runtime=retry_scaled(30),
    params:
        sweeps=lambda w: search_plan.search_sweep(config, w.problem),
        seeds=config["seeds"],
    script:
        script_path("pinn_train")


rule pinn_solver_table:
    """The solver search as a tidy per-seed table (its runs, and the damping table's cells at
    the tables' lr); drawn by pinn_search_figures."""
    input:
        runs=[out(f"results/pinn/solver/{p}.csv") for p in PINN_SEARCH_PROBLEMS],
        damping=PINN_RESULTS["pinn_ngd_damping"],
        code=code("pinn_solver_table"),
    output:
        tidy=PINN_SEARCH_RESULT,
    log:
        out("results/logs/pinn/solver_table.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        problems=PINN_SEARCH_PROBLEMS,
        reuse_lr=pinn_plan.lr(PINN["optimizers"]["NGD"]["lr"]),
        dampings=[float(d) for d in PINN_SEARCH["dampings"]],
        scale=config["scale"],
    script:
        script_path("pinn_solver_table")


rule pinn_contraction:
    """C7: Theorem 4.7's bound L(k) <= (1 - eta)^k L(0) along the lr table's NGD runs (every
    lr of the grid, main width, every seed; |r_k| is logged at every NGD step)."""
    input:
        run=out(pinn_plan.run_file(PINN["lr_grid"]["problem"], "NGD")),
        code=code("pinn_contraction"),
    output:
        PINN_CONTRACTION,
    log:
        out("results/logs/pinn/contraction.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        lrs=[pinn_plan.lr(lr) for lr in PINN["lr_grid"]["lrs"]],
        width=int(PINN["width"]),
    script:
        script_path("pinn_contraction")


rule pinn_gd_edge:
    """C8: GD's largest stable step by bisection per problem and seed (main width, the paper's
    SGD epochs), with lambda_max of H(0) and of the loss Hessian at initialization."""
    input:
        data=[out(f"results/data/pinn_{p}.npz") for p in PINN_EDGE["problems"]],
        code=code("pinn_gd_edge"),
    output:
        PINN_GD_EDGE,
    log:
        out("results/logs/pinn/gd_edge.log"),
    benchmark:
        out("results/benchmarks/pinn/gd_edge.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(1000),
        runtime=retry_scaled(20),
    params:
        problems=list(PINN_EDGE["problems"]),
        steps={p: pinn_plan.steps(config, p, "SGD") for p in PINN_EDGE["problems"]},
        seeds=config["seeds"],
        width=int(PINN["width"]),
        activation=PINN["activation"],
        c_lo=PINN_EDGE["c_lo"],
        c_hi=PINN_EDGE["c_hi"],
        iters=PINN_EDGE["iters"],
    script:
        script_path("pinn_gd_edge")


PINN_GRAM_NORM = PINN["gram_normalization"]


rule pinn_gram_normalization:
    """The paper's Gram numbers traced: the poisson1d Gram at initialization under both
    normalizations for each collocation count n and width m (issue 24 part 5)."""
    input:
        code=code("pinn_gram_normalization"),
    output:
        tidy=out("results/pinn/pinn_gram_normalization.csv"),
    log:
        out("results/logs/pinn/gram_normalization.log"),
    benchmark:
        out("results/benchmarks/pinn/gram_normalization.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(2000),
        runtime=retry_scaled(10),
    params:
        ns=list(PINN_GRAM_NORM["ns"]),
        widths=list(PINN_GRAM_NORM["widths"]),
        all_seeds_max_n=PINN_GRAM_NORM["all_seeds_max_n"],
        seeds=config["seeds"],
        data_seed=PINN["data_seed"],
        activation=PINN["activation"],
        scale=config["scale"],
    script:
        script_path("pinn_gram_normalization")


# C1/C2's budgets stated (issue 24 part 6): L-BFGS at fewer iterations on one problem; the
# config's own iteration count is the optimizer table's run (read, not trained again).
PINN_LBFGS = PINN["lbfgs_budget"]
PINN_LBFGS_MAIN = int(PINN["optimizers"]["LBFGS"]["iterations"])
CLAIM_INPUTS["pinn"].update(lbfgs_budget=out("results/pinn/pinn_lbfgs_budget.csv"))


rule pinn_lbfgs_train:
    """L-BFGS on the budget table's problem at each iteration count but the config's, every
    seed, one job (pinn_train's script and format; column ``steps``)."""
    input:
        data=[out(f"results/data/pinn_{PINN_LBFGS['problem']}.npz")],
        code=code("pinn_train"),
    output:
        out("results/pinn/lbfgs/budget.csv"),
    log:
        out("results/logs/pinn/lbfgs_budget.log"),
    benchmark:
        out("results/benchmarks/pinn/lbfgs_budget.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(1000),
        runtime=retry_scaled(10),
    params:
        sweeps=lambda w: search_plan.lbfgs_sweep(config),
        seeds=config["seeds"],
    script:
        script_path("pinn_train")


rule pinn_lbfgs_table:
    """The L-BFGS budget table: tidy per-seed rows (iterations, seed, ...) from the budget runs
    and the optimizer table's L-BFGS run, and figures/pinn_lbfgs_budget.{csv,md,png}."""
    input:
        budget=out("results/pinn/lbfgs/budget.csv"),
        main=out(pinn_plan.run_file(PINN_LBFGS["problem"], "LBFGS")),
        optimizers=PINN_RESULTS["pinn_optimizers"],
        code=code("pinn_lbfgs_table"),
    output:
        tidy=out("results/pinn/pinn_lbfgs_budget.csv"),
    log:
        out("results/logs/pinn/lbfgs_table.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        problem=PINN_LBFGS["problem"],
        iterations=[int(k) for k in PINN_LBFGS["iterations"]],
        main_iterations=PINN_LBFGS_MAIN,
        lr=pinn_plan.lr(PINN["optimizers"]["LBFGS"]["lr"]),
        width=int(PINN["width"]),
        scale=config["scale"],
    script:
        script_path("pinn_lbfgs_table")


rule pinn_search_figures:
    """Section C's search tables figures/{pinn_ngd_solver, pinn_gram_normalization,
    pinn_lbfgs_budget}.{csv,md,png} from their tidy tables (compute, then draw; redrawn by the
    redraw profile)."""
    input:
        solver=PINN_SEARCH_RESULT,
        gram_normalization=out("results/pinn/pinn_gram_normalization.csv"),
        lbfgs_budget=out("results/pinn/pinn_lbfgs_budget.csv"),
        optimizers=PINN_RESULTS["pinn_optimizers"],
        code=code("pinn_search_figures"),
    output:
        reported_tables(PINN_SEARCH_TABLES, PINN_CATEGORY),
    log:
        out("results/logs/pinn/search_figures.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        lbfgs_lr=pinn_plan.lr(PINN["optimizers"]["LBFGS"]["lr"]),
        scale=config["scale"],
    script:
        script_path("pinn_search_figures")
