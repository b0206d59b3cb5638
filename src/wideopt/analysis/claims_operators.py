"""Claim evaluators A1-A4 (section A, seed 000), read from the aggregated section A tables.

Inputs (``CLAIM_INPUTS["operators"]``, all under results/operators/): ``final_loss`` (the tidy
per-seed operators_final_loss table), ``summary`` (one row per run) and ``curves`` (per-epoch
metrics of every run). Every claim is checked in each of the 2 architectures x 3 problems on
the seed means (:func:`wideopt.analysis.tables.summarize`, NaN seeds left out); it passes
only if it holds in all six.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from wideopt.analysis.fits import loglog_slope, spearman
from wideopt.analysis.operators_summary import (
    ARCH_LABELS,
    KEYS,
    first_step_below,
    mean_curves,
)
from wideopt.analysis.outcome import Outcome
from wideopt.analysis.tables import summarize
from wideopt.io import read_csv

RHO_MAX = -0.8  # catalogue A1 (and, for consistency, A3/A4): Spearman rho <= -0.8 over widths


def _outcome(value: str, passed: bool) -> Outcome:
    return Outcome(value, bool(passed))


def _groups(df: pd.DataFrame):
    for (arch, problem), g in df.groupby(["arch", "problem"], sort=True):
        yield f"{ARCH_LABELS.get(arch, arch)}/{problem}", g.sort_values("width")


def _seed_means(runs: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Mean over seeds of each of ``columns`` per (arch, problem, width)."""
    means = [summarize(runs, KEYS, value=c, nan_if_any=False).set_index(KEYS)["value"]
             .rename(c) for c in columns]
    return pd.concat(means, axis=1).reset_index()


def _decreasing(runs: pd.DataFrame, column: str, extra: str | None = None):
    """Spearman rho (and log-log slope) of the seed-mean ``column`` against width; ``runs``
    has one row per (arch, problem, width, seed)."""
    pw = _seed_means(runs, [column] + ([extra] if extra else []))
    parts, ok = [], True
    for name, g in _groups(pw):
        rho = spearman(g["width"], g[column])
        slope = loglog_slope(g["width"], g[column])
        ok &= bool(np.isfinite(rho) and rho <= RHO_MAX)
        s = f"{name}: rho={rho:.2f}, slope={slope:.2f}"
        if extra:
            s += f" (abs slope={loglog_slope(g['width'], g[extra]):.2f})"
        parts.append(s)
    return "; ".join(parts), ok


def a1_final_loss(inputs: Mapping[str, str]):
    """A1: final training loss decreases with width (rho <= -0.8) in every arch x problem."""
    table = read_csv(inputs["final_loss"])
    runs = table[table["quantity"] == "final train loss"].rename(
        columns={"value": "final_train_loss"})
    value, ok = _decreasing(runs, "final_train_loss")
    return _outcome(value, ok)


def a2_epochs_to_match(inputs: Mapping[str, str]):
    """A2: the widest net reaches the narrowest net's final loss within half the epochs.

    On seed-mean loss curves: e* = first epoch at which the widest width's loss is <= the
    narrowest width's final loss; passes when e* <= E/2 (E = epochs run) everywhere.
    """
    mc = mean_curves(read_csv(inputs["curves"]))
    parts, ok = [], True
    for name, g in _groups(mc):
        narrow, wide = g[g.width == g.width.min()], g[g.width == g.width.max()]
        target = narrow.loc[narrow.step.idxmax(), "value"]
        e_star, total = first_step_below(wide, target), int(wide.step.max())
        ok &= bool(np.isfinite(e_star) and e_star <= total / 2)
        parts.append(f"{name}: {'never' if not np.isfinite(e_star) else int(e_star)}/{total}")
    return _outcome("epochs for widest to reach narrowest final loss: " + "; ".join(parts), ok)


def a3_param_distance(inputs: Mapping[str, str]):
    """A3: ||theta_T - theta_0|| / ||theta_0|| decreases with width (rho <= -0.8) everywhere;
    the absolute distance's slope is reported beside it."""
    value, ok = _decreasing(read_csv(inputs["summary"]), "rel_param_distance",
                            extra="param_distance")
    return _outcome(value, ok)


def a4_hessian(inputs: Mapping[str, str]):
    """A4: Hessian spectral norm of the loss at initialization decreases with width."""
    value, ok = _decreasing(read_csv(inputs["summary"]), "hessian_norm")
    return _outcome(value, ok)


EVALUATORS = {"A1": a1_final_loss, "A2": a2_epochs_to_match, "A3": a3_param_distance,
              "A4": a4_hessian}
