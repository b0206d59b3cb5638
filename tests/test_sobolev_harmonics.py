"""Section B data: zonal harmonics, S² harmonics and the Sobolev targets vs references."""

import numpy as np
import pytest
from scipy.special import eval_gegenbauer, eval_legendre

from wideopt.data import harmonics as H
from wideopt.data import sobolev as S
from wideopt.data.sphere import sample_sphere


@pytest.mark.parametrize("dim", [3, 4, 5, 7])
def test_harmonic_dimension_matches_difference_of_polynomial_spaces(dim):
    # N(d, l) = C(l+d-1, d-1) - C(l+d-3, d-1) (homogeneous polynomials minus |x|^2 * lower)
    from math import comb

    for ell in range(0, 12):
        ref = comb(ell + dim - 1, dim - 1) - (comb(ell + dim - 3, dim - 1) if ell >= 2 else 0)
        assert H.harmonic_dimension(ell, dim) == ref


def test_d3_zonal_equals_legendre_formula():
    t = np.linspace(-1, 1, 101)
    z = H.zonal_harmonics(60, t, 3)
    for ell in (0, 1, 2, 7, 30, 60):
        np.testing.assert_allclose(z[ell], np.sqrt(2 * ell + 1) * eval_legendre(ell, t),
                                   atol=1e-11)


@pytest.mark.parametrize("dim", [4, 5, 8])
def test_legendre_d_matches_normalized_gegenbauer(dim):
    lam = (dim - 2) / 2
    t = np.linspace(-1, 1, 57)
    p = H.legendre_d(40, t, dim)
    for ell in (0, 1, 3, 17, 40):
        ref = eval_gegenbauer(ell, lam, t) / eval_gegenbauer(ell, lam, 1.0)
        np.testing.assert_allclose(p[ell], ref, atol=1e-10)


@pytest.mark.parametrize("dim", [3, 5])
def test_zonal_harmonics_orthonormal_by_quadrature(dim):
    t, w = H.zonal_quadrature(120, dim)
    z = H.zonal_harmonics(100, t, dim)
    gram = (z * w) @ z.T
    np.testing.assert_allclose(gram, np.eye(101), atol=1e-10)


@pytest.mark.parametrize("dim", [3, 5])
def test_zonal_harmonics_orthonormal_by_monte_carlo(dim):
    rng = np.random.default_rng(1)
    n = 200_000
    x = sample_sphere(n, dim, rng)
    z = H.zonal_harmonics(6, x @ S.pole(dim), dim)
    gram = z @ z.T / n
    # MC standard error of E[Z_l Z_k] is ~ sqrt(E[Z^2 Z^2]/n) ~ a few 1e-3 at these degrees
    np.testing.assert_allclose(gram, np.eye(7), atol=0.03)


def test_real_s2_harmonics_orthonormal_and_addition_theorem():
    t, w = H.zonal_quadrature(40, 3)  # polar nodes; azimuth by the trapezoid rule
    phi = np.linspace(0, 2 * np.pi, 80, endpoint=False)
    tt, pp = np.meshgrid(t, phi, indexing="ij")
    s = np.sqrt(1 - tt**2)
    x = np.stack([s * np.cos(pp), s * np.sin(pp), tt], -1).reshape(-1, 3)
    weights = (w[:, None] * np.full_like(pp, 1 / len(phi))).ravel()
    y = H.real_harmonics_s2(12, x)
    assert y.shape[1] == 13**2
    np.testing.assert_allclose((y * weights[:, None]).T @ y, np.eye(169), atol=1e-10)
    # addition theorem: sum_k Y_lk(x) Y_lk(e3) = sqrt(N) * Zhat_l(<x, e3>) = N P_l
    north = H.real_harmonics_s2(12, np.array([[0.0, 0.0, 1.0]]))
    for ell in (0, 3, 12):
        cols = slice(ell**2, (ell + 1) ** 2)
        lhs = y[:, cols] @ north[0, cols]
        np.testing.assert_allclose(lhs, (2 * ell + 1) * eval_legendre(ell, x[:, 2]), atol=1e-9)


@pytest.mark.parametrize("dim", [3, 5])
@pytest.mark.parametrize("alpha", [0.5, 1.0, 4.0])
def test_target_quadrature_norm_matches_series(dim, alpha):
    ell_max = 200
    t, w = H.zonal_quadrature(ell_max + 1, dim)  # exact for the degree-2L polynomial f^2
    x = np.zeros((len(t), dim))
    x[:, -1] = t
    x[:, 0] = np.sqrt(1 - t**2)
    f = S.target(x, alpha, ell_max)
    quad = float(w @ f**2)
    series = float(np.sum(np.arange(1, ell_max + 1, dtype=float) ** (-2 * alpha - 1)))
    assert S.norm_sq(alpha, ell_max) == pytest.approx(series, rel=1e-14)
    assert quad == pytest.approx(series, rel=1e-10)


def test_target_monte_carlo_norm_and_projection_error():
    rng = np.random.default_rng(3)
    x = sample_sphere(100_000, 3, rng)
    f = S.target(x, 2.0, 300)
    assert np.mean(f**2) == pytest.approx(S.norm_sq(2.0, 300), rel=0.02)
    # projection error: the tail of the series, zero beyond L, full norm at K = 0
    assert S.projection_error(2.0, 0, 300) ** 2 == pytest.approx(S.norm_sq(2.0, 300))
    assert S.projection_error(2.0, 300, 300) == 0.0
    k = 50
    tail = np.sum(np.arange(k + 1, 301, dtype=float) ** -5.0)
    assert S.projection_error(2.0, k, 300) == pytest.approx(np.sqrt(tail), rel=1e-12)


def test_make_problem_shapes_and_shared_points():
    a = S.make_problem(3, 1.0, 50, 20_000, 0, 200)
    b = S.make_problem(3, 4.0, 50, 20_000, 0, 200)
    assert a["x"].shape == (50, 3) and a["x_test"].shape == (20_000, 3)
    np.testing.assert_array_equal(a["x"], b["x"])
    np.testing.assert_allclose(np.linalg.norm(a["x_test"], axis=1), 1.0)
    assert all(v.dtype == np.float64 for v in a.values())
