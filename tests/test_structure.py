"""The package's floors: which modules may import which, and that drawing and aggregation stay
free of torch (their jobs then start in a fraction of a second instead of seconds)."""

import ast
import math
import os
import re
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


AGGREGATION = sorted(p for p in (PKG / "analysis").glob("*.py"))


def test_aggregation_imports_neither_judging_nor_publishing():
    """analysis/*.py (fits, tables, summaries, the Estimate) is the floor under
    analysis/judging and analysis/publishing: it never imports them."""
    bad = {str(f.relative_to(SRC)): sorted(hits) for f in AGGREGATION
           if (hits := {m for m in _imports(f) if m.startswith(
               ("wideopt.analysis.judging", "wideopt.analysis.publishing"))})}
    assert not bad, f"aggregation imports judging or publishing: {bad}"


# ---------------------------------------------------------------- claims declared by families

FAMILY_MODULES = sorted((PKG / "analysis" / "judging").glob("claims_*.py"))
# Where a statement shows a number after a comparison ("rho <= -0.8", "within [-0.6, -0.4]",
# "within 15%", "at most 10x", "below 1e-3"), the number and its unit.
NUMBER = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"
SHOWN = re.compile(rf"(?:<=|>=|<|>|\bwithin|\bin|\bat most|\bbelow)\s*\[?\s*({NUMBER})(%?)"
                   rf"(?:,\s*({NUMBER})\])?")
TYPED = re.compile(r"(?:<=|>=|<|>|\bwithin|\bin|\bat most|\bbelow)\s*\[?\s*-?\d")
# Claims whose statement gives the threshold in words ("decreases", "lowest", "half"), not as
# a number: every other statement shows its threshold's bounds.
WORDED = {"A2", "B2", "B4", "C1", "C3", "C7", "D4", "E5"}  # C7: L(k) <= (1 - eta)^k L(0)


def _declared_ids(path: Path) -> list[str]:
    """Ids of the ``Claim(...)`` calls in a module's source (first argument or ``id=``)."""
    ids = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Claim":
            arg = node.args[0] if node.args else next(
                k.value for k in node.keywords if k.arg == "id")
            ids.append(arg.value)
    return ids


def test_every_scorecard_claim_is_declared_once_in_one_family_module():
    from wideopt.analysis.judging import claims

    declared = {f.stem: _declared_ids(f) for f in FAMILY_MODULES}
    where = [(cid, fam) for fam, ids in declared.items() for cid in ids]
    twice = sorted({cid for cid, _ in where if sum(c == cid for c, _ in where) > 1})
    assert not twice, f"claims declared more than once: {twice}"
    card = claims.scorecard({})  # every claim, not-run
    assert sorted(card.claim_id) == sorted(cid for cid, _ in where)
    assert list(card.claim_id) == [c.id for c in claims.CATALOGUE]
    assert sorted(m.__name__.rsplit(".", 1)[-1] for m in claims.FAMILIES) == sorted(declared)
    for module in claims.FAMILIES:
        name = module.__name__.rsplit(".", 1)[-1]
        assert name == f"claims_{module.FAMILY}"
        assert (SRC.parent / "workflow" / "rules" / f"{module.FAMILY}.smk").is_file()
        assert [c.id for c in module.CLAIMS] == declared[name]
        assert {c.family for c in module.CLAIMS} == {module.FAMILY}


def _shown(text: str) -> list[float]:
    """The numbers a statement shows after a comparison; ``p%`` is the band [1 - p, 1 + p]."""
    out = []
    for m in SHOWN.finditer(text):
        x = float(m.group(1))
        out += [1 - x / 100, 1 + x / 100] if m.group(2) else [x]
        out += [float(m.group(3))] if m.group(3) else []
    return out


def statement_mismatches(claim) -> list[str]:
    """Where a claim's statement and its thresholds disagree: a number typed into the
    statement's template after a comparison (it would not follow the threshold); a shown
    number that is no bound of the claim's bands; a threshold the statement does not show."""
    bounds = [b for band in claim.bands() for b in band.bounds()]
    out = [f"{claim.id}: number typed in the statement: {t!r}"
           for t in (claim.statement, claim.first_statement or "") if TYPED.search(t)]
    shown = _shown(claim.text)
    out += [f"{claim.id}: shows {x:g}, bounds {bounds}" for x in shown
            if not any(math.isclose(x, b, rel_tol=1e-9) for b in bounds)]
    if claim.id not in WORDED:
        out += [f"{claim.id}: threshold bound {b:g} not shown" for b in claim.threshold.bounds()
                if not any(math.isclose(x, b, rel_tol=1e-9) for x in shown)]
    return out


