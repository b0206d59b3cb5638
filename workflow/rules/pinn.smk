# Section C: natural gradient descent for two-layer PINNs (seed 002).
# data (collocation + test points per problem) -> sweeps per (problem, optimizer) and the NGD
# damping sweep, all seeds in one job -> Gram spectra, NGD convergence runs -> tidy per-seed
# tables under results/pinn/ (pinn_aggregate), C6 rate fits (pinn_convergence_rates) -> five
# tables and one figure (pinn_figures); claims C1-C6 read results/pinn/.
# Planning (collocation sets, sweeps, explanation runs, cost model): wideopt.plan.pinn.
from wideopt.plan import pinn as pinn_plan

PINN = config["pinn"]
PINN_PROBLEMS = pinn_plan.problems(config)
# The optimizers that run, from the config (each an entry of wideopt.training.pinn.optimizers).
PINN_OPTIMIZERS = pinn_plan.optimizers(config)
PINN_EXPLAIN = list(pinn_plan.EXPLAIN)
PINN_TABLES = [*pinn_plan.TABLES, *PINN_EXPLAIN]
PINN_CATEGORY = "C. NGD for two-layer PINNs"
PINN_DAMPINGS = [float(d) for d in PINN["damping_ablation"]["dampings"]]
# The damping sweep trains every damping but the tables' own: that cell is the main NGD run.
PINN_EXTRA_DAMPINGS = pinn_plan.extra_dampings(config)

PINN_DATA = out([pinn_plan.data_file(p) for p in PINN_PROBLEMS])
PINN_EXPLAIN_DATASETS = pinn_plan.explain_datasets(config)
PINN_RESULTS = {t: out(f"results/pinn/{t}.csv") for t in PINN_TABLES}


FIGURE_TARGETS += table_files(PINN_TABLES) + figure_files(["pinn_convergence"])


CLAIM_INPUTS["pinn"] = {
    "optimizers": PINN_RESULTS["pinn_optimizers"],
    "lr": PINN_RESULTS["pinn_lr_robustness"],
    "width": PINN_RESULTS["pinn_width"],
    "gram": PINN_RESULTS["pinn_gram_spectrum"],
    "rates": out("results/pinn/convergence_rates.csv"),
    # the explanation tables, read into the `why` of C1-C4 (never into a verdict)
    **{t.removeprefix("pinn_"): PINN_RESULTS[t] for t in PINN_EXPLAIN},
}


