"""The mechanism behind claim B1: the ReLU NTK's Funk–Hecke coefficients decay like ℓ^(−d).

A zonal kernel K(⟨x, z⟩) on S^{d−1} has the Mercer expansion K = Σ_ℓ μ_ℓ N(d, ℓ) P_ℓ(⟨x, z⟩)
with μ_ℓ = ∫ K(t) P_ℓ(t) dτ_d(t) (Funk–Hecke; τ_d the pushforward of the uniform measure,
computed with :func:`zonal_quadrature`). For the ReLU NTK μ_ℓ ~ ℓ^(−d) (Bietti & Mairal 2019;
Bietti & Bach 2021 for deep nets), so the k-th eigenvalue, of multiplicity ~ ℓ^(d−2), falls
like k^(−d/(d−1)) — the exponent claim B1 fits. Checked here on the two kernels the pipeline
uses as infinite-width references: the deep frozen-ends net of section B (first layer with a
bias, all degrees present) and the two-layer H* of section D (no bias: the odd coefficients
vanish beyond ℓ = 1, so the even ones are fitted).
"""

import numpy as np
import pytest
import torch

from wideopt.data.harmonics import legendre_d, zonal_quadrature
from wideopt.kernels.ntk_deep import relu_ntk_infinite
from wideopt.kernels.ntk_two_layer import h_star_closed_form

L_MAX, NODES = 96, 6000  # the sqrt(1 - t) kink at t = 1 needs many nodes; 6000 resolve ℓ ≤ 96
FIT = slice(32, L_MAX + 1)  # the asymptotic regime: the fitted slope is within 0.15 of −d


def funk_hecke(kernel_of_t, dim: int) -> np.ndarray:
    """μ_ℓ = ∫ K(t) P_ℓ(t) dτ_d(t), ℓ = 0..L_MAX, by Gauss–Jacobi quadrature."""
    t, w = zonal_quadrature(NODES, dim)
    return legendre_d(L_MAX, t, dim) @ (w * kernel_of_t(t))


def two_layer_relu_kernel(dim: int):
    """t ↦ H*(x, z) for unit x, z with ⟨x, z⟩ = t, from the section-D closed form."""
    pole = torch.zeros(dim, dtype=torch.float64)
    pole[0] = 1.0

    def pair(z):  # the off-diagonal entry of the 2 x 2 Gram of (pole, z)
        return h_star_closed_form(torch.stack([pole, z]), "relu")[0, 1]

    def kernel(t):
        z = torch.zeros(len(t), dim, dtype=torch.float64)
        z[:, 0] = torch.as_tensor(t)
        z[:, 1] = torch.as_tensor(np.sqrt(1 - t**2))
        return torch.vmap(pair)(z).numpy()
    return kernel


def loglog_slope(ells: np.ndarray, mu: np.ndarray) -> float:
    return float(np.polyfit(np.log(ells), np.log(mu), 1)[0])


@pytest.mark.parametrize("dim", [3, 5])
def test_deep_relu_ntk_coefficients_decay_like_ell_to_minus_d(dim):
    mu = funk_hecke(relu_ntk_infinite, dim)
    assert (mu > 0).all()  # a positive-definite zonal kernel: every degree present (bias)
    ells = np.arange(L_MAX + 1)
    assert loglog_slope(ells[FIT], mu[FIT]) == pytest.approx(-dim, abs=0.15)


@pytest.mark.parametrize("dim", [3, 5])
def test_two_layer_relu_ntk_even_coefficients_decay_like_ell_to_minus_d(dim):
    mu = funk_hecke(two_layer_relu_kernel(dim), dim)
    assert np.abs(mu[3::2]).max() < 1e-11 * mu[0]  # no bias: odd degrees > 1 vanish
    # Closed forms of the first coefficients: the degree-1 part of t (π − arccos t)/(2π) is
    # t/4, so μ_1 = E[t^2]/4 = 1/(4d) exactly.
    assert mu[1] == pytest.approx(1 / (4 * dim), rel=1e-12)
    ells = np.arange(L_MAX + 1)
    even = ells[FIT][ells[FIT] % 2 == 0]
    assert loglog_slope(even, mu[even]) == pytest.approx(-dim, abs=0.15)
