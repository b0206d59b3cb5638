"""Gram spectra from singular values: svdvals(J)^2 against eigvalsh(J J^T) and a known spectrum;
the unnormalized residual's Jacobian against autograd of the raw residual."""

import math

import numpy as np
import pytest
import torch

from wideopt.analysis.pinn_summary import gram_rows, gram_spectrum
from wideopt.data.pinn_problems import make_collocation
from wideopt.models.pinn_two_layer import TwoLayerPINN
from wideopt.pde import get_problem
from wideopt.training.pinn.gram import (
    eigvalsh_gram,
    initial_gram,
    initial_jacobian,
    svd_gram_eigenvalues,
)

EPS = np.finfo(np.float64).eps


def constructed(n: int, p: int, lam_min: float, seed: int = 0):
    """J = U diag(s) V^T (n x p) with s^2 log-spaced from 1 down to ``lam_min``: the exact
    eigenvalues of J J^T are s^2."""
    g = torch.Generator().manual_seed(seed)
    u, _ = torch.linalg.qr(torch.randn(n, n, generator=g, dtype=torch.float64))
    v, _ = torch.linalg.qr(torch.randn(p, n, generator=g, dtype=torch.float64))
    s = torch.logspace(0, 0.5 * math.log10(lam_min), n, dtype=torch.float64)
    return u @ torch.diag(s) @ v.T, (s * s).numpy()


def test_svdvals_matches_eigvalsh_above_its_floor_and_resolves_below_it():
    """n = 512: eigvalsh's floor n eps lambda_max = 1.1e-13 lies above lambda_min = 1e-13."""
    n = 512
    jac, lam = constructed(n, 600, 1e-13)
    svd, eigh = svd_gram_eigenvalues(jac), eigvalsh_gram(jac)
    floor = n * EPS * lam.max()
    assert lam.min() < floor
    above = lam > floor
    np.testing.assert_allclose(svd[above], eigh[above], rtol=0, atol=floor)
    np.testing.assert_allclose(svd, lam, rtol=1e-8)  # every eigenvalue, the smallest included
    q = gram_spectrum(svd, n, ngd_lr=0.1, eig_eigvalsh=eigh)
    assert q["lambda_min"] == pytest.approx(1e-13, rel=1e-8) and q["below_floor"] == 0.0
    assert q["numerical_rank"] == n and q["eigvalsh_floor"] == pytest.approx(floor)


def test_svdvals_resolves_where_eigvalsh_returns_noise():
    """lambda_min = 1e-20 lambda_max, far below eps lambda_max: eigvalsh returns round-off (its
    error is larger than the value), sigma_min^2 is still right to 1e-5."""
    jac, lam = constructed(64, 96, 1e-20, seed=1)
    svd, eigh = svd_gram_eigenvalues(jac), eigvalsh_gram(jac)
    assert svd.min() == pytest.approx(1e-20, rel=1e-5)
    assert abs(eigh.min() - 1e-20) > 1e-20


def test_pinn_jacobian_spectra_agree_and_unnormalized_is_raw_residual():
    """On a real PINN Jacobian (poisson2d): sigma(J)^2 = eigvalsh(J J^T) within the latter's
    floor; the unnormalized Gram is that of d(L phi - f, phi - g)/dW by autograd."""
    prob = get_problem("poisson2d")
    colloc = make_collocation(prob, 3, 4, 10, seed=0)
    n1, n2 = colloc.sizes
    spec = initial_gram("poisson2d", colloc, width=8, seed=0)
    for eig in spec.values():
        floor = (n1 + n2) * EPS * eig["svd"].max()
        np.testing.assert_allclose(eig["svd"], eig["eigvalsh"], rtol=0, atol=floor)

    class Raw(torch.nn.Module):  # (L phi - f, phi - g): no 1/sqrt(n) anywhere
        def __init__(self):
            super().__init__()
            self.net = TwoLayerPINN(8, 2, seed=0)

        def forward(self):
            return torch.cat([self.net.apply_operator(prob.operator, colloc.x_int) - colloc.f_int,
                              self.net(colloc.x_bd) - colloc.g_bd])

    mod = Raw()
    w0 = mod.net.w.detach().clone()
    jac_raw = torch.func.jacrev(lambda w: torch.func.functional_call(mod, {"net.w": w}, ()))(w0)
    jac_raw = jac_raw.reshape(n1 + n2, -1)
    expect = torch.linalg.svdvals(jac_raw).numpy() ** 2
    np.testing.assert_allclose(spec["unnormalized"]["svd"], expect, rtol=1e-10,
                               atol=1e-12 * expect.max())
    # the normalized one divides the rows by sqrt(n1), sqrt(n2): the same J as training uses
    jac = initial_jacobian("poisson2d", colloc, 8, 0)
    scale = torch.cat([torch.full((n1,), n1**-0.5, dtype=torch.float64),
                       torch.full((n2,), n2**-0.5, dtype=torch.float64)])
    torch.testing.assert_close(jac, jac_raw * scale[:, None], rtol=1e-12, atol=1e-12)


def test_gram_rows_carry_normalization():
    rows = gram_rows("poisson1d", 0, np.array([4.0, 1e-3]), 2, 8, 0.1, "unnormalized",
                     np.array([4.0, 1e-3]))
    assert set(rows.normalization) == {"unnormalized"}
    q = rows.set_index("quantity")["value"]
    assert q["inv_lambda_max"] == 0.25 and q["roundoff_floor"] == pytest.approx(2 * EPS**2 * 4)
