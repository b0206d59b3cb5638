"""Small statistics used by tables and claims: log-log slopes, rank correlations, and the
power-law fit of a Gram spectrum's decay.

- :func:`loglog_slope`: least-squares slope b of log y = a + b log x;
- :func:`spearman`: Spearman's rank correlation ρ;
- :func:`fit_decay`: p in λ_k ≈ C k^{−p} over an index range, above the float64 round-off
  floor :func:`float64_floor` (seed 001: the ReLU NTK's eigenvalues decay like k^{−d/(d−1)}).

numpy and scipy only (no torch): the fits run in table rules, not in training jobs.
"""

from __future__ import annotations

import math

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


def float64_floor(lam: np.ndarray, n: int, margin: float = 100.0) -> float:
    """Round-off floor of a Gram spectrum: ``margin`` · n · ε₆₄ · λ_1."""
    return float(margin * n * np.finfo(np.float64).eps * lam[0])


def fit_decay(lam: np.ndarray, k_lo: int, k_hi: int, floor: float) -> dict[str, float]:
    """Fit λ_k ≈ C k^{−p} on k ∈ [k_lo, k_hi] (1-based) restricted to λ_k > floor.

    Returns the exponent p, the index range actually used, and the R² of the power law
    (log λ vs log k) and of a geometric law (log λ vs k) on the same points.
    """
    k = np.arange(1, len(lam) + 1)
    ok = (k >= k_lo) & (k <= k_hi) & (lam > floor)
    if ok.sum() < 3:
        return dict(exponent=math.nan, k_lo=k_lo, k_hi_used=math.nan, r2_power=math.nan,
                    r2_geometric=math.nan)
    # Stop at the first index below the floor: a later eigenvalue above it is round-off.
    last = int(np.argmax(~ok[k_lo - 1:]) + k_lo - 1) if (~ok[k_lo - 1:]).any() else len(lam)
    ok &= k <= last
    logl = np.log(lam[ok])

    def r2(xv):
        coef = np.polyfit(xv, logl, 1)
        res = logl - np.polyval(coef, xv)
        return coef[0], 1 - (res**2).sum() / ((logl - logl.mean()) ** 2).sum()

    slope, r2p = r2(np.log(k[ok]))
    _, r2g = r2(k[ok].astype(float))
    return dict(exponent=float(-slope), k_lo=k_lo, k_hi_used=int(k[ok].max()),
                r2_power=float(r2p), r2_geometric=float(r2g))
