# The claims scorecard and the report gallery's entry for it.


rule claims:
    """Evaluate every claim of the families built; the others are `not-run`."""
    input:
        unpack(lambda w: {f"{fam}__{k}": v for fam, d in CLAIM_INPUTS.items() for k, v in d.items()}),
        code=code("claims"),
    output:
        csv=report(out("figures/claims.csv"), caption="../report/claims.rst", category="Scorecard"),
        md=out("figures/claims.md"),
    params:
        # `snakemake --lint --configfile <quick>` flags this ("param is a prefix of an output"):
        # a false positive, the scale's name is also its output root (quick/figures/...).
        scale=config["scale"],
        families=lambda w: {fam: list(d) for fam, d in CLAIM_INPUTS.items()},
    log:
        out("results/logs/claims.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    script:
        script_path("claims")
