# Shared helpers: config validation, code-dependency inputs, wildcard constraints.
import ast
import functools
import math
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
    """Full-batch iterations of one run: the paper's epochs per optimizer and problem (or
    collocation set: its problem's epochs)."""
    if optimizer == "LBFGS":
        return config["pinn"]["optimizers"]["LBFGS"]["iterations"]
    problem = pinn_dataset(problem)["config"]
    return config["pinn"]["problems"][problem]["ngd_epochs" if optimizer == "NGD" else "epochs"]


# The helmholtz2d of every table is wideopt.pde's helmholtz2d, u* = sin(pi x) sin(a pi y) at this
# a (tests/test_pinn_problems.py checks): the frequency table reuses its runs at this a.
PINN_HELMHOLTZ_A = 4


def pinn_dim(problem):
    """Input dimension d of a catalogue problem."""
    return {"poisson1d": 1, "poisson10d": 10}.get(problem, 2)


def pinn_count(problem, n_interior, n_boundary):
    """Collocation points n = n1 + n2 of a set (wideopt.data.pinn_problems): Sobol (10-d) the
    totals; grids n_interior^d interior nodes + the boundary nodes of a closed n_boundary^d grid
    (every face Dirichlet; heat1d's free face t = 1 makes it an upper bound there)."""
    d = pinn_dim(problem)
    if d == 10:
        return n_interior + n_boundary
    return n_interior**d + n_boundary**d - max(n_boundary - 2, 0) ** d


def pinn_collocation_width(problem):
    """The collocation table's one width per problem: m = max(pinn.width,
    ceil(width_ratio n_max / (d + 1))), so that p = m (d + 1) > n at every count."""
    c = config["pinn"]["collocation"]
    n_max = max(pinn_count(problem, *s) for s in c["sizes"][problem])
    return max(config["pinn"]["width"], math.ceil(c["width_ratio"] * n_max / (pinn_dim(problem) + 1)))


def pinn_helmholtz_dataset(a):
    return "helmholtz2d" if float(a) == PINN_HELMHOLTZ_A else f"helmholtz2d-a{float(a):g}"


def pinn_collocation_dataset(problem, n_interior, n_boundary):
    own = config["pinn"]["problems"][problem]
    if [n_interior, n_boundary] == [own["n_interior"], own["n_boundary"]]:
        return problem
    return f"{problem}-n{n_interior}x{n_boundary}"


@functools.cache
def pinn_datasets():
    """Every collocation set of section C: name -> dict(problem = its wideopt.pde problem,
    config = the `pinn.problems` entry whose epochs it takes, n_interior, n_boundary). The five
    problems under their own names; the frequency table's helmholtz2d-a<a> on helmholtz2d's
    points; the collocation table's <problem>-n<n_interior>x<n_boundary>."""
    P = config["pinn"]
    sets = {p: dict(problem=p, config=p, n_interior=s["n_interior"], n_boundary=s["n_boundary"])
            for p, s in P["problems"].items()}
    h = P["problems"]["helmholtz2d"]
    for a in P["helmholtz_frequency"]["frequencies"]:
        name = pinn_helmholtz_dataset(a)
        sets.setdefault(name, dict(problem=name, config="helmholtz2d",
                                   n_interior=h["n_interior"], n_boundary=h["n_boundary"]))
    for p, sizes in P["collocation"]["sizes"].items():
        for ni, nb in sizes:
            sets.setdefault(pinn_collocation_dataset(p, ni, nb),
                            dict(problem=p, config=p, n_interior=ni, n_boundary=nb))
    return sets


def pinn_dataset(name):
    return pinn_datasets()[name]


def pinn_data(name):
    return out(f"results/data/pinn_{name}.npz")


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


def pinn_base(dataset, optimizer):
    """Run settings (wideopt.training.pinn.module.RunConfig fields) of ``optimizer`` on a collocation
    set: its problem, the paper's epochs, the pipeline's solver and logging settings."""
    return dict(problem=pinn_dataset(dataset)["problem"], optimizer=optimizer,
                steps=pinn_steps(dataset, optimizer), activation=config["pinn"]["activation"],
                log_every=config["pinn"]["log_every"], inner_steps=config["pinn"]["inner_steps"],
                ngd=dict(config["pinn"]["ngd_solver"]),
                lbfgs={"history_size": config["pinn"]["optimizers"]["LBFGS"]["history_size"]})


def pinn_sweep(problem, sweep):
    """One sweep job: ``base`` run settings (wideopt.training.pinn.module.RunConfig fields) and its
    ``variants`` (config overrides, returned as columns). ``sweep`` is an optimizer of the
    config, or ``damping``: NGD at the optimizer table's setting, once per damping of
    ``damping_ablation`` other than ``ngd_solver.damping`` (that cell is the main NGD run)."""
    optimizer = "NGD" if sweep == "damping" else sweep
    base = pinn_base(problem, optimizer)
    if sweep == "damping":
        base.update(lr=pinn_lr(config["pinn"]["optimizers"]["NGD"]["lr"]), width=config["pinn"]["width"])
        chosen = float(config["pinn"]["ngd_solver"]["damping"])
        dampings = [float(d) for d in config["pinn"]["damping_ablation"]["dampings"]]
        return dict(base=base, variants=[{"ngd.damping": d} for d in dampings if d != chosen])
    return dict(base=base, variants=pinn_configs(problem, optimizer))


