"""Formatting and lint as the ecosystem does them: snakefmt for the Snakefile and the rule files
(configured in pyproject.toml, line length as ruff's) and ruff for the Python. A file that either
tool would change or flag fails here, with the tool's own message."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

SNAKEMAKE_FILES = ["Snakefile", *sorted(str(p.relative_to(ROOT))
                                        for p in (ROOT / "workflow/rules").glob("*.smk"))]
PYTHON_DIRS = ["src", "tests", "workflow/scripts", "benchmarks"]


def _tool(name: str) -> str:
    """The tool installed beside this interpreter (the venv's), else the one on PATH."""
    path = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: pip install -c envs/constraints.txt -e '.[dev]'")
    return path


def test_snakemake_files_are_snakefmt_formatted():
    out = subprocess.run([_tool("snakefmt"), "--check", "--diff", *SNAKEMAKE_FILES], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, f"snakefmt would reformat:\n{out.stdout}\n{out.stderr}"


def test_python_passes_ruff():
    out = subprocess.run([_tool("ruff"), "check", *PYTHON_DIRS], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stdout + out.stderr
