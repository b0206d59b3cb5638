"""Reading the GD runs of section A (claims A3, A5, A6; figure operators_gd): the squared
gradient norm at the fractions t = f S of each run's S steps (pandas only)."""

from __future__ import annotations

import pandas as pd

GRAD_FRACTIONS = (0.0, 0.1, 0.5)  # catalogue A6: t = 0, S/10, S/2


def fraction_label(fraction: float) -> str:
    """``t=0``, ``t=S/10``, ``t=S/2``."""
    return "t=0" if fraction == 0 else f"t=S/{round(1 / fraction)}"


def grad_norm_at(curves: pd.DataFrame, fraction: float) -> pd.DataFrame:
    """Rows of the GD ``curves`` at t = round(fraction * S), S = each (arch, problem)'s last
    step, with a ``fraction`` column."""
    last = curves.groupby(["arch", "problem"])["step"].transform("max")
    return curves[curves.step == (fraction * last).round().astype(int)].assign(fraction=fraction)


def grad_norm_times(curves: pd.DataFrame) -> pd.DataFrame:
    """:func:`grad_norm_at` at every fraction of :data:`GRAD_FRACTIONS`, one frame."""
    return pd.concat([grad_norm_at(curves, f) for f in GRAD_FRACTIONS], ignore_index=True)
