"""Small statistics used by tables and claims: log-log slopes and rank correlations."""

from __future__ import annotations

import numpy as np
from scipy import stats


def loglog_slope(x, y) -> float:
    """Least-squares slope of log y against log x (NaN if fewer than two finite points)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y) & (x > 0) & (y > 0)
    if ok.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log(x[ok]), np.log(y[ok]), 1)[0])


def spearman(x, y) -> float:
    """Spearman rank correlation of the finite pairs (NaN if fewer than three)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3:
        return float("nan")
    return float(stats.spearmanr(x[ok], y[ok]).statistic)
