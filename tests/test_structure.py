"""The package's floors: which modules may import which, and that drawing and aggregation stay
free of torch (their jobs then start in a fraction of a second instead of seconds)."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PKG = SRC / "wideopt"


def _modules(sub: str) -> list[str]:
    return sorted(
        "wideopt." + ".".join(p.relative_to(PKG).with_suffix("").parts).removesuffix(".__init__")
        for p in (PKG / sub).rglob("*.py")
    )


def _imports(path: Path) -> set[str]:
    """Absolute names of the wideopt modules a file imports (relative imports resolved)."""
    tree = ast.parse(path.read_text())
    pkg = ["wideopt", *path.relative_to(PKG).parent.parts]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - node.level + 1]
                found.add(".".join(base + ([node.module] if node.module else [])))
            else:
                found.add(node.module or "")
    return {m for m in found if m.startswith("wideopt")}


@pytest.mark.parametrize(("floor", "forbidden"), [
    ("models", ("wideopt.data", "wideopt.kernels", "wideopt.training", "wideopt.analysis",
                "wideopt.plots")),
    ("analysis", ("wideopt.plots", "wideopt.training", "wideopt.models")),
    ("pde.py", ("wideopt.data", "wideopt.models", "wideopt.training", "wideopt.kernels")),
    ("activations.py", ("wideopt.",)),
])
def test_no_upward_imports(floor, forbidden):
    files = [PKG / floor] if floor.endswith(".py") else sorted((PKG / floor).rglob("*.py"))
    bad = {}
    for f in files:
        if not f.exists():
            continue
        hits = {m for m in _imports(f) if m.startswith(forbidden) and m != "wideopt."}
        if hits:
            bad[str(f.relative_to(SRC))] = sorted(hits)
    assert not bad, f"{floor} imports from a floor above it: {bad}"


def test_drawing_and_aggregation_do_not_import_torch():
    """Importing every module under wideopt.plots and wideopt.analysis, in one fresh
    interpreter, leaves torch and Lightning out of sys.modules."""
    modules = _modules("plots") + _modules("analysis")
    code = ("import sys\n"
            + "".join(f"import {m}\n" for m in modules)
            + "print(','.join(m for m in ('torch', 'lightning', 'pytorch_lightning') "
              "if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"importing {modules} loads {out.stdout.strip()}"
