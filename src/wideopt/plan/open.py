"""Section E's planning: the operator variants' jobs and widths, and the cost model.

Section E reuses the other families' settings (section A's widths and training, section C's
PINN settings), so its functions read those sections of the configuration too; section A's
per-width cost model comes from :mod:`wideopt.plan.operators`, the PINN step costs from
:mod:`wideopt.plan.pinn`.
"""

from __future__ import annotations

from wideopt.plan import operators as ops_plan
from wideopt.plan.pinn import GRADIENTS_PER_STEP, gauss_newton_seconds
from wideopt.training.pinn.optimizers import get_optimizer

# Per-seed tables of open_aggregate (results/open/<id>.csv), one per question E1-E6.
IDS = ("open_radius", "open_relu_operators", "open_fno_encoder", "open_depth_distance",
       "open_ngd_depth", "open_ngd_dimension")


def operator_runs(config: dict) -> list[tuple[str, str, str]]:
    """The open_operators jobs, (variant, arch, problem): E2's ReLU runs, E3's frozen-encoder
    FNO runs."""
    o = config["open"]
    return ([("relu", a, p) for a, probs in o["relu_operators"]["runs"].items() for p in probs]
            + [("frozen", "fno", p) for p in o["fno_encoder"]["problems"]])


def operator_run_file(kind: str, variant: str, arch: str, problem: str) -> str:
    return f"results/open/runs/{variant}_{arch}_{problem}.{kind}.csv"


def operator_widths(config: dict, variant: str, arch: str) -> list[int]:
    """Section A's widths, capped for the FNO (catalogue: width 500 costs ~45 CPU-min)."""
    o = config["open"]
    cap = ({"relu": o["relu_operators"]["fno_max_width"],
            "frozen": o["fno_encoder"]["max_width"]}[variant] if arch == "fno" else None)
    return [w for w in config["operators"]["widths"] if cap is None or w <= cap]


# --- cost model (minutes, MB) -----------------------------------------------------------------

def operators_runtime(config: dict, variant: str, arch: str, problem: str) -> int:
    """Minutes: section A's per-width estimate summed over the variant's widths."""
    return sum(ops_plan.width_runtime(config, arch, problem, m)
               for m in operator_widths(config, variant, arch))


def operators_mem_mb(config: dict, variant: str, arch: str) -> int:
    """Section A's FNO training estimate (no Hessians here) at the variant's widest FNO;
    DeepONet 2000 MB."""
    if arch != "fno":
        return 2000
    return ops_plan.fno_mem_mb(config, max(operator_widths(config, variant, "fno")),
                               hessians=False)


def radius_runtime(config: dict) -> int:
    """Minutes: (bisection steps + 3) DeepONet runs per (width, seed) at section A's DeepONet
    per-epoch cost (x2 margin), + 2. Conservative: the paper job measured 512 CPU-s
    (~0.15 CPU-s per epoch at m = 500, not 0.5)."""
    r, n = config["open"]["radius"], config["operators"]["data"]["n_train"]
    runs = r["steps"] + 3
    epoch = sum(ops_plan.deeponet_epoch_seconds(n, m, r["train"]["batch_size"])
                for m in r["widths"])
    return 2 + int(2 * len(config["seeds"]) * runs * (r["train"]["epochs"] * epoch + 2) / 60)


def depth_runtime(config: dict) -> int:
    """Minutes: ~6 flop per (point x m^2) per trained layer per GD step, forward + backward,
    at ~10 GFLOP/s (measured: the paper job, 2.5 TFLOP, 121 CPU-s), x2 margin, + 2."""
    c = config["open"]["depth_distance"]
    flop = sum(6 * c["n_train"] * m * m * L for m in c["widths"] for L in c["depths"])
    run_steps = c["base_steps"] * max(c["multiples"])
    return 2 + int(2 * len(config["seeds"]) * flop * run_steps / 1e10 / 60)


def ngd_depth_runtime(config: dict) -> int:
    """Minutes: ~10 ms per gradient (torch.func vjp through the x-Hessian; a line-search step
    costs GRADIENTS_PER_STEP of them) and ~50 ms per NGD step (per-point jacrev + Gram) on
    poisson2d at m = 32 (measured: the paper job, both problems, 286 CPU-s); x3 margin, + 2."""
    c = config["open"]["ngd_depth"]
    gradients = (c["adam_steps"] * GRADIENTS_PER_STEP[get_optimizer("Adam").step]
                 + GRADIENTS_PER_STEP[get_optimizer("LBFGS").step] * c["lbfgs_iterations"])
    sec = len(c["problems"]) * (0.01 * gradients + 0.05 * c["ngd_steps"] * len(c["ngd_lrs"]))
    return 2 + int(3 * len(config["seeds"]) * sec / 60)


def ngd_dimension_runtime(config: dict) -> int:
    """Minutes: section C's Gauss-Newton step cost (gauss_newton_seconds) + 2 ms per step for
    every d and width (Sobol points: n = n_interior + n_boundary), x3 margin, + 2."""
    c = config["open"]["ngd_dimension"]
    n = c["n_interior"] + c["n_boundary"]
    sec = sum(c["steps"] * (gauss_newton_seconds(n, m, d) + 2e-3)
              for m in c["widths"] for d in c["dims"])
    return 2 + int(3 * len(config["seeds"]) * sec / 60)
