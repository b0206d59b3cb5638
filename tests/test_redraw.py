"""Redraw without retraining (README.md, "Run it"): `snakemake --profile
workflow/profiles/redraw` in a clean copy holding only the committed record.

It must plan only the drawing jobs (no compute rule), rewrite every figure, table, the
scorecard page and figure and the report, leave every file under results/ as it was (only
the drawing jobs' logs appear, under results/logs/), append nothing to the run ledger, keep
figures/PROVENANCE.md and figures/claims.csv (the scorecard's values; claims.md and claims.png
are redrawn from it), and change no value: the redrawn text outputs equal the committed ones
and tests/test_published.py passes in the copy.
"""

import os
import re
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT, digests, snakemake
from layout_records import assert_clean, recorded, run_figures

integration = pytest.mark.integration  # every test but the first runs Snakemake

DRAWING = {"operators_figures", "operators_gd_figures", "sobolev_figures", "pinn_figures",
           "pinn_search_figures", "ntk_figures", "open_figures", "claims_markdown",
           "claims_figure", "reproduction_report", "manifest", "figures"}


def test_the_profile_allows_every_drawing_rule():
    """Every family's figure rule is a drawing rule of the profile (else its outputs would be
    silently kept, not redrawn), and no other rule is."""
    profile = yaml.safe_load((ROOT / "workflow/profiles/redraw/config.yaml").read_text())
    rules = {m for path in (ROOT / "workflow/rules").glob("*.smk")
             for m in re.findall(r"^rule (\w+_figures):", path.read_text(), re.M)}
    assert rules and rules <= set(profile["allowed-rules"])
    assert set(profile["allowed-rules"]) == DRAWING
    assert set(profile["forcerun"]) == DRAWING - {"figures"}


def planned_rules(dry_run: str) -> set[str]:
    """The rule names of a dry run's "Job stats" table."""
    lines = dry_run.splitlines()
    start = lines.index("Job stats:") + 3  # title, header, rule line
    names = []
    for line in lines[start:]:
        if not line.strip() or line.split()[0] == "total":
            break
        names.append(line.split()[0])
    return set(names)


@integration
def test_plans_only_the_drawing_jobs(redrawn):
    _, _, plan, _ = redrawn
    planned = planned_rules(plan)
    assert planned == DRAWING, f"planned: {sorted(planned)}"


@integration
def test_results_untouched_and_no_ledger_entry(redrawn):
    work, before, _, _ = redrawn
    after = digests(work, "results")
    assert {k: v for k, v in after.items() if k in before} == before
    assert all(k.startswith("results/logs/") for k in set(after) - set(before)), \
        sorted(set(after) - set(before))
    assert before  # the copy holds the committed tables


@integration
def test_every_output_rewritten_with_the_same_values(redrawn):
    work, _, _, start = redrawn
    kept = ("PROVENANCE.md", "claims.csv")  # sources of a redraw: the compute run's record
    redrawn_files = [p for p in (work / "figures").iterdir() if p.name not in kept]
    stale = [p.name for p in redrawn_files + [work / "docs/reproduction.md"]
             if p.stat().st_mtime < start]
    assert not stale, f"not rewritten: {stale}"
    for name in kept:
        assert (work / "figures" / name).read_bytes() == (ROOT / "figures" / name).read_bytes()
    text = [p for p in redrawn_files if p.suffix in (".md", ".csv")]
    changed = [p.name for p in text if p.read_bytes() != (ROOT / "figures" / p.name).read_bytes()]
    if (work / "docs/reproduction.md").read_bytes() != (ROOT / "docs/reproduction.md").read_bytes():
        changed.append("docs/reproduction.md")
    assert not changed, (f"redrawn from the committed tables, these differ from the committed "
                         f"record (republish with the redraw command): {changed}")


@integration
def test_published_checks_pass_on_the_redrawn_copy(redrawn):
    work, _, _, _ = redrawn
    env = dict(os.environ, PYTHONPATH=str(work / "src"))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_published.py", "tests/test_markdown_tables.py"],
                          cwd=work, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]


@integration
def test_a_missing_table_is_an_error_not_a_recomputation(redrawn):
    """allowed-rules keeps compute rules out of the DAG: a table missing from the record stops
    the redraw with the file named, it is never recomputed."""
    work, _, _, _ = redrawn
    table = work / "results/ntk/runs.csv"
    kept = table.with_suffix(".kept")
    table.rename(kept)
    try:
        proc = snakemake(work, "--profile", "workflow/profiles/redraw", "-n", check=False)
    finally:
        kept.rename(table)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "MissingInputException" in out and "results/ntk/runs.csv" in out
    assert "ntk_aggregate" not in out and "ntk_train" not in out


@integration
def test_published_record_layout(redrawn):
    """Every published paper-scale figure, as the redraw drew it, has a clean layout
    (tests/test_figure_layout.py says what that means)."""
    work = redrawn[0]
    assert_clean(recorded(work / "layout"), run_figures(work / "figures"))
