# The claims scorecard and the report gallery's entry for it.


rule claims:
    """Evaluate every claim of the families built; the others are `not-run`."""
    input:
        unpack(lambda w: {f"{fam}__{k}": v for fam, d in CLAIM_INPUTS.items() for k, v in d.items()}),
        code=code("claims"),
    output:
        csv=report("figures/claims.csv", caption="../report/claims.rst", category="Scorecard"),
        md="figures/claims.md",
    params:
        scale=config["scale"],
        families=lambda w: {fam: list(d) for fam, d in CLAIM_INPUTS.items()},
    log:
        "results/logs/claims.log",
    localrule: True
    script:
        script_path("claims")
