"""Closed-form derivatives, gradient and Jacobian of the two-layer PINN (assembled by
training.pinn_residual.Residual) vs torch.func."""

import pytest
import torch

from wideopt.activations import ACTIVATIONS
from wideopt.data.pinn_problems import make_collocation
from wideopt.models.pinn_two_layer import TwoLayerPINN
from wideopt.pde import PROBLEMS, get_problem
from wideopt.training.pinn.residual import Residual, stack_residuals

SIZES = {"poisson1d": (6, 0), "poisson2d": (4, 4), "heat1d": (4, 4), "helmholtz2d": (4, 4),
         "poisson10d": (16, 8)}


def _setup(name, activation="tanh", width=7):
    prob = get_problem(name)
    n_int, n_bd = SIZES[name]
    data = make_collocation(prob, n_int, n_bd, 16, seed=3)
    net = TwoLayerPINN(width, prob.dim, seed=1, activation=activation)
    return prob, data, net


def _phi(net, w, x):
    """phi at one point (d,) as a pure function of W, for torch.func."""
    xt = torch.cat([x, torch.ones(1, dtype=x.dtype)])
    act = net.act.psi(w @ xt)
    return net.scale * (act @ net.a)


def _residual_autodiff(prob, net, w, data):
    """Residual vector by torch.func: vmap(grad / hessian) of phi in x, nothing closed-form."""
    x = data.x_int
    u = torch.func.vmap(lambda p: _phi(net, w, p))(x)
    grad = torch.func.vmap(torch.func.grad(lambda p: _phi(net, w, p)))(x)
    hess = torch.func.vmap(torch.func.hessian(lambda p: _phi(net, w, p)))(x)
    lu = prob.operator.apply(u, grad, torch.diagonal(hess, dim1=-2, dim2=-1))
    ub = torch.func.vmap(lambda p: _phi(net, w, p))(data.x_bd)
    return stack_residuals(lu, data.f_int, ub, data.g_bd)


@pytest.mark.parametrize("activation", ["tanh", "softplus", "relu3"])
@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_derivatives_match_torch_func(name, activation):
    prob, data, net = _setup(name, activation)
    x = data.x_int
    w = net.w.detach()
    u, grad, hess = net.derivatives(x)
    u_ad = torch.func.vmap(lambda p: _phi(net, w, p))(x)
    grad_ad = torch.func.vmap(torch.func.jacfwd(lambda p: _phi(net, w, p)))(x)
    hess_ad = torch.diagonal(torch.func.vmap(torch.func.hessian(lambda p: _phi(net, w, p)))(x),
                             dim1=-2, dim2=-1)
    torch.testing.assert_close(u, u_ad, rtol=0, atol=1e-10)
    torch.testing.assert_close(grad, grad_ad, rtol=0, atol=1e-10)
    torch.testing.assert_close(hess, hess_ad, rtol=0, atol=1e-10)


@pytest.mark.parametrize("activation", ["tanh", "softplus", "relu3"])
@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_residual_gradient_jacobian_match_torch_func(name, activation):
    prob, data, net = _setup(name, activation)
    w = net.w.detach().clone()
    r_ad = _residual_autodiff(prob, net, w, data)
    jac_ad = torch.func.jacrev(lambda ww: _residual_autodiff(prob, net, ww, data))(w)
    jac_ad = jac_ad.reshape(r_ad.shape[0], -1)
    res = Residual(prob.operator, data)
    with torch.no_grad():
        r, jac = res.with_jacobian(net)
        r2, g = res.with_grad(net)
        r3 = res(net)
    scale = max(1.0, float(jac_ad.abs().max()))
    torch.testing.assert_close(r, r_ad, rtol=0, atol=1e-10)
    torch.testing.assert_close(r2, r_ad, rtol=0, atol=1e-10)
    torch.testing.assert_close(r3, r_ad, rtol=0, atol=1e-10)
    torch.testing.assert_close(jac, jac_ad, rtol=0, atol=1e-10 * scale)
    torch.testing.assert_close(g.reshape(-1), jac_ad.T @ r_ad, rtol=0, atol=1e-10 * scale)


def test_init_is_seeded_and_signs_are_pm1():
    a = TwoLayerPINN(50, 2, seed=4)
    b = TwoLayerPINN(50, 2, seed=4)
    c = TwoLayerPINN(50, 2, seed=5)
    assert torch.equal(a.w, b.w) and not torch.equal(a.w, c.w)
    assert set(a.a.tolist()) == {-1.0, 1.0}
    assert a.w.dtype == torch.float64 and a.w.shape == (50, 3)


def test_activations_come_from_the_one_registry():
    net = TwoLayerPINN(5, 2, seed=0, activation="softplus")
    assert net.act is ACTIVATIONS["softplus"]
    with pytest.raises(ValueError, match="relu3"):
        TwoLayerPINN(5, 2, seed=0, activation="relu")


def test_residual_buffers_follow_the_module():
    prob, data, net = _setup("poisson2d")
    res = Residual(prob.operator, data)
    assert {n for n, _ in res.named_buffers()} == {"x_int", "f_int", "x_bd", "g_bd"}
    res = res.to(torch.float32)
    assert res.x_int.dtype == torch.float32