def pinn_run(problem, sweep):
    return out(f"results/pinn/runs/{problem}_{sweep}.csv")


# Section C explanation experiments (catalogue C, ours): the sweeps one job per table trains.
# Cells that are runs of the other tables (helmholtz2d at its own a; the lr table's NGD runs)
# are read from those, not trained twice.
PINN_EXPLAIN = ["pinn_helmholtz_frequency", "pinn_collocation", "pinn_ngd_schedule"]


def pinn_main_cell(optimizer):
    """The optimizer table's (lr, width) cell of one optimizer."""
    return {"lr": pinn_lr(config["pinn"]["optimizers"][optimizer]["lr"]),
            "width": int(config["pinn"]["width"])}


def pinn_explain_sweeps(table):
    """The sweeps of one explanation table's training job: [dict(dataset, base, variants)]
    (pinn_train's format); one per collocation set and optimizer."""
    P = config["pinn"]
    if table == "pinn_helmholtz_frequency":
        h = P["helmholtz_frequency"]
        return [dict(dataset=pinn_helmholtz_dataset(a), base=pinn_base(pinn_helmholtz_dataset(a), o),
                     variants=[pinn_main_cell(o)])
                for a in h["frequencies"] if float(a) != PINN_HELMHOLTZ_A for o in h["optimizers"]]
    if table == "pinn_collocation":
        out_ = []
        for p, sizes in P["collocation"]["sizes"].items():
            cell = dict(pinn_main_cell("NGD"), width=pinn_collocation_width(p))
            out_ += [dict(dataset=d, base=pinn_base(d, "NGD"), variants=[cell])
                     for d in (pinn_collocation_dataset(p, *s) for s in sizes)]
        return out_
    if table == "pinn_ngd_schedule":
        p = P["lr_grid"]["problem"]
        base = pinn_base(p, "NGD")
        base["steps"] *= P["ngd_schedule"]["epoch_factor"]
        return [dict(dataset=p, base=base,
                     variants=[{"lr": pinn_lr(lr), "width": int(P["width"])}
                               for lr in P["lr_grid"]["lrs"]])]
    raise ValueError(f"unknown explanation table {table}")


# --- section C explanation tables (used by pinn.smk; functions live here, rules there) ---

def _pinn_explain_params():
    """Per explanation table: the cells the aggregation reads (config values, in order)."""
    h, c = PINN["helmholtz_frequency"], PINN["collocation"]
    sets = [(pr, pinn_collocation_dataset(pr, *sz)) for pr, sizes in c["sizes"].items()
            for sz in sizes]
    lr_problem = PINN["lr_grid"]["problem"]
    epochs = pinn_steps(lr_problem, "NGD")
    return {
        "pinn_helmholtz_frequency": dict(
            frequencies=[float(a) for a in h["frequencies"]],
            datasets=[pinn_helmholtz_dataset(a) for a in h["frequencies"]],
            optimizers=list(h["optimizers"])),
        "pinn_collocation": dict(
            problems=[pr for pr, _ in sets], datasets=[d for _, d in sets],
            widths=[pinn_collocation_width(pr) for pr, _ in sets]),
        "pinn_ngd_schedule": dict(
            problem=lr_problem, lrs=[pinn_lr(lr) for lr in PINN["lr_grid"]["lrs"]],
            epochs=[epochs, epochs * PINN["ngd_schedule"]["epoch_factor"]]),
    }


def pinn_explain_inputs(w):
    """An explanation table's own runs, the other tables' runs it reuses (helmholtz2d at its
    own a; the lr table's NGD sweep) and, for the collocation table, the sets' data (n)."""
    p = _pinn_explain_params()[w.table]
    reused = []
    if w.table == "pinn_helmholtz_frequency" and "helmholtz2d" in p["datasets"]:
        reused = [pinn_run("helmholtz2d", o) for o in p["optimizers"]]
    if w.table == "pinn_ngd_schedule":
        reused = [pinn_run(p["problem"], "NGD")]
    data = [pinn_data(d) for d in p["datasets"]] if w.table == "pinn_collocation" else []
    return dict(explain=out(f"results/pinn/explain/{w.table}.csv"), reused=reused, data=data,
                code=code("pinn_explain"))


# --- section E (used by open.smk) ---

def open_operator_widths(variant, arch):
    """Section A's widths, capped for the FNO (catalogue: width 500 costs ~45 CPU-min)."""
    cap = {"relu": OPEN["relu_operators"]["fno_max_width"],
           "frozen": OPEN["fno_encoder"]["max_width"]}[variant] if arch == "fno" else None
    return [w for w in OPS["widths"] if cap is None or w <= cap]


def open_operator_run(kind, variant, arch, problem):
    return out(f"results/open/runs/{variant}_{arch}_{problem}.{kind}.csv")
