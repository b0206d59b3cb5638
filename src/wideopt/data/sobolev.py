"""Sobolev-smooth zonal targets on S^{d-1} (section B, seed 001).

    f_α(x) = Σ_{ℓ=1}^{L} ℓ^{−α−1/2} Ẑ_ℓ(⟨x, z⟩),

with Ẑ_ℓ the L²(σ)-normalized zonal harmonic (:mod:`wideopt.data.harmonics`) and z the pole
e_d. Since ‖f‖²_{H^β} ≍ Σ_ℓ ℓ^{2β} c_ℓ² = Σ_ℓ ℓ^{2β−2α−1}, the infinite series lies in H^β
exactly for β < α; the truncation at L ≥ 200 keeps that behaviour at every scale we resolve.
‖f_α‖²_{L²(σ)} = Σ_ℓ ℓ^{−2α−1}, and the best L²(σ) approximation by harmonics of degree ≤ K
(zonal or full: the target is zonal) leaves error² = Σ_{ℓ>K} ℓ^{−2α−1}.
"""

from __future__ import annotations

import numpy as np

from wideopt.data.harmonics import zonal_harmonics
from wideopt.data.sphere import sample_sphere


def coefficients(alpha: float, ell_max: int) -> np.ndarray:
    """c_ℓ = ℓ^{−α−1/2} for ℓ = 1..L and c_0 = 0. Shape ``(L + 1,)``."""
    ell = np.arange(ell_max + 1, dtype=np.float64)
    c = np.zeros(ell_max + 1)
    c[1:] = ell[1:] ** (-alpha - 0.5)
    return c


def pole(dim: int) -> np.ndarray:
    """The fixed pole z = e_d."""
    z = np.zeros(dim)
    z[-1] = 1.0
    return z


def target(x: np.ndarray, alpha: float, ell_max: int, chunk: int = 8192) -> np.ndarray:
    """f_α at points ``x`` of shape (n, d) on S^{d−1}: shape (n,)."""
    x = np.asarray(x, dtype=np.float64)
    c = coefficients(alpha, ell_max)
    t = np.clip(x @ pole(x.shape[1]), -1.0, 1.0)
    out = np.empty(len(t))
    for s in range(0, len(t), chunk):  # chunks bound the (L+1, chunk) harmonic table
        out[s:s + chunk] = c @ zonal_harmonics(ell_max, t[s:s + chunk], x.shape[1])
    return out


def norm_sq(alpha: float, ell_max: int) -> float:
    """‖f_α‖²_{L²(σ)} = Σ_{ℓ=1}^{L} ℓ^{−2α−1} (Parseval)."""
    return float((coefficients(alpha, ell_max) ** 2).sum())


def projection_error(alpha: float, max_degree: int, ell_max: int) -> float:
    """L²(σ) error of the best approximation of f_α by harmonics of degree ≤ K."""
    c = coefficients(alpha, ell_max)
    return float(np.sqrt((c[max_degree + 1:] ** 2).sum()))


def make_problem(dim: int, alpha: float, n: int, n_test: int, seed: int,
                 ell_max: int) -> dict[str, np.ndarray]:
    """Training and test samples of f_α on S^{d−1}.

    The points depend only on (seed, d), not on α, so all targets share the same samples.
    Returns float64 arrays ``x`` (n, d), ``y`` (n,), ``x_test`` (n_test, d), ``y_test``.
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, dim]))
    x = sample_sphere(n, dim, rng)
    x_test = sample_sphere(n_test, dim, rng)
    return {"x": x, "y": target(x, alpha, ell_max),
            "x_test": x_test, "y_test": target(x_test, alpha, ell_max)}
