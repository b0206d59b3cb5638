# Section B: gradient-flow training on the sphere with Sobolev targets (seed 001).
# data (f_alpha samples per d) -> NTK spectra per d (all activations), GD runs per width (all
# alphas and seeds), harmonic baseline -> aggregated tables -> four figures, the decay table
# and claims B1-B6. Jobs are coarse on purpose: importing torch + Lightning costs ~3-10 s of
# CPU per process here, more than most of the work at quick scale.

SOB = config["sobolev"]
SOB_TRAIN = SOB["train"]
SOB_FIGURES = [
    "sobolev_ntk_spectrum",
    "sobolev_error_rates",
    "sobolev_vs_classical",
    "sobolev_weight_distance",
]
SOB_CATEGORY = "B. Gradient flow on the sphere"

FIGURE_TARGETS += expand("figures/{id}.{ext}", id=SOB_FIGURES, ext=["png", "pdf"])
FIGURE_TARGETS += expand("figures/sobolev_decay_exponents.{ext}", ext=["csv", "md", "png"])
CLAIM_INPUTS["sobolev"] = {
    "decay": "figures/sobolev_decay_exponents.csv",
    "runs": "results/sobolev/runs.csv",
    "classical": "results/sobolev/classical.csv",
}


rule sobolev_data:
    """n training and n_test test samples of f_alpha on S^{d-1}, every alpha (same points)."""
    input:
        code=code("sobolev_data"),
    output:
        expand("results/data/sobolev_d{{d}}_alpha{alpha}.npz", alpha=SOB["alphas"]),
    params:
        alphas=SOB["alphas"],
        n_train=SOB_TRAIN["n_train"],
        n_test=SOB["n_test"],
        seed=SOB["data_seed"],
        ell_max=SOB["ell_max"],
    log:
        "results/logs/sobolev/data_d{d}.log",
    benchmark:
        "results/benchmarks/sobolev/data_d{d}.tsv"
    threads: 1
    resources:
        mem_mb=1500,
        runtime=5,
    script:
        script_path("sobolev_data")


rule sobolev_spectrum:
    """Eigenvalues of the empirical NTK Gram H/n for every activation and seed, on n points
    of S^{d-1}, plus the infinite-width ReLU closed form on the same points."""
    input:
        code=code("sobolev_spectrum"),
    output:
        points="results/data/sobolev_ntk_points_d{d}.npz",
        spectra="results/sobolev/spectrum/d{d}.csv",
    params:
        n_points=SOB["spectrum"]["n_points"],
        seed=SOB["data_seed"],
        activations=SOB["spectrum"]["activations"],
        width=SOB["spectrum"]["width"],
        seeds=config["seeds"],
        preact_var=SOB["preact_var"],
    log:
        "results/logs/sobolev/spectrum_d{d}.log",
    benchmark:
        "results/benchmarks/sobolev/spectrum_d{d}.tsv"
    threads: 1
    resources:
        # a few n x n Gram copies + n x m activations and gradients, float64
        mem_mb=800
        + (6 * SOB["spectrum"]["n_points"] ** 2 + 8 * SOB["spectrum"]["n_points"] * SOB["spectrum"]["width"])
        * 8
        // 2**20,
        runtime=2
        + len(SOB["spectrum"]["activations"]) * len(config["seeds"]) * SOB["spectrum"]["width"] // 512,
    script:
        script_path("sobolev_spectrum")


