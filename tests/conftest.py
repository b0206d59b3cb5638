"""Shared fixtures: the repository root and a way to run Snakemake in a copy of it."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QUICK = "workflow/config/quick.yaml"
# Generated or private folders never copied into a test workspace. The virtual environments
# (.ci/run makes .ci-venv in the clone, ~1.5 GB) are used through sys.executable, never from
# the copy: copying them made every workspace ~2.3 GB and filled a disk over repeated runs.
IGNORE = shutil.ignore_patterns(".git", "results", "figures", ".snakemake", "report.html",
                                "__pycache__", ".pytest_cache", ".ruff_cache", "*.egg-info",
                                ".ci-venv", ".venv", "venv",
                                "quick", "gpu", "custom")  # the other scales' output roots


# The published paper-scale record (tracked, see .gitignore): figures/ and these under results/.
PUBLISHED = ("figures/*", "results/*/*.csv", "results/claims/inputs.json", "results/runs.csv")


def published_files(root: Path) -> list[Path]:
    """The published record's files under ``root``, relative to it."""
    return sorted(p.relative_to(root) for pat in PUBLISHED for p in root.glob(pat) if p.is_file())


def copy_repo(dest: Path, published: bool = False) -> Path:
    """Copy the working tree (sources, workflow, config; not generated outputs) to ``dest``;
    with ``published``, also the published paper-scale record (figures/, results tables)."""
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    for rel in published_files(ROOT) if published else []:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
    return dest


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``python -m snakemake ARGS`` in ``workdir`` with this interpreter."""
    proc = subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=workdir,
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def built_quick(tmp_path_factory) -> Path:
    """A copy of the repo in which the quick DAG (`figures`) and the report were built once."""
    # With the published paper-scale record, which the quick run must leave untouched.
    work = copy_repo(tmp_path_factory.mktemp("quick") / "repo", published=True)
    snakemake(work, "--cores", "2", "figures", "--configfile", QUICK)
    snakemake(work, "--cores", "1", "figures", "--configfile", QUICK, "--report", "report.html")
    return work