rule pinn_data:
    """Every problem's fixed collocation points (grids; Sobol in 10-d), f = L u* and g = u*
    derived from u*, and independent uniform test points (one job: start-up dominates)."""
    input:
        code=code("pinn_data"),
    output:
        PINN_DATA,
    log:
        out("results/logs/pinn/data.log"),
    benchmark:
        out("results/benchmarks/pinn/data.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(1000),
        runtime=retry_scaled(2),
    params:
        problems={
            p: {k: PINN["problems"][p][k] for k in ("n_interior", "n_boundary")}
            for p in PINN_PROBLEMS
        },
        pde={p: p for p in PINN_PROBLEMS},
        n_test=PINN["n_test"],
        seed=PINN["data_seed"],
    script:
        script_path("pinn_data")


rule pinn_train:
    """One sweep of one problem (an optimizer's (lr, width) variants, or NGD's dampings), every
    seed; full-batch training through Lightning. Diverged seeds stop early and are recorded as
    nan. Tidy: <override columns>, optimizer, seed, step, metric, value."""
    input:
        data=[out("results/data/pinn_{problem}.npz")],
        code=code("pinn_train"),
    output:
        out("results/pinn/runs/{problem}_{sweep}.csv"),
    log:
        out("results/logs/pinn/train_{problem}_{sweep}.log"),
    benchmark:
        out("results/benchmarks/pinn/train_{problem}_{sweep}.tsv")
    wildcard_constraints:
        problem="|".join(PINN_PROBLEMS),
        sweep="|".join(PINN_OPTIMIZERS + ["damping"]),
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(estimate(pinn_plan.train_mem_mb)),
        runtime=retry_scaled(estimate(pinn_plan.train_runtime)),
        gpu=1,  # accelerator="auto" (workflow/rules/resources.smk)
    params:
        sweeps=lambda w: [
            dict(dataset=w.problem, **pinn_plan.sweep_job(config, w.problem, w.sweep))
        ],
        seeds=config["seeds"],
    script:
        script_path("pinn_train")


rule pinn_explain_data:
    """The explanation tables' extra collocation sets (helmholtz2d at other frequencies a on
    its points; poisson2d/poisson10d at other counts), same sampling as pinn_data (one job)."""
    input:
        code=code("pinn_data"),
    output:
        out([pinn_plan.data_file(d) for d in PINN_EXPLAIN_DATASETS]),
    log:
        out("results/logs/pinn/explain_data.log"),
    benchmark:
        out("results/benchmarks/pinn/explain_data.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(1000),
        runtime=retry_scaled(2),
    params:
        problems={
            d: {k: pinn_plan.dataset(config, d)[k] for k in ("n_interior", "n_boundary")}
            for d in PINN_EXPLAIN_DATASETS
        },
        pde={d: pinn_plan.dataset(config, d)["problem"] for d in PINN_EXPLAIN_DATASETS},
        n_test=PINN["n_test"],
        seed=PINN["data_seed"],
    script:
        script_path("pinn_data")


rule pinn_explain_train:
    """The runs one explanation table adds (pinn_explain_sweeps: every collocation set,
    optimizer and seed of the table that no other table trains), in one job; pinn_train's
    script and format (with a ``dataset`` column)."""
    input:
        data=lambda w: out(
            [
                pinn_plan.data_file(d)
                for d in dict.fromkeys(
                    s["dataset"] for s in pinn_plan.explain_sweeps(config, w.table)
                )
            ]
        ),
        code=code("pinn_train"),
    output:
        out("results/pinn/explain/{table}.csv"),
    log:
        out("results/logs/pinn/explain_{table}.log"),
    benchmark:
        out("results/benchmarks/pinn/explain_{table}.tsv")
    wildcard_constraints:
        table="|".join(PINN_EXPLAIN),
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(estimate(pinn_plan.explain_mem_mb)),
        runtime=retry_scaled(estimate(pinn_plan.explain_runtime)),
        gpu=1,  # accelerator="auto" (workflow/rules/resources.smk)
    params:
        sweeps=lambda w: pinn_plan.explain_sweeps(config, w.table),
        seeds=config["seeds"],
    script:
        script_path("pinn_train")


rule pinn_gram:
    """Eigenvalues of J J^T at initialization (main width) as sigma(J)^2 (svdvals, float64),
    every problem and seed, normalized and unnormalized residual; tidy problem, normalization,
    seed, quantity, value."""
    input:
        data=PINN_DATA,
        code=code("pinn_gram"),
    output:
        PINN_RESULTS["pinn_gram_spectrum"],
    log:
        out("results/logs/pinn/gram.log"),
    benchmark:
        out("results/benchmarks/pinn/gram.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(2000),
        runtime=retry_scaled(5),
    params:
        problems=PINN_PROBLEMS,
        seeds=config["seeds"],
        width=PINN["width"],
        activation=PINN["activation"],
        ngd_lr=PINN["optimizers"]["NGD"]["lr"],
    script:
        script_path("pinn_gram")


rule pinn_convergence:
    """NGD at eta = 1 from initialization, and the eta = probe_lr path with a full step probed
    at every iterate, for every problem listed and every seed (C6 at the convergence width),
    and lambda_min/lambda_max of the Gram there (the corollary's hypothesis, kind "gram")."""
    input:
        data=expand(out("results/data/pinn_{problem}.npz"), problem=PINN["convergence"]["problems"]),
        code=code("pinn_convergence"),
    output:
        out("results/pinn/convergence.csv"),
    log:
        out("results/logs/pinn/convergence.log"),
    benchmark:
        out("results/benchmarks/pinn/convergence.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(estimate(pinn_plan.convergence_mem_mb)),
        runtime=retry_scaled(estimate(pinn_plan.convergence_runtime)),
        gpu=1,  # accelerator="auto" (workflow/rules/resources.smk)
    params:
        problems=PINN["convergence"]["problems"],
        seeds=config["seeds"],
        width=PINN["convergence"]["width"],
        steps=PINN["convergence"]["steps"],
        probe_lr=PINN["convergence"]["probe_lr"],
        probe_steps=PINN["convergence"]["probe_steps"],
        activation=PINN["activation"],
        ngd=PINN["ngd_solver"],
    script:
        script_path("pinn_convergence")


rule pinn_convergence_rates:
    """C6: slope of log|r_{k+1}| vs log|r_k| per problem (eta = 1 path; full steps probed along
    the eta = probe_lr path), one row per problem."""
    input:
        conv=out("results/pinn/convergence.csv"),
        code=code("pinn_convergence_rates"),
    output:
        out("results/pinn/convergence_rates.csv"),
    log:
        out("results/logs/pinn/convergence_rates.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    script:
        script_path("pinn_convergence_rates")


rule pinn_aggregate:
    """Tidy per-seed tables results/pinn/<id>.csv (one row per cell and seed, value NaN where
    that seed diverged) from the sweep files, and the optimizer table's loss curves."""
    input:
        runs=out([pinn_plan.run_file(p, o) for p in PINN_PROBLEMS for o in PINN_OPTIMIZERS]),
        damping=out(
            [pinn_plan.run_file(p, "damping") for p in PINN_PROBLEMS if PINN_EXTRA_DAMPINGS]
        ),
        code=code("pinn_aggregate"),
    output:
        optimizers=PINN_RESULTS["pinn_optimizers"],
        lr=PINN_RESULTS["pinn_lr_robustness"],
        width=PINN_RESULTS["pinn_width"],
        damping=PINN_RESULTS["pinn_ngd_damping"],
        curves=out("results/pinn/curves.csv"),
    log:
        out("results/logs/pinn/aggregate.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        problems=PINN_PROBLEMS,
        optimizers=PINN_OPTIMIZERS,
        main_width=PINN["width"],
        default_lr={o: pinn_plan.lr(PINN["optimizers"][o]["lr"]) for o in PINN_OPTIMIZERS},
        lr_grid=PINN["lr_grid"],
        width_ablation=PINN["width_ablation"],
        dampings=PINN_DAMPINGS,
        chosen_damping=float(PINN["ngd_solver"]["damping"]),
    script:
        script_path("pinn_aggregate")


rule pinn_explain:
    """One explanation table as a tidy per-seed file (one row per cell and seed), from its own
    runs and the runs of the other tables it reuses."""
    input:
        # its own runs, the other tables' runs it reuses, the collocation sets' data
        unpack(lambda w: {k: out(v) for k, v in pinn_plan.explain_inputs(config, w.table).items()}),
        code=code("pinn_explain"),
    output:
        out("results/pinn/{table}.csv"),
    log:
        out("results/logs/pinn/explain_{table}_table.log"),
    wildcard_constraints:
        table="|".join(PINN_EXPLAIN),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        cells=lambda w: pinn_plan.explain_cells(config, w.table),
        default_lr={o: pinn_plan.lr(PINN["optimizers"][o]["lr"]) for o in PINN_OPTIMIZERS},
        main_width=PINN["width"],
    script:
        script_path("pinn_explain")


rule pinn_figures:
    """The section C tables (five of the catalogue and three explanation tables, ours beside
    the paper's) and the figure pinn_convergence."""
    input:
        **PINN_RESULTS,
        rates=out("results/pinn/convergence_rates.csv"),
        conv=out("results/pinn/convergence.csv"),
        curves=out("results/pinn/curves.csv"),
        code=code("pinn_figures"),
    output:
        tables=reported_tables(PINN_TABLES, PINN_CATEGORY),
        convergence_png=report(
            out("figures/pinn_convergence.png"),
            caption="../report/pinn_convergence.rst",
            category=PINN_CATEGORY,
            labels={"figure": "pinn_convergence"},
        ),
        convergence_pdf=out("figures/pinn_convergence.pdf"),
    log:
        out("results/logs/pinn/figures.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        lr_problem=PINN["lr_grid"]["problem"],
        width_problem=PINN["width_ablation"]["problem"],
        chosen_damping=float(PINN["ngd_solver"]["damping"]),
        # stamped on every figure; `--lint` at quick scale flags it as "a prefix of an output":
        # a false positive, the scale's name is also its output root (quick/figures/...)
        scale=config["scale"],
    script:
        script_path("pinn_figures")
