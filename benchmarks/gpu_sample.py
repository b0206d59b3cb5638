"""Timed sample of the GPU scale's heaviest jobs, and the whole GPU configuration's estimate.

Run on a GPU node (issue "Right on a GPU", docs/performance.md):

    pytest -q tests/test_gpu.py && python benchmarks/gpu_sample.py --out gpu_sample.json

It calls the package's functions directly (no Snakemake, no registry needed: a GPU machine
may have another torch build and fewer packages) and times, with the GPU configuration's
sizes (workflow/config/paper.yaml + gpu.yaml):
  * the FNO at width 500 on Burgers (full grid, batch 20): seconds per epoch;
  * one PINN NGD run at m = 2560 on poisson2d and on poisson10d, and Adam at m = 2560: seconds
    per step;
  * one Sobolev gradient-flow run at the widest width (512): seconds per GD step.
From these it estimates each family's GPU time as (per-step time) x (steps per run) x (runs),
with the per-step time scaled from the measured width by the family's cost law (FNO and
gradient flow ~ m^2 above the measured floor at the narrow width, PINN ~ m), and divides the
sum by the number of jobs sharing the GPU (``--slots``, the `gpu` resource of the command).
``--smoke`` runs every timing at tiny sizes, on whatever device there is (CI-free check that
the script works). The JSON says what it ran on: device name, torch build, CUDA version.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

import torch

from wideopt.config import scale_config
from wideopt.data import burgers
from wideopt.data.pinn_problems import make_collocation
from wideopt.data.sobolev import make_problem
from wideopt.io import write_npz
from wideopt.models import fno
from wideopt.models.frozen_mlp import FrozenEndsMLP
from wideopt.pde import get_problem
from wideopt.training.flows.gradient_flow import train_gradient_flow
from wideopt.training.operators.regression import TrainSettings, train_operator
from wideopt.training.pinn.module import RunConfig, train_run

ROOT = Path(__file__).resolve().parents[1]


def gpu_config() -> dict:
    """paper.yaml with gpu.yaml's overrides."""
    return scale_config(ROOT, "gpu")


def timed(fn) -> float:
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    fn()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - t0


def fno_epoch_seconds(cfg: dict, width: int, epochs: int, smoke: bool, tmp: Path) -> float:
    """Seconds per epoch of the FNO on Burgers (the first epoch, with start-up, excluded)."""
    ops = cfg["operators"]
    d = ops["data"]["burgers"]
    n_train, n_test = (40, 10) if smoke else (ops["data"]["n_train"], ops["data"]["n_test"])
    path = tmp / "burgers.npz"
    if not path.exists():
        arrays, meta = burgers.generate(n_train, n_test, n_points=d["n_points"], seed=0,
                                        n_fine=d["n_fine"], nu=d["nu"], n_steps=d["n_steps"])
        write_npz(path, meta, **arrays)
    tr = dict(ops["fno"]["train"], hessian_ncv=3, hessian_restarts=1, checkpoint_every=10**6)
    factory = lambda n, m: fno.build(n, m, **ops["fno"]["model"])  # noqa: E731
    run = lambda k: train_operator(factory, str(path), "burgers", width, 0,  # noqa: E731
                                   TrainSettings.from_config(dict(tr, epochs=k, eval_every=k)))
    one, many = timed(lambda: run(1)), timed(lambda: run(1 + epochs))
    return (many - one) / epochs


def pinn_step_seconds(problem: str, optimizer: str, width: int, steps: int, cfg: dict) -> float:
    pr = cfg["pinn"]["problems"][problem]
    colloc = make_collocation(get_problem(problem), pr["n_interior"], pr["n_boundary"], 1000,
                              seed=0)
    lr = cfg["pinn"]["optimizers"][optimizer]["lr"]
    run = lambda k: train_run(RunConfig(problem, optimizer, lr, width, k, seed=0,  # noqa: E731
                                        log_every=k, inner_steps=k), colloc)
    one, many = timed(lambda: run(1)), timed(lambda: run(1 + steps))
    return (many - one) / steps


