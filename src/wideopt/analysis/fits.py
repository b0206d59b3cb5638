"""Small statistics used by tables and claims: log-log slopes, rank correlations, and the
power-law fit of a Gram spectrum's decay.

- :func:`loglog_slope`: least-squares slope b of log y = a + b log x;
- :func:`spearman`: Spearman's rank correlation ρ;
- the claims' estimators, each an :class:`~wideopt.analysis.estimate.Estimate` with its 90 %
  interval and the evidence it lacks (catalogue conventions): :func:`slope_estimate` (t-interval
  of the least-squares log-log slope over all (x, seed) points), :func:`rank_estimate`
  (Spearman ρ of the seed-mean curve, interval = range of the per-seed ρ),
  :func:`seed_range` (a per-seed quantity: mean, range over seeds). They never drop a
  missing or non-finite point silently: :func:`evidence_gaps` names it;
- :func:`fit_decay`: p in λ_k ≈ C k^{−p} over an index range, above the float64 round-off
  floor :func:`float64_floor` (seed 001: the ReLU NTK's eigenvalues decay like k^{−d/(d−1)}).

numpy and scipy only (no torch): the fits run in table rules, not in training jobs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from wideopt.analysis.estimate import LEVEL, Estimate


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


def evidence_gaps(df: pd.DataFrame, value: str, expected: dict[str, list] | None = None,
                  keys: list[str] | None = None, nan_is_divergence: bool = True,
                  ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Cells of the grid that are absent (``missing``) or non-finite (``diverged``).

    The grid is the product over ``keys`` of ``expected[key]`` where given, else of the values
    the table holds (so a width present for one seed but not another is missing). With
    ``nan_is_divergence=False`` a non-finite value counts as missing evidence instead.
    Returns two tuples of short labels such as ``"width=500, seed=2"``.
    """
    expected = dict(expected or {})
    keys = list(keys or expected)
    for k in keys:
        expected.setdefault(k, sorted(df[k].dropna().unique().tolist()))
    grid = pd.MultiIndex.from_product([expected[k] for k in keys], names=keys)
    present = pd.MultiIndex.from_frame(df[keys]) if len(df) else grid[:0]

    def label(t) -> str:
        return ", ".join(f"{k}={v}" for k, v in zip(keys, t, strict=True))

    missing = tuple(label(t if isinstance(t, tuple) else (t,)) for t in grid.difference(present))
    bad = df[~np.isfinite(df[value].to_numpy(float))]
    nonfinite = tuple(label(tuple(r)) for r in bad[keys].itertuples(index=False))
    if nan_is_divergence:
        return missing, nonfinite
    return missing + nonfinite, ()


def _t_quantile(dof: int) -> float:
    return float(stats.t.ppf(0.5 + LEVEL / 2, dof))


def _loglog_fit(df: pd.DataFrame, x: str, y: str, seed: str,
                expected: dict[str, list] | None):
    """(linregress result or None, n points, missing, diverged) of log y on log x."""
    keys = [x] + ([seed] if seed in df else [])
    d = df.assign(**{y: df[y].where(df[y] > 0)}) if len(df) else df
    missing, diverged = evidence_gaps(d, y, expected, keys)
    ok = d[np.isfinite(d[y].to_numpy(float))] if len(d) else d
    if len(ok) < 3 or ok[x].nunique() < 2:
        return None, len(ok), missing, diverged
    fit = stats.linregress(np.log(ok[x].to_numpy(float)), np.log(ok[y].to_numpy(float)))
    return fit, len(ok), missing, diverged


def slope_estimate(df: pd.DataFrame, x: str, y: str, seed: str = "seed",
                   expected: dict[str, list] | None = None) -> Estimate:
    """Least-squares slope b of log y = a + b log x over every finite (x, seed) point, with
    its t-interval b ± t_{0.95, n−2} · se(b) (``scipy.stats.linregress``).

    ``expected`` maps x / seed to the values the claim needs (default: those present); an
    absent cell is ``missing``, a non-finite or non-positive y is ``diverged``.
    """
    fit, n, missing, diverged = _loglog_fit(df, x, y, seed, expected)
    if fit is None:
        return Estimate(math.nan, math.nan, math.nan, "t-interval", missing, diverged)
    half = _t_quantile(n - 2) * fit.stderr
    return Estimate(float(fit.slope), float(fit.slope - half), float(fit.slope + half),
                    "t-interval", missing, diverged)


def slope_difference(a: pd.DataFrame, b: pd.DataFrame, x: str, y: str, seed: str = "seed",
                     expected: dict[str, list] | None = None) -> Estimate:
    """b_a − b_b of the log-log slopes of two tables (each as :func:`slope_estimate`), with
    the interval (b_a − b_b) ± t_{0.95, n_a+n_b−4} · sqrt(se_a² + se_b²) (independent fits);
    missing / diverged cells of either side are named."""
    fa, na, ma, da = _loglog_fit(a, x, y, seed, expected)
    fb, nb, mb, db = _loglog_fit(b, x, y, seed, expected)
    if fa is None or fb is None:
        return Estimate(math.nan, math.nan, math.nan, "t-interval", ma + mb, da + db)
    d = float(fa.slope - fb.slope)
    half = _t_quantile(na + nb - 4) * math.hypot(fa.stderr, fb.stderr)
    return Estimate(d, d - half, d + half, "t-interval", ma + mb, da + db)


def rank_estimate(df: pd.DataFrame, x: str, y: str, seed: str = "seed",
                  expected: dict[str, list] | None = None) -> Estimate:
    """Spearman ρ of the seed-mean curve ȳ(x); interval = the range of the per-seed ρ
    (with 2–3 seeds a bootstrap degenerates). Needs >= 3 x values."""
    keys = [x] + ([seed] if seed in df else [])
    missing, diverged = evidence_gaps(df, y, expected, keys)
    ok = df[np.isfinite(df[y].to_numpy(float))]
    mean = ok.groupby(x)[y].mean()
    if len(mean) < 3:
        return Estimate(math.nan, math.nan, math.nan, "seed range", missing, diverged)
    rho = spearman(mean.index.to_numpy(float), mean.to_numpy())
    per_seed = ([spearman(g[x], g[y]) for _, g in ok.groupby(seed)] if seed in ok else [rho])
    per_seed = [r for r in per_seed if np.isfinite(r)] or [rho]
    return Estimate(rho, float(min(per_seed)), float(max(per_seed)), "seed range", missing,
                    diverged)


def seed_range(df: pd.DataFrame, y: str, seed: str = "seed",
               expected: dict[str, list] | None = None, nan_is_divergence: bool = True,
               ) -> Estimate:
    """Mean over seeds of a per-seed quantity (a ratio, an exponent), interval = the range
    over seeds."""
    keys = [seed] if seed in df else []
    missing, diverged = (evidence_gaps(df, y, expected, keys, nan_is_divergence) if keys
                         else ((), ()))
    v = df[y].to_numpy(float)
    v = v[np.isfinite(v)]
    if not len(v):
        return Estimate(math.nan, math.nan, math.nan, "seed range", missing, diverged)
    return Estimate(float(v.mean()), float(v.min()), float(v.max()), "seed range", missing,
                    diverged)
