# Section B: gradient-flow training on the sphere with Sobolev targets (seed 001).
# data (f_alpha samples per d) -> NTK spectra per d (all activations), GD runs per width (all
# alphas and seeds), harmonic baseline -> aggregated tables and the per-seed decay fits
# (results/sobolev/) -> four figures, the rendered decay table and claims B1-B6. Jobs are
# coarse on purpose: importing torch + Lightning costs ~3-10 s of CPU per process here, more
# than most of the work at quick scale.
# Cost model: wideopt.plan.sobolev.
from wideopt.plan import sobolev as sob_plan

SOB = config["sobolev"]
SOB_TRAIN = SOB["train"]
SOB_FIGURES = [
    "sobolev_ntk_spectrum",
    "sobolev_error_rates",
    "sobolev_vs_classical",
    "sobolev_weight_distance",
]
SOB_TABLES = ["sobolev_decay_exponents"]
SOB_CATEGORY = "B. Gradient flow on the sphere"

FIGURE_TARGETS += figure_files(SOB_FIGURES) + table_files(SOB_TABLES)
CLAIM_INPUTS["sobolev"] = {
    "decay": out("results/sobolev/sobolev_decay_exponents.csv"),
    "runs": out("results/sobolev/runs.csv"),
    "classical": out("results/sobolev/classical.csv"),
}


