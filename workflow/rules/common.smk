# Shared helpers: config validation, code-dependency inputs, wildcard constraints.
import ast
import functools
from pathlib import Path

from snakemake.utils import validate

validate(config, "../schemas/config.schema.yaml")

ROOT = Path(workflow.basedir)
PKG = "wideopt"

# Each scale writes under its own output root, so a quick (or GPU) run never overwrites the
# paper-scale outputs: paper scale at the top level (results/, figures/), every other scale
# under a folder named after it (quick/results/, quick/figures/, gpu/...).
OUTPUT_ROOT = "" if config["scale"] == "paper" else config["scale"]


def out(path):
    """``path`` (``results/...`` or ``figures/...``) under this scale's output root."""
    return f"{OUTPUT_ROOT}/{path}" if OUTPUT_ROOT else path


def table_files(ids):
    """The rendered files of each table id: figures/ID.csv (summary), .md and .png."""
    return [out(f"figures/{i}.{ext}") for i in ids for ext in ("csv", "md", "png")]


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


# Section A (operators): training jobs' width groups and run files.
def ops_widths(label):
    """The widths a training job trains, from its {widths} wildcard ("10" or "10-30-100")."""
    return [int(w) for w in label.split("-")]


def ops_width_groups():
    """Labels of the training jobs' width groups: `operators.width_groups` joined by "-"
    (each group's widths one after another in one job), or one group per width (default)."""
    groups = config["operators"].get("width_groups") or [[w] for w in config["operators"]["widths"]]
    if sorted(w for g in groups for w in g) != sorted(config["operators"]["widths"]):
        raise ValueError(f"config operators.width_groups {groups} must list every width of "
                         f"operators.widths {config['operators']['widths']} exactly once")
    return ["-".join(str(w) for w in g) for g in groups]


def ops_runs(kind, archs):
    return [out(f"results/operators/runs/{a}/{p}/w{g}.{kind}.csv") for a in archs
            for p in config["operators"]["problems"] for g in ops_width_groups()]


# Section C (pinn): the runs each sweep job trains, and their files.
def pinn_lr(lr):
    """Canonical form of a learning rate: 0.001 -> 0.001, 1.0 -> 1.0 (via '%g')."""
    return float(f"{float(lr):g}")


def pinn_steps(problem, optimizer):
    """Full-batch iterations of one run: the paper's epochs per optimizer and problem."""
    if optimizer == "LBFGS":
        return config["pinn"]["optimizers"]["LBFGS"]["iterations"]
    return config["pinn"]["problems"][problem]["ngd_epochs" if optimizer == "NGD" else "epochs"]


def pinn_configs(problem, optimizer):
    """The (lr, width) variants one (problem, optimizer) sweep trains: the optimizer table's,
    plus the lr grid's and the width ablation's where they apply (deduplicated)."""
    cfgs = [(config["pinn"]["optimizers"][optimizer]["lr"], config["pinn"]["width"])]
    g, a = config["pinn"]["lr_grid"], config["pinn"]["width_ablation"]
    if problem == g["problem"] and optimizer in g["optimizers"]:
        cfgs += [(lr, config["pinn"]["width"]) for lr in g["lrs"]]
    if problem == a["problem"] and optimizer == "NGD":
        cfgs += [(config["pinn"]["optimizers"]["NGD"]["lr"], m) for m in a["widths"]]
    return [{"lr": pinn_lr(lr), "width": int(m)} for lr, m in
            dict.fromkeys((pinn_lr(lr), int(m)) for lr, m in cfgs)]


def pinn_sweep(problem, sweep):
    """One sweep job: ``base`` run settings (wideopt.training.pinn.RunConfig fields) and its
    ``variants`` (config overrides, returned as columns). ``sweep`` is an optimizer of the
    config, or ``damping``: NGD at the optimizer table's setting, once per damping of
    ``damping_ablation`` other than ``ngd_solver.damping`` (that cell is the main NGD run)."""
    optimizer = "NGD" if sweep == "damping" else sweep
    base = dict(optimizer=optimizer, steps=pinn_steps(problem, optimizer),
                activation=config["pinn"]["activation"], log_every=config["pinn"]["log_every"],
                inner_steps=config["pinn"]["inner_steps"], ngd=dict(config["pinn"]["ngd_solver"]),
                lbfgs={"history_size": config["pinn"]["optimizers"]["LBFGS"]["history_size"]})
    if sweep == "damping":
        base.update(lr=pinn_lr(config["pinn"]["optimizers"]["NGD"]["lr"]), width=config["pinn"]["width"])
        chosen = float(config["pinn"]["ngd_solver"]["damping"])
        dampings = [float(d) for d in config["pinn"]["damping_ablation"]["dampings"]]
        return dict(base=base, variants=[{"ngd.damping": d} for d in dampings if d != chosen])
    return dict(base=base, variants=pinn_configs(problem, optimizer))


def pinn_run(problem, sweep):
    return out(f"results/pinn/runs/{problem}_{sweep}.csv")
