"""Section A's planning: the training jobs' width groups, their run files and cost model.

A training job trains one architecture on one problem at one group of widths, one after
another (:class:`WidthGroup`, named in the job's ``{widths}`` wildcard: "10" or "10-30-100").
The groups are ``operators.width_groups`` (the quick scale: one group of every width), or one
per width of ``operators.widths`` (default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ARCHS = ("deeponet", "fno")


@dataclass(frozen=True)
class WidthGroup:
    """Widths trained one after another in one job; ``label`` names it in paths ("10-30-100")."""

    widths: tuple[int, ...]

    PATTERN = r"\d+(-\d+)*"  # a label, as a wildcard constraint

    @property
    def label(self) -> str:
        return "-".join(str(w) for w in self.widths)

    @classmethod
    def parse(cls, label: str) -> WidthGroup:
        """The group named by ``label`` ("10" or "10-30-100"); a clear error otherwise."""
        if not re.fullmatch(cls.PATTERN, str(label)):
            raise ValueError(f"not a width group label: {label!r} (expected e.g. 10-30-100)")
        return cls(tuple(int(w) for w in str(label).split("-")))


def width_groups(config: dict) -> list[WidthGroup]:
    """The training jobs' width groups: ``operators.width_groups``, or one group per width;
    every width of ``operators.widths`` exactly once (a clear error otherwise)."""
    ops = config["operators"]
    groups = ops.get("width_groups") or [[w] for w in ops["widths"]]
    if sorted(w for g in groups for w in g) != sorted(ops["widths"]):
        raise ValueError(f"config operators.width_groups {groups} must list every width of "
                         f"operators.widths {ops['widths']} exactly once")
    return [WidthGroup(tuple(int(w) for w in g)) for g in groups]


def run_file(arch: str, problem: str, group: WidthGroup | str, kind: str) -> str:
    """A training job's file: ``kind`` = metrics or summary."""
    label = group.label if isinstance(group, WidthGroup) else group
    return f"results/operators/runs/{arch}/{problem}/w{label}.{kind}.csv"


def run_files(config: dict, kind: str, archs=ARCHS) -> list[str]:
    """Every training job's ``kind`` file, by architecture, problem and width group."""
    return [run_file(a, p, g, kind) for a in archs for p in config["operators"]["problems"]
            for g in width_groups(config)]


# --- cost model (minutes, MB) -----------------------------------------------------------------

def grid_points(config: dict, problem: str, arch: str) -> int:
    """Grid points per function seen by ``arch`` (the data grid, subsampled)."""
    ops = config["operators"]
    return ops["data"][problem]["n_points"] // ops[arch]["train"]["subsample"]


def deeponet_epoch_seconds(n: int, m: int, batch_size: int) -> float:
    """Seconds per DeepONet epoch on n functions at width m: ~2e-9 s per (function x width^2)
    + 2 ms per step (measured on one thread)."""
    return 2e-9 * n * m * m + 2e-3 * n / batch_size


def width_runtime(config: dict, arch: str, problem: str, m: int) -> int:
    """Minutes for one width from measured per-epoch CPU costs on one thread (x2 margin):
    FNO ~4.3e-9 s per (function x grid point x width^2) at batch 20, DeepONet
    :func:`deeponet_epoch_seconds`; plus start-up and the two Lanczos Hessians at
    initialization: ~8 ncv Hessian-vector products in all (measured 36 FNO, 60 DeepONet at
    ncv = 8), each ~3 gradients on the hessian_batch functions, in epochs ~ 24 ncv b / n."""
    tr = config["operators"][arch]["train"]
    n = config["operators"]["data"]["n_train"]
    if arch == "fno":
        epoch = 4.3e-9 * n * grid_points(config, problem, arch) * m * m
    else:
        epoch = deeponet_epoch_seconds(n, m, tr["batch_size"])
    seeds = len(config["seeds"])
    hessians = 24 * tr["hessian_ncv"] * tr["hessian_batch"] / n
    return 2 + int(2 * seeds * (tr["epochs"] + hessians) * (epoch + 0.1) / 60)


def runtime(config: dict, arch: str, problem: str, widths: str) -> int:
    """Minutes per training job: the sum over the widths of its group (label ``widths``)."""
    return sum(width_runtime(config, arch, problem, m) for m in WidthGroup.parse(widths).widths)


def fno_mem_mb(config: dict, m: int, hessians: bool = True) -> int:
    """800 MB + the larger of two phases at width m, in bytes per FNO parameter: training,
    ~16 float32 copies (weights, gradient, Adam moments, activations), measured max RSS 2.36 GB
    at m = 500; the Lanczos Hessians at initialization (``hessians``), ARPACK's ncv + 4 float64
    vectors plus ~72 B of HVP buffers and temporaries, measured max RSS 5.6 GB at m = 500,
    ncv = 8 (benchmarks/hessian_init.py; estimate 6.1 GB)."""
    ops, f = config["operators"], config["operators"]["fno"]["model"]
    params = f["n_layers"] * (2 * f["modes"] + 1) * m * m
    ncv = max(ops[a]["train"]["hessian_ncv"] for a in ARCHS)
    per_param = max(16 * 4, 8 * (ncv + 4) + 72) if hessians else 16 * 4
    return 800 + per_param * params // 2**20


def mem_mb(config: dict, widths: str) -> int:
    """MB per training job: :func:`fno_mem_mb` at the group's largest width (an FNO bound,
    used for both architectures)."""
    return fno_mem_mb(config, max(WidthGroup.parse(widths).widths))