rule sobolev_train:
    """Full-batch GD (small step ~ gradient flow) of the frozen-ends MLP at one width."""
    input:
        data=expand("results/data/sobolev_d{{d}}_alpha{alpha}.npz", alpha=SOB["alphas"]),
        code=code("sobolev_train"),
    output:
        expand("results/sobolev/train/d{{d}}_alpha{alpha}_m{{width}}.csv", alpha=SOB["alphas"]),
    params:
        # every training setting but the width list: adding a width retrains nothing else
        train={k: v for k, v in SOB_TRAIN.items() if k != "widths"},
        seeds=config["seeds"],
        preact_var=SOB["preact_var"],
    log:
        "results/logs/sobolev/train_d{d}_m{width}.log",
    benchmark:
        "results/benchmarks/sobolev/train_d{d}_m{width}.tsv"
    threads: 1
    resources:
        mem_mb=lambda w: 1000 + 8 * SOB["n_test"] * int(w.width) * 8 // 2**20,
        # ~12 n m^2 flop per GD step at ~5 GFLOP/s on one shared core, x alphas x seeds
        runtime=lambda w: 2
        + len(SOB["alphas"])
        * len(config["seeds"])
        * (12 * SOB_TRAIN["n_train"] * int(w.width) ** 2 * SOB_TRAIN["steps"])
        // (5e9 * 60),
    script:
        script_path("sobolev_train")


rule sobolev_classical:
    """Spherical-harmonic baseline for every alpha: exact projection error and discrete LS."""
    input:
        data=expand("results/data/sobolev_d{{d}}_alpha{alpha}.npz", alpha=SOB["alphas"]),
        code=code("sobolev_classical"),
    output:
        "results/sobolev/classical_d{d}.csv",
    params:
        alphas=SOB["alphas"],
        ell_max=SOB["ell_max"],
        max_degree=SOB["classical"]["max_degree"],
        ls_fraction=SOB["classical"]["ls_max_params_fraction"],
    log:
        "results/logs/sobolev/classical_d{d}.log",
    benchmark:
        "results/benchmarks/sobolev/classical_d{d}.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    script:
        script_path("sobolev_classical")


rule sobolev_aggregate:
    """Tidy spectra, training curves, per-run summaries and the classical curves."""
    input:
        spectra=expand("results/sobolev/spectrum/d{d}.csv", d=SOB["dims"]),
        train=expand(
            "results/sobolev/train/d{d}_alpha{alpha}_m{width}.csv",
            d=SOB_TRAIN["dim"],
            alpha=SOB["alphas"],
            width=SOB_TRAIN["widths"],
        ),
        classical=expand("results/sobolev/classical_d{d}.csv", d=SOB_TRAIN["dim"]),
        code=code("sobolev_aggregate"),
    output:
        spectra="results/sobolev/spectra.csv",
        curves="results/sobolev/curves.csv",
        runs="results/sobolev/runs.csv",
        classical="results/sobolev/classical.csv",
    log:
        "results/logs/sobolev/aggregate.log",
    localrule: True
    script:
        script_path("sobolev_aggregate")


rule sobolev_figures:
    """The four section B figures and the decay-exponent table (one process: plotting is
    cheap and each process pays the imports)."""
    input:
        spectra="results/sobolev/spectra.csv",
        curves="results/sobolev/curves.csv",
        runs="results/sobolev/runs.csv",
        classical="results/sobolev/classical.csv",
        code=code("sobolev_figures"),
    output:
        **{
            f: report(f"figures/{f}.png", caption=f"../report/{f}.rst", category=SOB_CATEGORY,
                      labels={"figure": f})
            for f in SOB_FIGURES
        },
        **{f"{f}_pdf": f"figures/{f}.pdf" for f in SOB_FIGURES},
        table_csv=report(
            "figures/sobolev_decay_exponents.csv",
            caption="../report/sobolev_decay_exponents.rst",
            category=SOB_CATEGORY,
            labels={"table": "sobolev_decay_exponents"},
        ),
        table_md="figures/sobolev_decay_exponents.md",
        table_png=report(
            "figures/sobolev_decay_exponents.png",
            caption="../report/sobolev_decay_exponents.rst",
            category=SOB_CATEGORY,
            labels={"table": "sobolev_decay_exponents (heatmap)"},
        ),
    params:
        fit=SOB["spectrum"]["fit"],
        ratio_index=SOB["spectrum"]["ratio_index"],
    log:
        "results/logs/sobolev/figures.log",
    localrule: True
    script:
        script_path("sobolev_figures")
