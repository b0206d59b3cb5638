# Shared helpers: config validation, output roots, code-dependency inputs, wildcard
# constraints. Nothing here knows a family: each family's planning (job grids, sweeps, data
# sets, cost models) is the torch-free module wideopt.plan.<family>, imported by its rule file.
import ast
import functools
import sys
from pathlib import Path

from snakemake.utils import validate

validate(config, "../schemas/config.schema.yaml")

ROOT = Path(workflow.basedir)
PKG = "wideopt"
# The rule files import the plan modules (wideopt.plan.*) of this checkout, even where another
# copy of the package is pip-installed. No job imports them: retuning an estimate reruns nothing.
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

# Each scale writes under its own output root, so a quick (or GPU) run never overwrites the
# paper-scale outputs: paper scale at the top level (results/, figures/), every other scale
# under a folder named after it (quick/results/, quick/figures/, gpu/...).
OUTPUT_ROOT = "" if config["scale"] == "paper" else config["scale"]


def out(path):
    """``path`` (``results/...`` or ``figures/...``) under this scale's output root; a list
    of paths (e.g. a plan module's, relative to the root) path by path."""
    if not isinstance(path, str):
        return [out(p) for p in path]
    return f"{OUTPUT_ROOT}/{path}" if OUTPUT_ROOT else path


def table_files(ids):
    """The rendered files of each table id: figures/ID.csv (summary), .md and .png."""
    return [out(f"figures/{i}.{ext}") for i in ids for ext in ("csv", "md", "png")]


def reported_tables(ids, category):
    """table_files(ids), the CSV and PNG marked for Snakemake's report with the caption
    workflow/report/<id>.rst (the Markdown stays out: the report shows the CSV)."""
    return [f if f.endswith(".md") else _table_report(f, category) for f in table_files(ids)]


def _table_report(f, category):
    """(A line that starts with the word report is Snakemake's `report:` keyword, hence the
    alias.)"""
    label = Path(f).stem + (" (heatmap)" if f.endswith(".png") else "")
    return _report(
        f, caption=f"../report/{Path(f).stem}.rst", category=category, labels={"table": label}
    )


_report = report


def figure_files(ids):
    """The files of each figure id: figures/ID.png and figures/ID.pdf."""
    return [out(f"figures/{i}.{ext}") for i in ids for ext in ("png", "pdf")]


# Filled by each family's .smk: figure/table files built by `figures`, and the named inputs
# each family's claim evaluators read.
FIGURE_TARGETS = []
CLAIM_INPUTS = {}
# Non-file settings an evaluator reads beside its family's tables (family -> {name: value}).
CLAIM_SETTINGS = {}

# GPU convention and retry scaling of mem_mb/runtime: workflow/rules/resources.smk.

# Non-Python files a module reads at run time (package resources).
MODULE_RESOURCES = {
    "wideopt.analysis.tables": ["src/wideopt/analysis/paper_values.csv"],
}


wildcard_constraints:
    width=r"\d+",
    seed=r"\d+",
    n=r"\d+",
    act=r"[a-z0-9]+",
    scheme=r"ntk|mean_field",
    d=r"\d+",
    alpha=r"[0-9]+(\.[0-9]+)?",


def _module_path(module):
    """Repo-relative path of a wideopt module (package __init__ or .py file), or None."""
    parts = module.split(".")
    base = Path("src", *parts)
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if (ROOT / cand).is_file():
            return str(cand)
    return None


@functools.cache
def _imports_of(path):
    """wideopt modules imported by one file (absolute and relative imports), from its AST."""
    tree = ast.parse((ROOT / path).read_text(), filename=str(path))
    if path.startswith("src/"):
        here = list(Path(path).with_suffix("").parts[1:])
        if here[-1] == "__init__":
            here = here[:-1]
        package = here if path.endswith("__init__.py") else here[:-1]
    else:
        package = []
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.add(mod)
            found.update(f"{mod}.{a.name}" for a in node.names)
    return tuple(sorted(m for m in found if m == PKG or m.startswith(f"{PKG}.")))


@functools.cache
def code_deps(entry):
    """Package files a job's script imports, transitively (plus their parent __init__s).

    Declared as the job's `code` input, so that editing e.g. src/wideopt/models/fno.py
    reruns exactly the jobs whose scripts import it, and what is downstream of them.
    """
    seen, todo, files = set(), [entry], {entry}
    while todo:
        for mod in _imports_of(todo.pop()):
            parts = mod.split(".")
            for i in range(1, len(parts) + 1):
                sub = ".".join(parts[:i])
                if sub in seen:
                    continue
                seen.add(sub)
                path = _module_path(sub)
                if path is not None:
                    files.add(path)
                    todo.append(path)
                    files.update(MODULE_RESOURCES.get(sub, []))
    files.discard(entry)
    return sorted(files)


def script_path(name):
    """Path of the thin wrapper workflow/scripts/NAME.py, relative to the rules folder.

    Use as `script: script_path("NAME")`. (Not called `script`: that name would shadow
    Snakemake's own `script` function and break every script job.)
    """
    return f"../scripts/{name}.py"


def code(name):
    """Code inputs of the wrapper workflow/scripts/NAME.py."""
    return code_deps(f"workflow/scripts/{name}.py")


def module_code(module):
    """Package files that importing the wideopt module MODULE loads, itself included.

    For a wildcard rule whose script imports one of several modules by name at run time
    (e.g. ``wideopt.models.{arch}``): ``code=lambda w: code("x") + module_code(f"...{w.arch}")``
    keeps each job's code inputs exact.
    """
    path = _module_path(module)
    if path is None:
        raise ValueError(f"no module {module} under src/")
    return sorted({path, *code_deps(path)})
