"""Spherical harmonics on S^{d-1}: zonal (Gegenbauer) harmonics and, for d = 3, a full basis.

Normalization: L²(σ) with σ the *uniform probability measure* on S^{d-1}, so that
``‖f‖² = E_{x~σ} f(x)²`` is estimated by the mean of f² over uniform samples.

Zonal harmonics. Let N(d, ℓ) = (2ℓ + d − 2)/ℓ · C(ℓ + d − 3, ℓ − 1) (N(d, 0) = 1) be the
dimension of the degree-ℓ harmonics and P_ℓ the Legendre polynomial of dimension d
(P_ℓ(1) = 1; P_ℓ = C_ℓ^λ / C_ℓ^λ(1), λ = (d − 2)/2), computed by the three-term recurrence

    P_0 = 1,  P_1 = t,  (ℓ + d − 2) P_{ℓ+1}(t) = (2ℓ + d − 2) t P_ℓ(t) − ℓ P_{ℓ−1}(t).

By the addition theorem ∫ P_ℓ(⟨x, z⟩)² dσ(x) = 1/N(d, ℓ), so the L²(σ)-normalized zonal
harmonic with pole z is Ẑ_ℓ(⟨x, z⟩) = √N(d, ℓ) · P_ℓ(⟨x, z⟩), and Ẑ_ℓ ⟂ Ẑ_k for ℓ ≠ k.
The recurrence is vectorized over points; the only loop is over degrees.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import sph_harm_y


def harmonic_dimension(ell: int | np.ndarray, dim: int) -> np.ndarray:
    """N(d, ℓ): number of linearly independent degree-ℓ spherical harmonics on S^{d-1}."""
    ell = np.asarray(ell, dtype=np.int64)
    if dim == 2:
        return np.where(ell == 0, 1, 2).astype(np.int64)
    out = np.empty(ell.shape, dtype=np.int64)
    for idx, l_ in np.ndenumerate(ell):
        out[idx] = 1 if l_ == 0 else (2 * l_ + dim - 2) * math.comb(l_ + dim - 3, l_ - 1) // l_
    return out


def cumulative_dimension(max_degree: int, dim: int) -> int:
    """Dimension of the harmonics of degree ≤ L on S^{d-1}: Σ_{ℓ≤L} N(d, ℓ)."""
    return int(harmonic_dimension(np.arange(max_degree + 1), dim).sum())


def legendre_d(max_degree: int, t: np.ndarray, dim: int) -> np.ndarray:
    """P_ℓ(t) for ℓ = 0..L in dimension d (P_ℓ(1) = 1). Shape ``(L + 1, *t.shape)``."""
    t = np.asarray(t, dtype=np.float64)
    out = np.empty((max_degree + 1, *t.shape))
    out[0] = 1.0
    if max_degree >= 1:
        out[1] = t
    for ell in range(1, max_degree):
        out[ell + 1] = ((2 * ell + dim - 2) * t * out[ell] - ell * out[ell - 1]) / (ell + dim - 2)
    return out


def zonal_harmonics(max_degree: int, t: np.ndarray, dim: int) -> np.ndarray:
    """Ẑ_ℓ(t) = √N(d, ℓ) P_ℓ(t), ℓ = 0..L: L²(σ)-orthonormal zonal harmonics. ``(L+1, ...)``."""
    norms = np.sqrt(harmonic_dimension(np.arange(max_degree + 1), dim).astype(np.float64))
    p = legendre_d(max_degree, t, dim)
    return p * norms.reshape((-1,) + (1,) * (p.ndim - 1))


def real_harmonics_s2(max_degree: int, x: np.ndarray) -> np.ndarray:
    """All real spherical harmonics of degree ≤ L on S² (d = 3), L²(σ)-orthonormal.

    Y_ℓ^0, √2 Re Y_ℓ^k, √2 Im Y_ℓ^k (k = 1..ℓ) from scipy's complex harmonics, times √(4π)
    for the probability measure. ``x``: (n, 3) unit vectors. Returns (n, (L + 1)²), columns
    ordered by degree.
    """
    x = np.asarray(x, dtype=np.float64)
    theta = np.arccos(np.clip(x[:, 2], -1.0, 1.0))
    phi = np.arctan2(x[:, 1], x[:, 0])
    cols = []
    for ell in range(max_degree + 1):
        ks = np.arange(0, ell + 1)
        y = sph_harm_y(ell, ks[:, None], theta[None, :], phi[None, :])  # (ℓ+1, n) complex
        cols.append(y[0].real[None])
        if ell:
            cols.append(math.sqrt(2) * y[1:].real)
            cols.append(math.sqrt(2) * y[1:].imag)
    return math.sqrt(4 * math.pi) * np.concatenate(cols, axis=0).T


def zonal_quadrature(n_nodes: int, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes t_j and weights w_j with Σ_j w_j g(t_j) = ∫ g(⟨x, z⟩) dσ(x) for zonal g.

    The pushforward of σ under x ↦ ⟨x, z⟩ has density ∝ (1 − t²)^{(d−3)/2} on [−1, 1], so
    this is Gauss–Jacobi with a = b = (d − 3)/2, weights normalized to sum to 1: exact for
    polynomials g of degree ≤ 2 n_nodes − 1.
    """
    from scipy.special import roots_jacobi

    a = (dim - 3) / 2
    t, w = roots_jacobi(n_nodes, a, a)
    return t, w / w.sum()
