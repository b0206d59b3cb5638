"""Section C's planning: collocation sets, the sweeps each training job runs, the
explanation tables' runs, and the cost model.

Vocabulary. A *collocation set* (data set) is a problem sampled at (n_interior, n_boundary):
the five problems of ``pinn.problems`` under their own names, the frequency table's
``helmholtz2d-a<a>`` on helmholtz2d's points, the collocation table's
``<problem>-n<n_interior>x<n_boundary>``. A *sweep* is one training job on one set: a ``base``
run configuration (fields of ``wideopt.training.pinn.module.RunConfig``) and its ``variants``
(overrides). A run's step count comes from the key its optimizer's spec names
(:attr:`wideopt.training.pinn.optimizers.OptimizerSpec.steps`); its cost from its step kind.
Problem dimensions, point counts and the helmholtz2d frequency come from
:mod:`wideopt.domains`, which :mod:`wideopt.pde` and the collocation code use too.
"""

from __future__ import annotations

import math

from wideopt.domains import get_layout, helmholtz_name
from wideopt.training.pinn.optimizers import StepKind, get_optimizer

# The explanation tables (catalogue C, ours): one training job each. Cells that are runs of
# the other tables (helmholtz2d at its own a; the lr table's NGD runs) are read from those.
EXPLAIN = ("pinn_helmholtz_frequency", "pinn_collocation", "pinn_ngd_schedule")
# The catalogue's tables, trained by the sweeps (and pinn_gram).
TABLES = ("pinn_optimizers", "pinn_lr_robustness", "pinn_width", "pinn_gram_spectrum",
          "pinn_ngd_damping")


def lr(value) -> float:
    """Canonical form of a learning rate: 0.001 -> 0.001, 1.0 -> 1.0 (via '%g')."""
    return float(f"{float(value):g}")


def problems(config: dict) -> list[str]:
    return list(config["pinn"]["problems"])


def optimizers(config: dict) -> list[str]:
    """The optimizers that run (``pinn.optimizers``), each a registry entry."""
    names = list(config["pinn"]["optimizers"])
    for name in names:
        get_optimizer(name)
    return names


# --- collocation sets ------------------------------------------------------------------------

def helmholtz_dataset(a) -> str:
    """The frequency table's set at a: helmholtz2d itself at wideopt.domains.HELMHOLTZ_A."""
    return helmholtz_name(a)


def collocation_dataset(config: dict, problem: str, n_interior: int, n_boundary: int) -> str:
    own = config["pinn"]["problems"][problem]
    if [n_interior, n_boundary] == [own["n_interior"], own["n_boundary"]]:
        return problem
    return f"{problem}-n{n_interior}x{n_boundary}"


def datasets(config: dict) -> dict[str, dict]:
    """Every collocation set: name -> dict(problem = its wideopt.pde problem, config = the
    ``pinn.problems`` entry whose epochs it takes, n_interior, n_boundary); the problems' own
    sets first, then the frequency table's, then the collocation table's."""
    P = config["pinn"]
    sets = {p: dict(problem=p, config=p, n_interior=s["n_interior"], n_boundary=s["n_boundary"])
            for p, s in P["problems"].items()}
    h = P["problems"]["helmholtz2d"]
    for a in P["helmholtz_frequency"]["frequencies"]:
        name = helmholtz_dataset(a)
        sets.setdefault(name, dict(problem=name, config="helmholtz2d",
                                   n_interior=h["n_interior"], n_boundary=h["n_boundary"]))
    for p, sizes in P["collocation"]["sizes"].items():
        for ni, nb in sizes:
            sets.setdefault(collocation_dataset(config, p, ni, nb),
                            dict(problem=p, config=p, n_interior=ni, n_boundary=nb))
    return sets


def dataset(config: dict, name: str) -> dict:
    return datasets(config)[name]


def explain_datasets(config: dict) -> list[str]:
    """The explanation tables' own collocation sets (the others are the problems' own)."""
    own = set(problems(config))
    return [d for d in datasets(config) if d not in own]


