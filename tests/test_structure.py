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
    ("domains.py", ("wideopt.",)),
    ("plan", ("wideopt.data", "wideopt.models", "wideopt.kernels", "wideopt.analysis",
              "wideopt.plots", "wideopt.pde", "wideopt.training.flows",
              "wideopt.training.operators")),
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


# --- the workflow layer -------------------------------------------------------------------------

WORKFLOW = SRC.parent / "workflow"
# Files every family shares: they may name no family's config section nor a family's globals.
SHARED_RULE_FILES = [SRC.parent / "Snakefile", *(WORKFLOW / "rules" / f for f in (
    "common.smk", "resources.smk", "claims.smk", "publish.smk"))]


def _families() -> list[str]:
    """The family sections of the paper config: its top-level keys that hold a mapping."""
    import yaml

    cfg = yaml.safe_load((WORKFLOW / "config" / "paper.yaml").read_text())
    return [k for k, v in cfg.items() if isinstance(v, dict)]


def test_the_families_are_the_config_sections():
    assert set(_families()) == {"ntk", "sobolev", "pinn", "operators", "open"}


@pytest.mark.parametrize("path", SHARED_RULE_FILES, ids=lambda p: p.name)
def test_shared_rule_files_name_no_family(path):
    """No `config["pinn"]`, `config.get('open')`, `PINN[`, `OPS_...`: a family's planning lives
    in its plan module (wideopt.plan.<family>) and its rule file."""
    import re

    text = path.read_text()
    fams = "|".join(_families())
    globals_ = "|".join(["NTK", "SOB", "PINN", "OPS", "OPEN"])
    patterns = [rf"""config\s*\[\s*["']({fams})["']""", rf"""config\.get\(\s*["']({fams})["']""",
                rf"\b({globals_})(_[A-Z_]+)?\s*\[", rf"\b({globals_})_[A-Z_]+\b"]
    hits = [m.group(0) for p in patterns for m in re.finditer(p, text)]
    assert not hits, f"{path.name} names a family: {hits}"


def _module_file(module: str) -> Path | None:
    base = SRC.joinpath(*module.split("."))
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _closure(path: Path) -> set[str]:
    """The wideopt modules a file imports, transitively (as the rules' code_deps walk them)."""
    seen, todo = set(), [path]
    while todo:
        f = todo.pop()
        names = _imports(f) if f.is_relative_to(PKG) else _script_imports(f)
        for mod in names:
            parts = mod.split(".")
            for i in range(1, len(parts) + 1):
                sub = ".".join(parts[:i])
                if sub not in seen and (found := _module_file(sub)) is not None:
                    seen.add(sub)
                    todo.append(found)
    return seen


def _script_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in found if m.startswith("wideopt")}


def test_no_job_imports_a_plan_module():
    """Cost models and planning never become a job's code input: retuning an estimate reruns
    nothing. No script under workflow/scripts reaches wideopt.plan through its imports."""
    scripts = sorted((WORKFLOW / "scripts").glob("*.py"))
    assert scripts
    bad = {s.name: sorted(m for m in _closure(s) if m.startswith("wideopt.plan"))
           for s in scripts}
    assert not {k: v for k, v in bad.items() if v}, bad
    # the check sees through the package: a script reaches the optimizer registry
    assert "wideopt.training.pinn.optimizers" in _closure(WORKFLOW / "scripts/pinn_train.py")
