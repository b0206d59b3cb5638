# Section A: neural operators benefit from width (seed 000).
# data (GRF inputs + PDE/ODE solutions, one job per {problem}) -> one training job per
# ({arch}, {problem}, {widths}), its seeds trained one after another -> aggregated curves,
# summaries and the tidy final-loss table under results/ -> one figure job (two figures, one
# table) and claims A1-A4 (which read results/ only).
#
# One job per (architecture, problem, width), not per seed: a job's start-up (torch +
# Lightning import, ~4-6 s here) is paid 30 times instead of 90; at paper scale the three
# width-500 FNO jobs (~80 % of the section's cost) still pack onto two cores with the rest
# filling the gaps, and a cluster places each configuration on its own. The optional
# `operators.width_groups` trains several widths in one job (the quick scale: one job per
# architecture and problem, start-up paid 6 times instead of 18): same rule, same script, the
# {widths} wildcard then names the group ("10-30-100") instead of one width ("10").
# Planning (width groups, run files, cost model): wideopt.plan.operators.
from wideopt.plan import operators as ops_plan

OPS = config["operators"]
OPS_ARCHS = list(ops_plan.ARCHS)
OPS_FIGURES = ["operators_loss_curves", "operators_lazy"]
OPS_TABLES = ["operators_final_loss"]
OPS_CATEGORY = "A. Neural operators benefit from width"
OPS_WC = {
    "problem": "|".join(OPS["problems"]),
    "arch": "|".join(OPS_ARCHS),
    "widths": ops_plan.WidthGroup.PATTERN,
}

FIGURE_TARGETS += figure_files(OPS_FIGURES) + table_files(OPS_TABLES)
CLAIM_INPUTS["operators"] = {
    "summary": out("results/operators/summary.csv"),
    "curves": out("results/operators/curves.csv"),
    "final_loss": out("results/operators/operators_final_loss.csv"),
}


rule operators_data:
    """GRF inputs and solutions of one problem: antiderivative (exact, Chebyshev),
    diffusion-reaction (FD + SBDF2) or viscous Burgers (spectral + ETDRK4)."""
    input:
        # The script imports wideopt.data.{problem} by name: each job depends on its own
        # generator only, so editing data/burgers.py regenerates burgers.npz alone.
        code=lambda w: code("operators_data") + module_code(f"wideopt.data.{w.problem}"),
    output:
        out("results/data/{problem}.npz"),
    log:
        out("results/logs/operators/data_{problem}.log"),
    benchmark:
        out("results/benchmarks/operators/data_{problem}.tsv")
    wildcard_constraints:
        problem=OPS_WC["problem"],
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(2000),
        runtime=retry_scaled(5),
    params:
        n_train=OPS["data"]["n_train"],
        n_test=OPS["data"]["n_test"],
        seed=OPS["data"]["seed"],
        options=lambda w: OPS["data"][w.problem],
    script:
        script_path("operators_data")


rule operators_train:
    """Train one architecture (DeepONet or FNO) on one problem at one width (or one group of
    widths): every seed, one after another."""
    input:
        data=out("results/data/{problem}.npz"),
        # The script imports wideopt.models.{arch} by name: editing models/fno.py reruns the
        # FNO jobs only.
        code=lambda w: code("operators_train") + module_code(f"wideopt.models.{w.arch}"),
    output:
        metrics=out("results/operators/runs/{arch}/{problem}/w{widths}.metrics.csv"),
        summary=out("results/operators/runs/{arch}/{problem}/w{widths}.summary.csv"),
    log:
        out("results/logs/operators/train_{arch}_{problem}_w{widths}.log"),
    benchmark:
        out("results/benchmarks/operators/train_{arch}_{problem}_w{widths}.tsv")
    wildcard_constraints:
        **OPS_WC,
    conda:
        "../../envs/wideopt.yaml"
    threads: 1
    resources:
        mem_mb=retry_scaled(estimate(ops_plan.mem_mb)),
        runtime=retry_scaled(estimate(ops_plan.runtime)),
        gpu=1,  # Lightning training, accelerator="auto" (workflow/rules/resources.smk)
    params:
        # the group's widths, parsed from its label once (wideopt.plan.operators.WidthGroup)
        widths=lambda w: list(ops_plan.WidthGroup.parse(w.widths).widths),
        seeds=config["seeds"],
        model=lambda w: OPS[w.arch]["model"],
        train=lambda w: OPS[w.arch]["train"],
    script:
        script_path("operators_train")


rule operators_aggregate:
    """All runs' per-epoch metrics and end-of-run summaries, one tidy table each, and the
    tidy operators_final_loss table (one row per cell and seed)."""
    input:
        metrics=out(ops_plan.run_files(config, "metrics", OPS_ARCHS)),
        summaries=out(ops_plan.run_files(config, "summary", OPS_ARCHS)),
        code=code("operators_aggregate"),
    output:
        curves=out("results/operators/curves.csv"),
        summary=out("results/operators/summary.csv"),
        final_loss=out("results/operators/operators_final_loss.csv"),
    log:
        out("results/logs/operators/aggregate.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        loss_threshold=OPS["loss_threshold"],
    script:
        script_path("operators_aggregate")


rule operators_figures:
    """The section A figures (loss curves, laziness vs width) and the operators_final_loss
    table, drawn from results/ (no torch)."""
    input:
        curves=out("results/operators/curves.csv"),
        summary=out("results/operators/summary.csv"),
        final_loss=out("results/operators/operators_final_loss.csv"),
        code=code("operators_figures"),
    output:
        *[
            report(
                out(f"figures/{fig}.png"),
                caption=f"../report/{fig}.rst",
                category=OPS_CATEGORY,
                labels={"figure": fig},
            )
            for fig in OPS_FIGURES
        ],
        *[out(f"figures/{fig}.pdf") for fig in OPS_FIGURES],
        report(
            out("figures/operators_final_loss.csv"),
            caption="../report/operators_final_loss.rst",
            category=OPS_CATEGORY,
            labels={"table": "operators_final_loss"},
        ),
        out("figures/operators_final_loss.md"),
        report(
            out("figures/operators_final_loss.png"),
            caption="../report/operators_final_loss.rst",
            category=OPS_CATEGORY,
            labels={"table": "operators_final_loss (heatmap)"},
        ),
    log:
        out("results/logs/operators/figures.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        # stamped on every figure; `--lint` at quick scale flags it as "a prefix of an output":
        # a false positive, the scale's name is also its output root (quick/figures/...)
        scale=config["scale"],
        loss_threshold=OPS["loss_threshold"],
    script:
        script_path("operators_figures")