def points(config: dict, name: str) -> tuple[int, int]:
    """Collocation points n = n1 + n2 and input dimension d of a set
    (wideopt.domains.Layout.point_counts, the counts the collocation code draws)."""
    s = dataset(config, name)
    layout = get_layout(s["problem"])
    return sum(layout.point_counts(s["n_interior"], s["n_boundary"])), layout.dim


def collocation_width(config: dict, problem: str) -> int:
    """The collocation table's one width per problem: m = max(pinn.width,
    ceil(width_ratio n_max / (d + 1))), so that p = m (d + 1) > n at every count."""
    c, layout = config["pinn"]["collocation"], get_layout(problem)
    n_max = max(sum(layout.point_counts(*s)) for s in c["sizes"][problem])
    return max(config["pinn"]["width"], math.ceil(c["width_ratio"] * n_max / (layout.dim + 1)))


# --- sweeps ------------------------------------------------------------------------------------

def steps(config: dict, name: str, optimizer: str) -> int:
    """Full-batch iterations of one run on set ``name``: the config key the optimizer's spec
    names, in its own ``pinn.optimizers`` entry or in the set's ``pinn.problems`` entry."""
    where, key = get_optimizer(optimizer).steps
    if where == "optimizer":
        return config["pinn"]["optimizers"][optimizer][key]
    return config["pinn"]["problems"][dataset(config, name)["config"]][key]


def extra_dampings(config: dict) -> list[float]:
    """The damping sweep's dampings: every one of ``damping_ablation`` but the tables' own
    (``ngd_solver.damping``: that cell is the main NGD run)."""
    chosen = float(config["pinn"]["ngd_solver"]["damping"])
    return [float(d) for d in config["pinn"]["damping_ablation"]["dampings"]
            if float(d) != chosen]


def main_cell(config: dict, optimizer: str) -> dict:
    """The optimizer table's (lr, width) cell of one optimizer."""
    return {"lr": lr(config["pinn"]["optimizers"][optimizer]["lr"]),
            "width": int(config["pinn"]["width"])}


def configs(config: dict, problem: str, optimizer: str) -> list[dict]:
    """The (lr, width) variants one (problem, optimizer) sweep trains: the optimizer table's,
    plus the lr grid's and the width ablation's (NGD's) where they apply (deduplicated)."""
    P = config["pinn"]
    cfgs = [(P["optimizers"][optimizer]["lr"], P["width"])]
    g, a = P["lr_grid"], P["width_ablation"]
    if problem == g["problem"] and optimizer in g["optimizers"]:
        cfgs += [(x, P["width"]) for x in g["lrs"]]
    if problem == a["problem"] and optimizer == "NGD":
        cfgs += [(P["optimizers"]["NGD"]["lr"], m) for m in a["widths"]]
    return [{"lr": x, "width": m} for x, m in dict.fromkeys((lr(x), int(m)) for x, m in cfgs)]


def base(config: dict, name: str, optimizer: str) -> dict:
    """Run settings (RunConfig fields) of ``optimizer`` on set ``name``: its problem, the
    paper's step count, the pipeline's solver and logging settings."""
    P = config["pinn"]
    return dict(problem=dataset(config, name)["problem"], optimizer=optimizer,
                steps=steps(config, name, optimizer), activation=P["activation"],
                log_every=P["log_every"], inner_steps=P["inner_steps"],
                ngd=dict(P["ngd_solver"]),
                lbfgs={"history_size": P["optimizers"]["LBFGS"]["history_size"]})


def sweep_job(config: dict, problem: str, name: str) -> dict:
    """One sweep job: ``base`` run settings and its ``variants`` (overrides, returned as
    columns). ``name`` is an optimizer of the config, or ``damping``: NGD at the optimizer
    table's cell, once per damping of :func:`extra_dampings`."""
    if name == "damping":
        b = dict(base(config, problem, "NGD"), **main_cell(config, "NGD"))
        return dict(base=b, variants=[{"ngd.damping": d} for d in extra_dampings(config)])
    return dict(base=base(config, problem, name), variants=configs(config, problem, name))


