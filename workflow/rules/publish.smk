# Publishing a scale's outputs: the run ledger, figures/PROVENANCE.md, (paper scale) the
# reproduction report and, last, the checksum manifest figures/MANIFEST.sha256.
# docs/publishing.md says how to republish after a change.
import os
import sys


onstart:
    # Every invocation that runs jobs (never a dry run, nor a cluster job's own Snakemake, which
    # gets --no-hooks) appends its start, commit and command line to the run ledger; a redraw
    # (workflow/profiles/redraw: config redraw=true) computes nothing and writes no entry.
    if not config["redraw"]:
        sys.path.insert(0, str(ROOT / "src"))
        from wideopt.analysis.publishing.provenance import record_run

        record_run(out("results/runs.csv"), ROOT, config["scale"], ["snakemake", *sys.argv[1:]])


rule provenance:
    """figures/PROVENANCE.md: commit, configuration hash, machine, runs and time per family."""
    input:
        FIGURE_TARGETS,
        out("figures/claims.csv"),
        out("figures/claims.png"),
        code=code("provenance"),
    output:
        out("figures/PROVENANCE.md"),
    log:
        out("results/logs/provenance.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        scale=config["scale"],
        config=config,
        results=out("results"),
    script:
        script_path("provenance")


rule reproduction_report:
    """docs/reproduction.md: for each source what was reproduced, every figure and table, each
    claim with its verdict and why, and our choices where the source is silent (from the
    comments of workflow/config/paper.yaml). Under quick/, gpu/ for the other scales."""
    input:
        FIGURE_TARGETS,
        card=out("figures/claims.csv"),
        first=out("results/claims/first_statements.csv"),
        scorecard_figure=out("figures/claims.png"),
        provenance=out("figures/PROVENANCE.md"),
        config="workflow/config/paper.yaml",
        sources="workflow/report/sources.yaml",
        summary="workflow/report/summary.yaml",
        # What the last republish changed: the committed `wideopt compare` rows, where this
        # scale has them (paper scale), and their reasons (see docs/publishing.md).
        changes=lambda w: [p] if os.path.exists(p := out("results/claims/changes.csv")) else [],
        changes_notes="workflow/report/changes.yaml",
        code=code("reproduction_report"),
    output:
        md=out("docs/reproduction.md"),
    log:
        out("results/logs/reproduction_report.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        # The folder of the scorecard, i.e. the scale's figures/ (a function: see --lint).
        figures_dir=lambda w, input: os.path.dirname(input.card),
    script:
        script_path("reproduction_report")


rule manifest:
    """figures/MANIFEST.sha256: SHA-256 of every published file of this scale (figures, tables,
    scorecard, PROVENANCE.md, the tidy tables, docs/reproduction.md), the manifest excepted;
    written last, after all of them (wideopt.analysis.publishing.manifest). tests/
    test_published.py checks the committed record against it."""
    input:
        FIGURE_TARGETS,
        out("figures/claims.csv"),
        out("figures/claims.md"),
        out("figures/claims.png"),
        out("results/claims/inputs.json"),
        out("figures/PROVENANCE.md"),
        out("docs/reproduction.md"),
        code=code("manifest"),
    output:
        out("figures/MANIFEST.sha256"),
    log:
        out("results/logs/manifest.log"),
    localrule: True
    conda:
        "../../envs/wideopt.yaml"
    params:
        # The scale's output root ("." at paper scale, else the scale's folder): the folder
        # above the manifest's figures/ (a function of the output: see --lint).
        root=lambda w, output: os.path.dirname(os.path.dirname(output[0])) or ".",
    script:
        script_path("manifest")