def test_every_statement_shows_its_thresholds():
    """A statement's number and the evaluator's threshold are one constant (the claim's
    ``Band``); and the check is not blind: a statement typed by hand beside a moved threshold
    is caught."""
    import dataclasses

    from wideopt.analysis.judging import claims
    from wideopt.analysis.judging.claim import Band

    bad = [m for c in claims.CATALOGUE for m in statement_mismatches(c)]
    assert not bad, bad
    worded = {c.id for c in claims.CATALOGUE if not any(
        math.isclose(x, b) for x in _shown(c.text) for b in c.threshold.bounds())}
    assert worded == WORDED
    a1 = next(c for c in claims.CATALOGUE if c.id == "A1")
    assert format(a1.threshold) == "<= -0.8" and format(a1.threshold) in a1.text
    typed = dataclasses.replace(a1, statement=a1.text, threshold=Band(upper=-0.7))
    assert len(statement_mismatches(typed)) == 3  # typed, -0.8 not a bound, -0.7 not shown


def test_claims_declare_the_inputs_their_family_hands_them():
    """Every input a claim declares is one its family's rules hand the evaluators (the
    published record's results/claims/inputs.json), and every handed input is read by some
    claim: the declarations are the evaluators' real inputs (the engine passes no others)."""
    import json

    from wideopt.analysis.judging import claims

    record = json.loads((SRC.parent / "results/claims/inputs.json").read_text())["families"]
    handed = {fam: set(r["tables"]) | set(r["settings"]) for fam, r in record.items()}
    read = {fam: set() for fam in handed}
    for c in claims.CATALOGUE:
        assert set(c.inputs) <= handed[c.family], c.id
        read[c.family] |= set(c.inputs) | set(c.optional)
    # Every handed input is read by some claim; an optional one (reported beside a verdict,
    # e.g. E1's structured direction) may be absent from a record.
    assert all(handed[f] <= read[f] for f in handed), {f: handed[f] - read[f] for f in handed}


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


# ---------------------------------------------------------------- every family has the same parts

def _family_names() -> list[str]:
    from wideopt.analysis.judging.claims import FAMILIES
    return [m.FAMILY for m in FAMILIES]


def _sources() -> dict:
    import yaml
    return yaml.safe_load((ROOT / "workflow/report/sources.yaml").read_text())


ROOT = SRC.parent


@pytest.mark.parametrize("family", _family_names())
def test_every_family_has_the_same_parts(family):
    """docs/extending.md's list, checked: a plan module, a rule file with a ``<family>_figures``
    target, a claims module, an aggregation module, a drawing module, and for every output
    the reproduction report names (workflow/report/sources.yaml) a Snakemake report caption
    (workflow/report/<id>.rst) and a mention where the family plans or builds its outputs (its
    rule files, plan module or aggregation module)."""
    parts = {
        "plan module": PKG / "plan" / f"{family}.py",
        "rule file": ROOT / "workflow/rules" / f"{family}.smk",
        "claims module": PKG / "analysis/judging" / f"claims_{family}.py",
        "aggregation": PKG / "analysis" / f"{family}_summary.py",
        "figures": PKG / "plots" / f"{family}.py",
    }
    missing = [f"{name} ({path.relative_to(ROOT)})" for name, path in parts.items()
               if not path.is_file()]
    assert not missing, f"family {family} lacks: {missing}"
    rules = "".join(p.read_text() for p in (ROOT / "workflow/rules").glob(f"{family}*.smk"))
    assert re.search(rf"^rule {family}_figures:", rules, re.M), \
        f"workflow/rules/{family}.smk has no `{family}_figures` target"
    outputs = list(_sources()[family]["captions"])
    assert outputs, f"workflow/report/sources.yaml lists no output of {family}"
    no_caption = [o for o in outputs if not (ROOT / "workflow/report" / f"{o}.rst").is_file()]
    assert not no_caption, f"{family}: outputs without workflow/report/<id>.rst: {no_caption}"
    planned = rules + parts["plan module"].read_text() + parts["aggregation"].read_text()
    not_built = [o for o in outputs if o not in planned]
    assert not not_built, f"{family}: outputs no rule, plan or aggregation names: {not_built}"


def test_every_report_caption_belongs_to_a_family_output():
    """The converse: no caption file is left over from an output that no family builds."""
    outputs = {o for f in _family_names() for o in _sources()[f]["captions"]}
    shared = {"claims", "claims_figure"}  # the scorecard (workflow/rules/claims.smk)
    stray = sorted(p.stem for p in (ROOT / "workflow/report").glob("*.rst")
                   if p.stem not in outputs | shared)
    assert not stray, f"captions of no family output: {stray}"