def explain_sweeps(config: dict, table: str) -> list[dict]:
    """The sweeps of one explanation table's training job: [dict(dataset, base, variants)]
    (pinn_train's format); one per collocation set and optimizer."""
    P = config["pinn"]
    if table == "pinn_helmholtz_frequency":
        h = P["helmholtz_frequency"]
        return [dict(dataset=helmholtz_dataset(a), base=base(config, helmholtz_dataset(a), o),
                     variants=[main_cell(config, o)])
                for a in h["frequencies"] if helmholtz_dataset(a) != "helmholtz2d"
                for o in h["optimizers"]]
    if table == "pinn_collocation":
        found = []
        for p, sizes in P["collocation"]["sizes"].items():
            cell = dict(main_cell(config, "NGD"), width=collocation_width(config, p))
            found += [dict(dataset=d, base=base(config, d, "NGD"), variants=[cell])
                      for d in (collocation_dataset(config, p, *s) for s in sizes)]
        return found
    if table == "pinn_ngd_schedule":
        p = P["lr_grid"]["problem"]
        b = base(config, p, "NGD")
        b["steps"] *= P["ngd_schedule"]["epoch_factor"]
        cells = [{"lr": lr(x), "width": int(P["width"])} for x in P["lr_grid"]["lrs"]]
        return [dict(dataset=p, base=b, variants=cells)]
    raise ValueError(f"unknown explanation table {table}; choose from {list(EXPLAIN)}")


def explain_cells(config: dict, table: str) -> dict:
    """The cells one explanation table's aggregation reads (config values, in order)."""
    P = config["pinn"]
    if table == "pinn_helmholtz_frequency":
        h = P["helmholtz_frequency"]
        return dict(frequencies=[float(a) for a in h["frequencies"]],
                    datasets=[helmholtz_dataset(a) for a in h["frequencies"]],
                    optimizers=list(h["optimizers"]))
    if table == "pinn_collocation":
        sets = [(p, collocation_dataset(config, p, *s))
                for p, sizes in P["collocation"]["sizes"].items() for s in sizes]
        return dict(problems=[p for p, _ in sets], datasets=[d for _, d in sets],
                    widths=[collocation_width(config, p) for p, _ in sets])
    if table == "pinn_ngd_schedule":
        p = P["lr_grid"]["problem"]
        epochs = steps(config, p, "NGD")
        return dict(problem=p, lrs=[lr(x) for x in P["lr_grid"]["lrs"]],
                    epochs=[epochs, epochs * P["ngd_schedule"]["epoch_factor"]])
    raise ValueError(f"unknown explanation table {table}; choose from {list(EXPLAIN)}")


def data_file(name: str) -> str:
    """The collocation and test points of set ``name`` (pinn_data's output)."""
    return f"results/data/pinn_{name}.npz"


def run_file(problem: str, sweep: str) -> str:
    """One sweep job's runs (pinn_train's output)."""
    return f"results/pinn/runs/{problem}_{sweep}.csv"


def explain_inputs(config: dict, table: str) -> dict:
    """The files one explanation table's aggregation reads: ``explain``, its own runs;
    ``reused``, the other tables' runs (helmholtz2d at its own a, one per optimizer in the
    config's order; the lr table's NGD sweep); ``data``, the collocation table's sets (their
    point counts n)."""
    c = explain_cells(config, table)
    reused = []
    if table == "pinn_helmholtz_frequency" and "helmholtz2d" in c["datasets"]:
        reused = [run_file("helmholtz2d", o) for o in c["optimizers"]]
    if table == "pinn_ngd_schedule":
        reused = [run_file(c["problem"], "NGD")]
    data = [data_file(d) for d in c["datasets"]] if table == "pinn_collocation" else []
    return dict(explain=f"results/pinn/explain/{table}.csv", reused=reused, data=data)


