"""C8's pieces: the loss Hessian, the GD stability test and the bisection of its edge."""

import math

import numpy as np
import pytest
import torch

from wideopt.data.pinn_problems import make_collocation
from wideopt.models.pinn_two_layer import TwoLayerPINN
from wideopt.pde import get_problem
from wideopt.training.pinn.edge import bisect_edge, gd_is_stable, loss_hessian
from wideopt.training.pinn.residual import Residual


def quadratic_gd_stable(c, lam=(3.0, 1.0, 0.01), steps=5000):
    """GD on L = 1/2 sum lam_i w_i^2 from w = 1 at eta = c / lam_max: stable (L never above
    L(0)) exactly when c <= 2."""
    lam = np.asarray(lam)
    w = np.ones_like(lam)
    l0 = 0.5 * (lam * w * w).sum()
    for _ in range(steps):
        w = w - c / lam.max() * lam * w
        if 0.5 * (lam * w * w).sum() > l0:
            return False
    return True


def test_bisection_brackets_the_quadratic_edge_at_two():
    lo, hi, calls = bisect_edge(quadratic_gd_stable, lo=0.25, hi=8.0, iters=7)
    assert lo <= 2.0 < hi
    assert math.log2(hi / lo) == pytest.approx(math.log2(32) / 2**7)
    assert calls == 2 + 7


def test_bisection_widens_a_bracket_on_the_wrong_side():
    lo, hi, _ = bisect_edge(quadratic_gd_stable, lo=4.0, hi=16.0, iters=10)  # lo unstable
    assert lo <= 2.0 < hi and hi / lo < 1.01
    lo, hi, _ = bisect_edge(quadratic_gd_stable, lo=0.01, hi=0.1, iters=10)  # hi stable
    assert lo <= 2.0 < hi and hi / lo < 1.01
    assert bisect_edge(lambda c: True, 1.0, 2.0, max_widen=3)[1] == math.inf
    assert bisect_edge(lambda c: False, 1.0, 2.0, max_widen=3)[0] == 0.0


@pytest.fixture(scope="module")
def poisson1d():
    prob = get_problem("poisson1d")
    colloc = make_collocation(prob, 12, 2, n_test=50, seed=0)
    net = TwoLayerPINN(8, prob.dim, 0)
    return net, Residual(prob.operator, colloc)


def test_loss_hessian_matches_differences_of_the_closed_form_gradient(poisson1d):
    net, residual = poisson1d
    hess = loss_hessian(net, residual)
    w0 = net.w.detach().clone()
    p, h = w0.numel(), 1e-5
    fd = torch.empty(p, p, dtype=torch.float64)
    with torch.no_grad():
        for j in range(p):
            e = torch.zeros(p, dtype=torch.float64)
            e[j] = h
            net.w.copy_(w0 + e.reshape(w0.shape))
            gp = residual.with_grad(net)[1].reshape(-1)
            net.w.copy_(w0 - e.reshape(w0.shape))
            gm = residual.with_grad(net)[1].reshape(-1)
            fd[:, j] = (gp - gm) / (2 * h)
        net.w.copy_(w0)
    assert torch.allclose(hess, hess.T, atol=1e-10)
    assert torch.allclose(hess, fd, rtol=1e-6, atol=1e-6 * hess.abs().max())
    # Gauss-Newton part J^T J is the Hessian up to the residual-curvature term
    _, jac = residual.with_jacobian(net)
    assert not torch.allclose(hess, jac.T @ jac, atol=1e-6 * hess.abs().max())


def test_gd_stability_on_a_pinn_and_restored_weights(poisson1d):
    net, residual = poisson1d
    w0 = net.w.detach().clone()
    _, jac = residual.with_jacobian(net)
    lam = float(torch.linalg.svdvals(jac)[0] ** 2)
    assert gd_is_stable(net, residual, 0.5 / lam, 200) == (True, 200)
    stable, steps = gd_is_stable(net, residual, 50.0 / lam, 200)
    assert not stable and steps < 200
    assert torch.equal(net.w.detach(), w0)
