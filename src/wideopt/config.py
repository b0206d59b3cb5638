"""The configuration of a scale as Snakemake builds it: ``workflow/config/paper.yaml`` with
a scale's override file (``quick.yaml``, ``gpu.yaml``) merged in key by key (nested mappings
merged, everything else replaced, as ``--configfile`` does). For benchmarks and tests that
need a scale's sizes without running Snakemake."""

from __future__ import annotations

from pathlib import Path

import yaml

CONFIG_DIR = Path("workflow/config")


def merge_overrides(base: dict, over: dict) -> dict:
    """``base`` updated in place by ``over``: mappings merged recursively, other values
    replaced. Returns ``base``."""
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge_overrides(base[key], value)
        else:
            base[key] = value
    return base


def scale_config(root: str | Path, scale: str = "paper") -> dict:
    """paper.yaml under ``root`` (the repository), with ``<scale>.yaml`` merged unless the
    scale is ``paper``."""
    read = lambda name: yaml.safe_load((Path(root) / CONFIG_DIR / f"{name}.yaml").read_text())  # noqa: E731
    cfg = read("paper")
    return cfg if scale == "paper" else merge_overrides(cfg, read(scale))


__all__ = ["merge_overrides", "scale_config"]
