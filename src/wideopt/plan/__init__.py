"""The workflow's planning, one module per family: job grids, sweeps, data sets and the
``runtime``/``mem_mb`` cost models, as pure functions of the configuration dict.

Each ``workflow/rules/<family>.smk`` imports its module; no job script does (a test checks), so
retuning a cost estimate reruns nothing. Torch-free and quick to import (a test checks): the
knowledge planning shares with the jobs comes from torch-free modules of the package
(:mod:`wideopt.domains`, :mod:`wideopt.training.pinn.optimizers`).

Paths returned here are relative to the scale's output root (``results/...``); the rule files
place them under it with ``out()``.
"""