rule sobolev_data:
    """n training and n_test test samples of f_alpha on S^{d-1}, every alpha (same points)."""
    input:
        code=code("sobolev_data"),
    output:
        expand(out("results/data/sobolev_d{{d}}_alpha{alpha}.npz"), alpha=SOB["alphas"]),
    log:
        out("results/logs/sobolev/data_d{d}.log"),
    benchmark:
        out("results/benchmarks/sobolev/data_d{d}.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(1500),
        runtime=retry_scaled(5),
    params:
        alphas=SOB["alphas"],
        n_train=SOB_TRAIN["n_train"],
        n_test=SOB["n_test"],
        seed=SOB["data_seed"],
        ell_max=SOB["ell_max"],
    script:
        script_path("sobolev_data")


rule sobolev_spectrum:
    """Eigenvalues of the empirical NTK Gram H/n for every activation and seed, on n points
    of S^{d-1}, plus the infinite-width ReLU closed form on the same points."""
    input:
        code=code("sobolev_spectrum"),
    output:
        points=out("results/data/sobolev_ntk_points_d{d}.npz"),
        spectra=out("results/sobolev/spectrum/d{d}.csv"),
    log:
        out("results/logs/sobolev/spectrum_d{d}.log"),
    benchmark:
        out("results/benchmarks/sobolev/spectrum_d{d}.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(estimate(sob_plan.spectrum_mem_mb)),
        runtime=retry_scaled(estimate(sob_plan.spectrum_runtime)),
    params:
        n_points=SOB["spectrum"]["n_points"],
        seed=SOB["data_seed"],
        activations=SOB["spectrum"]["activations"],
        width=SOB["spectrum"]["width"],
        seeds=config["seeds"],
        preact_var=SOB["preact_var"],
    script:
        script_path("sobolev_spectrum")


rule sobolev_train:
    """Full-batch GD (small step ~ gradient flow) of the frozen-ends MLP at one width, and
    the infinite-width NTK kernel flow from each run's initial function (claim B3)."""
    input:
        data=expand(out("results/data/sobolev_d{{d}}_alpha{alpha}.npz"), alpha=SOB["alphas"]),
        code=code("sobolev_train"),
    output:
        expand(out("results/sobolev/train/d{{d}}_alpha{alpha}_m{{width}}.csv"), alpha=SOB["alphas"]),
    log:
        out("results/logs/sobolev/train_d{d}_m{width}.log"),
    benchmark:
        out("results/benchmarks/sobolev/train_d{d}_m{width}.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(estimate(sob_plan.train_mem_mb)),
        runtime=retry_scaled(estimate(sob_plan.train_runtime)),
        gpu=1,  # Lightning gradient flow, accelerator="auto" (workflow/rules/resources.smk)
    params:
        # every training setting but the width list: adding a width retrains nothing else
        train={k: v for k, v in SOB_TRAIN.items() if k != "widths"},
        kernel_flow=SOB["kernel_flow"],
        seeds=config["seeds"],
        preact_var=SOB["preact_var"],
    script:
        script_path("sobolev_train")


rule sobolev_classical:
    """Spherical-harmonic baseline for every alpha: exact projection error and discrete LS."""
    input:
        data=expand(out("results/data/sobolev_d{{d}}_alpha{alpha}.npz"), alpha=SOB["alphas"]),
        code=code("sobolev_classical"),
    output:
        out("results/sobolev/classical_d{d}.csv"),
    log:
        out("results/logs/sobolev/classical_d{d}.log"),
    benchmark:
        out("results/benchmarks/sobolev/classical_d{d}.tsv")
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(2000),
        runtime=retry_scaled(5),
    params:
        alphas=SOB["alphas"],
        ell_max=SOB["ell_max"],
        max_degree=SOB["classical"]["max_degree"],
        ls_fraction=SOB["classical"]["ls_max_params_fraction"],
    script:
        script_path("sobolev_classical")


rule sobolev_aggregate:
    """Tidy spectra, training curves, per-run summaries and the classical curves."""
    input:
        spectra=expand(out("results/sobolev/spectrum/d{d}.csv"), d=SOB["dims"]),
        train=expand(
            out("results/sobolev/train/d{d}_alpha{alpha}_m{width}.csv"),
            d=SOB_TRAIN["dim"],
            alpha=SOB["alphas"],
            width=SOB_TRAIN["widths"],
        ),
        classical=expand(out("results/sobolev/classical_d{d}.csv"), d=SOB_TRAIN["dim"]),
        code=code("sobolev_aggregate"),
    output:
        spectra=out("results/sobolev/spectra.csv"),
        curves=out("results/sobolev/curves.csv"),
        runs=out("results/sobolev/runs.csv"),
        classical=out("results/sobolev/classical.csv"),
    log:
        out("results/logs/sobolev/aggregate.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    script:
        script_path("sobolev_aggregate")


rule sobolev_decay:
    """Decay fit of every NTK spectrum (exponent, range used, R^2 of power and geometric
    laws, lambda_K/lambda_1), tidy: one row per (quantity, activation, d, seed)."""
    input:
        spectra=out("results/sobolev/spectra.csv"),
        code=code("sobolev_decay"),
    output:
        out("results/sobolev/sobolev_decay_exponents.csv"),
    log:
        out("results/logs/sobolev/decay.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        fit=SOB["spectrum"]["fit"],
        ratio_index=SOB["spectrum"]["ratio_index"],
    script:
        script_path("sobolev_decay")


rule sobolev_figures:
    """The four section B figures and the rendered decay-exponent table (one process:
    plotting is cheap and each process pays the imports)."""
    input:
        spectra=out("results/sobolev/spectra.csv"),
        curves=out("results/sobolev/curves.csv"),
        runs=out("results/sobolev/runs.csv"),
        classical=out("results/sobolev/classical.csv"),
        decay=out("results/sobolev/sobolev_decay_exponents.csv"),
        code=code("sobolev_figures"),
    output:
        **{
            f: report(
                out(f"figures/{f}.png"),
                caption=f"../report/{f}.rst",
                category=SOB_CATEGORY,
                labels={"figure": f},
            )
            for f in SOB_FIGURES
        },
        **{f"{f}_pdf": out(f"figures/{f}.pdf") for f in SOB_FIGURES},
        table_csv=report(
            out("figures/sobolev_decay_exponents.csv"),
            caption="../report/sobolev_decay_exponents.rst",
            category=SOB_CATEGORY,
            labels={"table": "sobolev_decay_exponents"},
        ),
        table_md=out("figures/sobolev_decay_exponents.md"),
        table_png=report(
            out("figures/sobolev_decay_exponents.png"),
            caption="../report/sobolev_decay_exponents.rst",
            category=SOB_CATEGORY,
            labels={"table": "sobolev_decay_exponents (heatmap)"},
        ),
    log:
        out("results/logs/sobolev/figures.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        # the fit's settings name the table's index range in its title
        fit=SOB["spectrum"]["fit"],
        # stamped on every figure; `--lint` at quick scale flags it as "a prefix of an output":
        # a false positive, the scale's name is also its output root (quick/figures/...)
        scale=config["scale"],
    script:
        script_path("sobolev_figures")
