"""Shared fixtures: the repository root and a way to run Snakemake in a copy of it."""

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wideopt.plots.style import LAYOUT_DIR_ENV

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


def snakemake(workdir: Path, *args: str, check: bool = True,
              layout_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m snakemake ARGS`` in ``workdir`` with this interpreter; with
    ``layout_dir``, every figure the run saves has its layout recorded there
    (:func:`wideopt.plots.style.record_layout`)."""
    env = None if layout_dir is None else {**os.environ, LAYOUT_DIR_ENV: str(layout_dir)}
    proc = subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=workdir,
                          capture_output=True, text=True, env=env)
    if check and proc.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


# pytest runs on every core (pyproject.toml: `-n auto --dist loadscope`, pytest-xdist), one
# test file per work unit, except that the files sharing one of the minutes-long session
# fixtures below form one unit: one worker builds the fixture once and runs all its users,
# while the other workers take the remaining files. (xdist's `loadgroup` marks do not reach
# its scheduler under pytest 9.2: node ids no longer carry the group.)
SHARED_FIXTURES = {  # fixture -> the test files that use it
    "built_quick": {"test_compare.py", "test_figure_layout.py", "test_interrupt.py",
                    "test_report.py", "test_workflow.py"},
    "redrawn": {"test_redraw.py"},
}


def pytest_collection_modifyitems(items):
    """Stop, naming the file, when a test uses a shared fixture outside its files in
    SHARED_FIXTURES (its worker would build the fixture a second time)."""
    stray = sorted({f"{item.path.name} uses {f}" for item in items for f in SHARED_FIXTURES
                    if f in item.fixturenames and item.path.name not in SHARED_FIXTURES[f]})
    if stray:
        raise pytest.UsageError(f"tests/conftest.py SHARED_FIXTURES lacks: {stray}")


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: no error without it
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = Path(nodeid.split("::", 1)[0]).name
            return next((f for f, files in SHARED_FIXTURES.items() if file in files), file)

    return SharedFixtureScheduling(config, log)


@pytest.fixture(scope="session")
def built_quick(tmp_path_factory) -> Path:
    """A copy of the repo in which the quick DAG (`figures`) and the report were built once;
    every figure's layout is recorded under ``layout/`` (tests/test_figure_layout.py)."""
    # With the published paper-scale record, which the quick run must leave untouched.
    work = copy_repo(tmp_path_factory.mktemp("quick") / "repo", published=True)
    snakemake(work, "--cores", "2", "figures", "--configfile", QUICK,
              layout_dir=work / "layout")
    snakemake(work, "--cores", "1", "figures", "--configfile", QUICK, "--report", "report.html")
    return work


@pytest.fixture(scope="session")
def redrawn(tmp_path_factory):
    """A copy holding only the committed record, redrawn with `snakemake --profile
    workflow/profiles/redraw`: ``(copy, sha256 of each results/ file before, the dry run's
    stdout, the time it started)``; every figure's layout is recorded under ``layout/``."""
    work = copy_repo(tmp_path_factory.mktemp("redraw") / "repo", published=True)
    before = digests(work, "results")
    plan = snakemake(work, "--profile", "workflow/profiles/redraw", "-n")
    start = time.time()
    time.sleep(1.1)  # coarse file-system clocks: a rewritten file is strictly newer
    snakemake(work, "--profile", "workflow/profiles/redraw", layout_dir=work / "layout")
    return work, before, plan.stdout, start


def digests(root: Path, folder: str) -> dict[str, str]:
    """``{path relative to root: sha256}`` of every file under ``root/folder``."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / folder).rglob("*")) if p.is_file()}
