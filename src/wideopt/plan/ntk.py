"""Section D's planning: the training jobs and the cost model."""

from __future__ import annotations


def train_runs(config: dict) -> list[tuple[str, str]]:
    """The ntk_train jobs, (scheme, activation): NTK scaling for every activation, mean-field
    scaling for one."""
    ntk = config["ntk"]
    return ([("ntk", a) for a in ntk["activations"]]
            + [("mean_field", ntk["mean_field"]["activation"])])


def init_mem_mb(config: dict) -> int:
    """Widest (S, n, m) preactivations and psi' (~4 float64 copies per seed) + 1000 MB."""
    ntk = config["ntk"]
    return 1000 + max(ntk["widths"]) * max(ntk["n_points"]) * 3 * 8 * 4 // 2**20


def train_mem_mb(config: dict) -> int:
    """Widest (S, n, m) preactivations, psi, psi' and gradients, float64, + 500 MB."""
    tr = config["ntk"]["train"]
    return 500 + max(tr["widths"]) * tr["n_points"] * 3 * 8 * 8 // 2**20


def train_runtime(config: dict) -> int:
    """Minutes: ~1 per 1e5 (width x step) summed over the widths, + 2."""
    tr = config["ntk"]["train"]
    return 2 + sum(tr["widths"]) * tr["steps"] // 100_000
