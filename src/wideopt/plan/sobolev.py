"""Section B's cost model (its job grid is a plain product of config lists, in sobolev.smk)."""

from __future__ import annotations


def spectrum_mem_mb(config: dict) -> int:
    """A few n x n Gram copies + n x m activations and gradients, float64, + 800 MB."""
    sp = config["sobolev"]["spectrum"]
    n, m = sp["n_points"], sp["width"]
    return 800 + (6 * n**2 + 8 * n * m) * 8 // 2**20


def spectrum_runtime(config: dict) -> int:
    """Minutes: ~1 per (activation x seed) at m = 512, linear in m, + 2."""
    sp = config["sobolev"]["spectrum"]
    return 2 + len(sp["activations"]) * len(config["seeds"]) * sp["width"] // 512


def train_mem_mb(config: dict, width) -> int:
    """8 (n_test x m) float64 activations + the kernel flow's Theta(X_test, X) (n_test x n) +
    1000 MB."""
    sob = config["sobolev"]
    return 1000 + 8 * sob["n_test"] * (8 * int(width) + sob["train"]["n_train"]) // 2**20


def train_runtime(config: dict, width) -> float:
    """~12 n m^2 flop per GD step at ~5 GFLOP/s on one shared core, x alphas x seeds, + 2."""
    tr = config["sobolev"]["train"]
    flop = 12 * tr["n_train"] * int(width) ** 2 * tr["steps"]
    return 2 + len(config["sobolev"]["alphas"]) * len(config["seeds"]) * flop // (5e9 * 60)