def sobolev_step_seconds(cfg: dict, width: int, steps: int, smoke: bool) -> float:
    sob, tr = cfg["sobolev"], cfg["sobolev"]["train"]
    n = 100 if smoke else tr["n_train"]
    data = make_problem(tr["dim"], 1.0, n, 2000 if smoke else sob["n_test"], seed=0,
                        ell_max=50 if smoke else sob["ell_max"])
    run = lambda k: train_gradient_flow(  # noqa: E731
        FrozenEndsMLP(tr["dim"], width, tr["activation"], sob["preact_var"], seed=0), data,
        tr["lr"], k, 2)
    one, many = timed(lambda: run(1)), timed(lambda: run(1 + steps))
    return (many - one) / steps


def estimate_minutes(cfg: dict, t: dict, slots: int) -> dict:
    """Family GPU minutes from the per-step times ``t`` (the formula of the module doc)."""
    seeds = len(cfg["seeds"])
    ops = cfg["operators"]
    fno_s = sum(max(t["fno_floor_s"], t["fno_s"] * (m / 500) ** 2) for m in ops["widths"])
    fno_min = fno_s * ops["fno"]["train"]["epochs"] * len(ops["problems"]) * seeds / 60
    pinn = cfg["pinn"]
    first_order = sum(p["epochs"] for p in pinn["problems"].values()) * 3  # SGD, Adam, L-BFGS
    ngd = sum(p["ngd_epochs"] for p in pinn["problems"].values())
    pinn_min = seeds * (first_order * t["adam_s"] + ngd * t["ngd10_s"]) / 60
    tr = cfg["sobolev"]["train"]
    sob_s = sum(max(t["sob_floor_s"], t["sob_s"] * (m / max(tr["widths"])) ** 2)
                for m in tr["widths"])
    sob_min = sob_s * tr["steps"] * len(cfg["sobolev"]["alphas"]) * seeds / 60
    fam = dict(operators_fno=fno_min, pinn_main_tables=pinn_min, sobolev_train=sob_min)
    return dict(fam, total_over_slots=sum(fam.values()) / slots, slots=slots)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="gpu_sample.json")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, any device")
    ap.add_argument("--slots", type=int, default=4, help="jobs sharing the GPU")
    a = ap.parse_args()
    cfg = gpu_config()
    big = dict(fno=8 if a.smoke else 500, pinn=32 if a.smoke else 2560,
               sob=16 if a.smoke else max(cfg["sobolev"]["train"]["widths"]))
    steps = 2 if a.smoke else 10
    with tempfile.TemporaryDirectory() as tmp:
        t = dict(fno_s=fno_epoch_seconds(cfg, big["fno"], 2 if a.smoke else 3, a.smoke,
                                         Path(tmp)),
                 fno_floor_s=fno_epoch_seconds(cfg, 4 if a.smoke else 10, 2, a.smoke, Path(tmp)))
    t.update(ngd_s=pinn_step_seconds("poisson2d", "NGD", big["pinn"], steps, cfg),
             ngd10_s=pinn_step_seconds("poisson10d", "NGD", big["pinn"], steps, cfg),
             adam_s=pinn_step_seconds("poisson2d", "Adam", big["pinn"], 10 * steps, cfg),
             sob_s=sobolev_step_seconds(cfg, big["sob"], steps, a.smoke),
             sob_floor_s=sobolev_step_seconds(cfg, 16, steps, a.smoke))
    report = dict(
        device=torch.cuda.get_device_name() if torch.cuda.is_available() else platform.processor()
        or "cpu", torch=torch.__version__, cuda=torch.version.cuda, smoke=a.smoke,
        widths=big, per_step_seconds=t, estimate_minutes=estimate_minutes(cfg, t, a.slots))
    Path(a.out).write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
