# The claims scorecard (compute: claims.csv and the checks behind them; write: claims.md; draw:
# claims.png)
# and the report gallery's entries for it.


rule claims:
    """Evaluate every claim of the families built; the others are `not-run`."""
    input:
        unpack(
            lambda w: {f"{fam}__{k}": v for fam, d in CLAIM_INPUTS.items() for k, v in d.items()}
        ),
        code=code("claims"),
    output:
        csv=report(out("figures/claims.csv"), caption="../report/claims.rst", category="Scorecard"),
        checks=out("results/claims/checks.csv"),
        inputs=out("results/claims/inputs.json"),
        first=out("results/claims/first_statements.csv"),
    log:
        out("results/logs/claims.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        # `snakemake --lint --configfile <quick>` flags this ("param is a prefix of an output"):
        # a false positive, the scale's name is also its output root (quick/figures/...).
        scale=config["scale"],
        families=lambda w: {fam: list(d) for fam, d in CLAIM_INPUTS.items()},
        # Non-file settings an evaluator needs (e.g. the width from which slopes are fitted).
        settings=lambda w: {fam: CLAIM_SETTINGS.get(fam, {}) for fam in CLAIM_INPUTS},
    script:
        script_path("claims")


rule claims_markdown:
    """figures/claims.md from figures/claims.csv: one short row per claim, then the statements
    and reasons (wideopt.analysis.publishing.scorecard)."""
    input:
        card=out("figures/claims.csv"),
        first=out("results/claims/first_statements.csv"),
        code=code("claims_markdown"),
    output:
        md=out("figures/claims.md"),
    log:
        out("results/logs/claims_markdown.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    script:
        script_path("claims_markdown")


rule claims_figure:
    """The scorecard figure: each claim's deciding value and interval vs its threshold."""
    input:
        checks=out("results/claims/checks.csv"),
        card=out("figures/claims.csv"),
        code=code("claims_figure"),
    output:
        png=report(
            out("figures/claims.png"), caption="../report/claims_figure.rst", category="Scorecard"
        ),
        pdf=out("figures/claims.pdf"),
    log:
        out("results/logs/claims_figure.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        # `--lint` at quick scale: "param is a prefix of an output", a false positive (above).
        scale=config["scale"],
    script:
        script_path("claims_figure")
