# Shared helpers: config validation, code-dependency inputs, wildcard constraints.
import ast
import functools
from pathlib import Path

from snakemake.utils import validate

validate(config, "../schemas/config.schema.yaml")

ROOT = Path(workflow.basedir)
PKG = "wideopt"

# Filled by each family's .smk: figure/table files built by `figures`, and the named inputs
# each family's claim evaluators read.
FIGURE_TARGETS = []
CLAIM_INPUTS = {}

# GPU convention: jobs that can use a GPU get `resources: gpu=1` (listed once, in GPU_RULES
# of workflow/rules/cluster.smk, included last); run locally with `--resources gpu=N` to keep
# at most N of them at a time. cluster.smk also scales mem_mb/runtime by the retry attempt.

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