# --- cost model (seconds, minutes, MB) -----------------------------------------------------------

# Gradient evaluations per step of each step kind (L-BFGS: ~2 with its line searches).
GRADIENTS_PER_STEP = {StepKind.FIRST_ORDER: 1, StepKind.LINE_SEARCH: 2, StepKind.GAUSS_NEWTON: 1}


def gauss_newton_seconds(n: int, width: int, dim: int) -> float:
    """Seconds a Gauss-Newton step adds for n points and p = width (dim + 1) parameters: the
    Gram matrix (2 n^2 p flops at ~3 GF/s) and the Jacobian (~70 ns per entry); measured,
    poisson2d m = 2560 (n = 192, p = 7680): Jacobian ~90 ms, Gram ~60 ms, Cholesky + solve
    ~2 ms."""
    return 2 * n * n * width * (dim + 1) / 3e9 + 7e-8 * n * width * (dim + 1)


def run_seconds(config: dict, name: str, optimizer: str, width: int, run_steps: int) -> float:
    """Seconds of one seed, from measured costs on 1 thread: ~100 ns per (point x neuron) per
    gradient (GRADIENTS_PER_STEP of the optimizer's step kind) + ~2 ms per step; a
    Gauss-Newton step adds :func:`gauss_newton_seconds`."""
    n, dim = points(config, name)
    spec = get_optimizer(optimizer)
    per = 1e-7 * n * width * GRADIENTS_PER_STEP[spec.step] + 2e-3
    if spec.uses_jacobian:
        per += gauss_newton_seconds(n, width, dim)
    return run_steps * per


def mem_mb(config: dict, name: str, width: int, copies: int = 40) -> int:
    """MB for a run at ``width``: ~``copies`` float64 copies of the (n, m, d+1) Jacobian + 1 GB
    (training keeps ~40 alive; the convergence runs ~4)."""
    n, dim = points(config, name)
    return 1000 + copies * n * width * (dim + 1) * 8 // 2**20


def train_runtime(config: dict, problem: str, sweep: str) -> int:
    """Minutes for one sweep job: every variant and seed, x3 margin."""
    s = sweep_job(config, problem, sweep)
    sec = sum(run_seconds(config, problem, s["base"]["optimizer"],
                          v.get("width", s["base"].get("width")), s["base"]["steps"])
              for v in s["variants"])
    return 2 + int(3 * len(config["seeds"]) * sec / 60)


def train_mem_mb(config: dict, problem: str, sweep: str) -> int:
    s = sweep_job(config, problem, sweep)
    return mem_mb(config, problem, max(v.get("width", s["base"].get("width", 0))
                                       for v in s["variants"]))


def explain_runtime(config: dict, table: str) -> int:
    """Minutes for one explanation table's job: every sweep, variant and seed, x3 margin."""
    sec = sum(run_seconds(config, s["dataset"], s["base"]["optimizer"], v["width"],
                          s["base"]["steps"])
              for s in explain_sweeps(config, table) for v in s["variants"])
    return 2 + int(3 * len(config["seeds"]) * sec / 60)


def explain_mem_mb(config: dict, table: str) -> int:
    return max([mem_mb(config, s["dataset"], v["width"]) for s in explain_sweeps(config, table)
                for v in s["variants"]], default=1000)


def convergence_mem_mb(config: dict) -> int:
    c = config["pinn"]["convergence"]
    return max(mem_mb(config, p, c["width"], copies=4) for p in c["problems"])


def convergence_runtime(config: dict) -> int:
    """Minutes: NGD at the convergence width for steps + probe_steps per problem, x3 margin."""
    c = config["pinn"]["convergence"]
    return 2 + int(sum(run_seconds(config, p, "NGD", c["width"], c["steps"] + c["probe_steps"])
                       * 3 / 60 for p in c["problems"]))

