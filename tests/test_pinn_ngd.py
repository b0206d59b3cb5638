"""NGD on linear least squares: exact minimum-distance solutions, Gauss-Newton for p < n."""

import numpy as np
import pytest
import torch

from wideopt.training.pinn.ngd import NGD, ngd_direction


def _problem(n, p, seed=0):
    gen = torch.Generator().manual_seed(seed)
    a = torch.randn(n, p, generator=gen, dtype=torch.float64)
    y = torch.randn(n, generator=gen, dtype=torch.float64)
    return a, y


@pytest.mark.parametrize("mode", ["cholesky", "lstsq"])
def test_one_step_lands_on_closest_solution(mode):
    """p > n: from w0, one eta = 1 step solves A w = y and equals w0 + pinv(A)(y - A w0)."""
    a, y = _problem(20, 60)
    w0 = torch.randn(60, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    w = torch.nn.Parameter(w0.clone())
    opt = NGD([w], lr=1.0, jitter=None, mode=mode)
    opt.step(lambda: (a @ w.detach() - y, a))
    expected = w0 + torch.from_numpy(np.linalg.pinv(a.numpy()) @ (y - a @ w0).numpy())
    torch.testing.assert_close(w.detach(), expected, rtol=0, atol=1e-10)
    torch.testing.assert_close(a @ w.detach(), y, rtol=0, atol=1e-10)
    assert opt.last_info["method"] == mode and not opt.last_info["gauss_newton"]


def test_from_zero_is_minimum_norm_solution():
    a, y = _problem(15, 40, seed=2)
    w = torch.nn.Parameter(torch.zeros(40, dtype=torch.float64))
    NGD([w], lr=1.0, jitter=None).step(lambda: (a @ w.detach() - y, a))
    # Minimum-norm solution by SVD (independent of the Cholesky path).
    u, s, vt = np.linalg.svd(a.numpy(), full_matrices=False)
    w_mn = vt.T @ ((u.T @ y.numpy()) / s)
    np.testing.assert_allclose(w.detach().numpy(), w_mn, rtol=0, atol=1e-10)


def test_gauss_newton_when_fewer_parameters_than_residuals():
    """p < n: J J^T is singular; the step is the least-squares (Gauss-Newton) solution."""
    a, y = _problem(50, 8, seed=3)
    d, info = ngd_direction(a, a @ torch.zeros(8, dtype=torch.float64) - y, jitter=None)
    assert info["gauss_newton"] and info["method"] == "cholesky"
    w_ls = np.linalg.lstsq(a.numpy(), y.numpy(), rcond=None)[0]
    np.testing.assert_allclose(-d.numpy(), w_ls, rtol=0, atol=1e-10)


def test_push_through_identity_with_damping():
    """With damping the n x n and p x p forms give the same step."""
    a, y = _problem(30, 12, seed=4)
    d_gn, _ = ngd_direction(a, y, damping=1e-3, jitter=None)  # p < n: p x p system
    g = a @ a.T
    delta = 1e-3 * torch.diagonal(a.T @ a).mean()
    d_nn = a.T @ torch.linalg.solve(g + delta * torch.eye(30, dtype=torch.float64), y)
    torch.testing.assert_close(d_gn, d_nn, rtol=1e-8, atol=1e-10)


def test_fallback_to_least_squares_on_singular_gram():
    """A rank-deficient J with an exactly singular J J^T and no jitter: least squares."""
    a, y = _problem(10, 30, seed=5)
    a[5] = a[4]  # duplicate rows: J J^T singular
    y[5] = y[4]
    d, info = ngd_direction(a, y, jitter=None)
    torch.testing.assert_close(a @ d, y, rtol=0, atol=1e-8)
    assert np.isfinite(d.numpy()).all()


def test_lr_scales_step_and_loss_returned():
    a, y = _problem(5, 12, seed=6)
    w = torch.nn.Parameter(torch.zeros(12, dtype=torch.float64))
    loss = NGD([w], lr=0.5, jitter=None).step(lambda: (a @ w.detach() - y, a))
    assert loss == pytest.approx(0.5 * float(y @ y))
    torch.testing.assert_close(a @ w.detach(), 0.5 * y, rtol=0, atol=1e-10)


def test_zero_jacobian_row_without_ladder_falls_back_to_pseudo_inverse():
    """An all-zero row of J makes J J^T exactly singular: Cholesky fails; with the jitter
    ladder off NGD takes least squares, i.e. the pseudo-inverse solution d = J^+ r."""
    a, y = _problem(10, 30, seed=7)
    a[3] = 0.0
    d, info = ngd_direction(a, y, damping=0.0, jitter=None)
    assert info["method"] == "lstsq" and np.isnan(info["jitter"])
    torch.testing.assert_close(d, torch.linalg.pinv(a) @ y, rtol=1e-10, atol=1e-12)


def test_zero_jacobian_row_with_ladder_reports_first_working_jitter():
    """Same J, ladder on: the unregularized Cholesky fails, the first rung (1e-14) works and
    is reported; the step solves the regularized system it reports."""
    a, y = _problem(10, 30, seed=7)
    a[3] = 0.0
    d, info = ngd_direction(a, y, damping=0.0, jitter=1e-14, max_jitter=1e-6)
    assert info["method"] == "cholesky" and info["jitter"] == 1e-14
    g = a @ a.T
    delta = 1e-14 * torch.diagonal(g).mean()
    ref = a.T @ torch.linalg.solve(g + delta * torch.eye(10, dtype=torch.float64), y)
    torch.testing.assert_close(d, ref, rtol=1e-6, atol=1e-8)
    # On the non-zero rows the step still solves J d = r (the zero row's r cannot be met).
    keep = torch.arange(10) != 3
    torch.testing.assert_close((a @ d)[keep], y[keep], rtol=0, atol=1e-6)
