"""Integration: the quick DAG, the report, incremental reruns after edits, determinism."""

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import QUICK, ROOT, published_files, snakemake

from wideopt.analysis.judging.claims import CATALOGUE

pytestmark = pytest.mark.integration

# The quick scale writes under its own output root (workflow/rules/common.smk: out()).
Q = "quick"

NTK_OUTPUTS = [
    *(f"{Q}/figures/{f}.{e}" for f in ("ntk_init_concentration", "ntk_drift",
                                   "ntk_linearized_dynamics", "ntk_parameterization")
      for e in ("png", "pdf")),
    f"{Q}/figures/ntk_slopes.csv", f"{Q}/figures/ntk_slopes.md", f"{Q}/figures/ntk_slopes.png",
]


# Downstream of every figure: the target rule and the publishing rules (workflow/rules/publish.smk).
PUBLISH_RULES = {"figures", "provenance", "reproduction_report", "manifest"}


def dry_run_jobs(work: Path) -> dict[str, int]:
    """Rule -> job count of `snakemake -n figures` (empty when nothing is to be done)."""
    out = snakemake(work, "-n", "figures", "--configfile", QUICK).stdout
    stats = re.search(r"Job stats:\n.*?\n-+\s+-+\n(.*?)\ntotal", out, re.S)
    if not stats:
        return {}
    return {line.split()[0]: int(line.split()[1]) for line in stats.group(1).splitlines()}


def test_quick_dag_builds_every_output(built_quick: Path):
    for rel in [*NTK_OUTPUTS, f"{Q}/figures/claims.csv", f"{Q}/figures/claims.md",
                f"{Q}/figures/claims.png", "report.html"]:
        path = built_quick / rel
        assert path.is_file() and path.stat().st_size > 0, rel
    # The published paper-scale record (top level) is untouched by a quick run: the same files,
    # byte for byte, as in the repository, and nothing added beside them.
    published = published_files(ROOT)
    assert Path("figures/claims.csv") in published, "no published record in the repository"
    assert published_files(built_quick) == published
    for rel in published:
        assert (built_quick / rel).read_bytes() == (ROOT / rel).read_bytes(), rel
    assert not (built_quick / "results/data").exists()
    card = pd.read_csv(built_quick / f"{Q}/figures/claims.csv")
    assert len(card) == len(CATALOGUE) and set(card.verdict) <= {"pass", "fail", "inconclusive"}
    # Stable at quick scale: no claim of section D may fail there (inconclusive is allowed:
    # two seeds and four widths give wide intervals).
    d = card[card.claim_id.str.startswith("D")]
    assert set(d.verdict) <= {"pass", "inconclusive"}, d[["claim_id", "verdict", "why"]]
    report = (built_quick / "report.html").read_text(errors="replace")
    assert "ntk_drift" in report


def test_nothing_to_do_after_a_build_and_after_editing_the_readme(built_quick: Path, tmp_path):
    work = shutil.copytree(built_quick, tmp_path / "repo", symlinks=True)
    assert dry_run_jobs(work) == {}
    (work / "README.md").write_text((work / "README.md").read_text() + "\nan edit\n")
    assert dry_run_jobs(work) == {}


def test_editing_one_module_reruns_only_its_jobs_and_downstream(built_quick: Path, tmp_path):
    work = shutil.copytree(built_quick, tmp_path / "repo", symlinks=True)
    module = work / "src/wideopt/training/flows/kernel_regime.py"
    module.write_text(module.read_text() + "\n# an edit that changes the file's content\n")
    jobs = dry_run_jobs(work)
    assert jobs.get("ntk_train", 0) >= 1
    downstream = {"ntk_train", "ntk_aggregate", "ntk_slopes", "ntk_figures", "claims",
                  "claims_markdown", "claims_figure", *PUBLISH_RULES}
    assert set(jobs) <= downstream, jobs


def test_editing_a_plan_module_reruns_nothing(built_quick: Path, tmp_path):
    """Planning and cost models (wideopt.plan) are no job's code input: retuning an estimate
    changes what jobs ask the scheduler for, never what they compute, and reruns nothing."""
    work = shutil.copytree(built_quick, tmp_path / "repo", symlinks=True)
    module = work / "src/wideopt/plan/pinn.py"
    text = module.read_text()
    retuned = text.replace("StepKind.LINE_SEARCH: 2,", "StepKind.LINE_SEARCH: 3,")
    assert retuned != text
    module.write_text(retuned + "\n# an edit that changes the file's content\n")
    assert dry_run_jobs(work) == {}


def test_editing_a_plotting_module_reruns_only_figure_rules(built_quick: Path, tmp_path):
    """Compute, then draw: a cosmetic edit of plots/ reruns no compute job and no claim."""
    work = shutil.copytree(built_quick, tmp_path / "repo", symlinks=True)
    for name in ("ntk", "tables"):
        module = work / f"src/wideopt/plots/{name}.py"
        module.write_text(module.read_text() + "\n# a cosmetic edit\n")
    jobs = dry_run_jobs(work)
    assert jobs.get("ntk_figures", 0) == 1, jobs
    assert all(rule.endswith("_figures") or rule in PUBLISH_RULES for rule in jobs), jobs


def test_rerunning_a_job_gives_identical_metrics(built_quick: Path, tmp_path):
    work = shutil.copytree(built_quick, tmp_path / "repo", symlinks=True)
    target = f"{Q}/results/ntk/train/ntk/tanh.csv"
    before = (work / target).read_bytes()
    snakemake(work, "--cores", "1", target, "--forcerun", target, "--configfile", QUICK)
    assert (work / target).read_bytes() == before


@pytest.mark.parametrize(("module", "rules"), [
    ("src/wideopt/training/pinn/deep.py", {"open_ngd_depth", "open_ngd_dimension"}),
    ("src/wideopt/training/operators/variants.py",
     {"open_operators", "open_radius", "open_radius_structured"}),
])
def test_editing_a_section_e_module_reruns_only_section_e(built_quick: Path, tmp_path,
                                                          module, rules):
    """Section E reuses sections A-C's code, never the other way round: a file only E
    imports reruns E's jobs that import it, E's tables and figures, and the scorecard."""
    work = shutil.copytree(built_quick, tmp_path / "repo", symlinks=True)
    path = work / module
    path.write_text(path.read_text() + "\n# an edit that changes the file's content\n")
    jobs = dry_run_jobs(work)
    assert rules <= set(jobs), jobs
    downstream = rules | {"open_aggregate", "open_figures", "claims", "claims_markdown",
                          "claims_figure", *PUBLISH_RULES}
    assert set(jobs) <= downstream, jobs
