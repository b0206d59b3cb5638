"""Hessian spectral norms by Lanczos on Hessian-vector products
(wideopt.training.operators.hessian): against closed forms, dense eigendecompositions and dense
autograd Hessians."""

import numpy as np
import pytest
import torch
from torch import nn

from wideopt.models.deeponet import DeepONet
from wideopt.models.fno import FNO1d
from wideopt.training.operators.hessian import (
    functional_mse,
    hessian_spectral_norm,
    lanczos_norm,
    network_hessian_norm,
    output_direction,
)

TIGHT = dict(tol=1e-9, ncv=12, maxiter=100)


def power_iteration(a: np.ndarray, n_matvecs: int, seed: int = 0) -> tuple[float, np.ndarray]:
    """Plain power iteration, w <- A w / ||A w||, with exactly ``n_matvecs`` products:
    returns the last ||A w|| (the estimate of ||A||_2) and the last unit w."""
    w = np.random.default_rng(seed).standard_normal(len(a))
    w /= np.linalg.norm(w)
    est = np.nan
    for _ in range(n_matvecs):
        aw = a @ w
        est = float(np.linalg.norm(aw))
        w = aw / est
    return est, w


@pytest.mark.parametrize("second", [0.999, -0.999])
def test_lanczos_resolves_a_small_eigengap_where_power_iteration_stalls(second):
    """A = Q diag(1, second, rest) Q^T, rest uniform in [-0.5, 0.5] (n = 300): Lanczos
    (eigsh on a LinearOperator) finds ||A||_2 = 1 with residual <= 1e-8 (so its vector is
    within sin(angle) <= residual / gap = 1e-5 of the top eigenvector); power iteration with
    the same number of products (32 and 22 here) is off by ~3e-4 in the value and its vector
    keeps a large share of the second eigenvector (overlap ~0.86 with the first)."""
    n = 300
    rng = np.random.default_rng(3)
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.concatenate([[1.0, second], rng.uniform(-0.5, 0.5, n - 2)])
    a = (q * lam) @ q.T
    exact = np.linalg.eigh(a)
    top = int(np.argmax(np.abs(exact.eigenvalues)))
    assert exact.eigenvalues[top] == pytest.approx(1.0, abs=1e-12)
    e1 = exact.eigenvectors[:, top]

    res = lanczos_norm(lambda w: a @ w, n, tol=1e-8, ncv=20, maxiter=100, seed=0)
    assert res["converged"] == 1
    assert res["norm"] == pytest.approx(1.0, abs=1e-9)
    assert res["eigenvalue"] == pytest.approx(1.0, abs=1e-9)
    assert res["residual"] <= 1e-8
    assert res["matvecs"] < 150  # the gap is 1e-3: Lanczos needs ~sqrt(1/gap) products

    est, w = power_iteration(a, res["matvecs"])
    assert abs(est - 1.0) > 1e-5  # measurably wrong: 10^4 x Lanczos' error bound
    assert abs(w @ e1) < 0.99  # its vector is still a mix of the top two eigenvectors


def _flat_hessian(net: nn.Module, scalar_of_params) -> torch.Tensor:
    """Dense p x p Hessian of ``scalar_of_params(dict)`` by torch.func.hessian in a flat
    parameter vector (the reference: nothing from the method under test)."""
    names = [n for n, _ in net.named_parameters()]
    shapes = [p.shape for p in net.parameters()]
    flat0 = torch.cat([p.detach().reshape(-1) for p in net.parameters()])

    def f(flat):
        chunks = flat.split([int(np.prod(s)) for s in shapes])
        return scalar_of_params({n: c.reshape(s)
                                 for n, c, s in zip(names, chunks, shapes, strict=True)})

    return torch.func.hessian(f)(flat0)


def _tiny_nets():
    torch.manual_seed(1)
    don = DeepONet(4, 3).double()
    fno = FNO1d(3, modes=2, n_layers=2, proj_width=4).double()
    return [("deeponet", don), ("fno", fno)]


@pytest.mark.parametrize("arch", ["deeponet", "fno"])
def test_network_hessian_norm_matches_dense_hessian(arch):
    """||nabla^2_theta <v, G_theta(u)>||_2 by Lanczos on HVPs = max |eig| of the dense
    torch.func.hessian of the same scalar (tiny DeepONet and FNO, float64)."""
    net = dict(_tiny_nets())[arch]
    n_in = 4 if arch == "deeponet" else 8  # DeepONet: 4 sensors; FNO: u on the 8-point grid
    u = torch.randn(3, n_in, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    x = torch.linspace(0, 1, 8, dtype=torch.float64)
    v = output_direction((3, 8), seed=5, dtype=torch.float64)
    assert float(torch.linalg.vector_norm(v)) == pytest.approx(1.0, abs=1e-14)

    dense = _flat_hessian(net, lambda ps: (v * torch.func.functional_call(net, ps, (u, x))).sum())
    eig = torch.linalg.eigvalsh(dense)
    exact = float(eig.abs().max())
    res = network_hessian_norm(net, (u, x), seed=5, **TIGHT)
    assert res["converged"] == 1 and res["residual"] < 1e-8
    assert res["norm"] == pytest.approx(exact, rel=1e-8)
    assert abs(res["eigenvalue"]) == pytest.approx(res["norm"])
    # a different output direction gives a different Hessian: v is really used
    other = network_hessian_norm(net, (u, x), seed=6, tol=1e-6)
    assert abs(other["norm"] - exact) > 1e-3 * exact


class Quadratic(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.theta = nn.Parameter(torch.randn(n, dtype=torch.float64))

    def forward(self, a):
        return a @ self.theta


def test_loss_hessian_of_a_quadratic_matches_closed_form():
    """L = mean((A theta - b)^2): Hessian 2 A^T A / n exactly."""
    torch.manual_seed(0)
    a = torch.randn(30, 10, dtype=torch.float64)
    b = torch.randn(30, dtype=torch.float64)
    res = hessian_spectral_norm(Quadratic(10), functional_mse((a,), b), tol=1e-12, ncv=9)
    exact = float(torch.linalg.eigvalsh(2 * a.T @ a / 30).max())
    assert res["norm"] == pytest.approx(exact, rel=1e-10)


def test_loss_hessian_of_a_network_matches_dense_hessian():
    """A small DeepONet: the Lanczos loss-Hessian norm against the dense autograd Hessian."""
    net = dict(_tiny_nets())["deeponet"]
    u, y = torch.randn(5, 4, dtype=torch.float64), torch.linspace(0, 1, 6, dtype=torch.float64)
    s = torch.randn(5, 6, dtype=torch.float64)
    loss = functional_mse((u, y), s)
    dense = _flat_hessian(net, lambda ps: loss(net, ps))
    exact = float(torch.linalg.eigvalsh(dense).abs().max())
    res = hessian_spectral_norm(net, loss, **TIGHT)
    assert res["norm"] == pytest.approx(exact, rel=1e-8)


def test_no_convergence_is_reported_not_raised():
    """A restart cap too small for the tolerance: NaN norm, converged = 0, products counted."""
    a = np.diag(np.linspace(-1, 1, 400) + 1e-3)
    res = lanczos_norm(lambda w: a @ w, 400, tol=1e-14, ncv=4, maxiter=1)
    assert res["converged"] == 0 and np.isnan(res["norm"]) and res["matvecs"] >= 4
