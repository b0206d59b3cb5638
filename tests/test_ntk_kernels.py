"""Section D kernels against independent references: Monte Carlo, closed forms, autograd."""

import math

import numpy as np
import pytest
import torch

from wideopt.activations import get_activation
from wideopt.data.sphere import sample_sphere
from wideopt.kernels.ntk_two_layer import (
    h_star,
    h_star_closed_form,
    h_star_quadrature,
    two_layer_ntk_gram,
)
from wideopt.models.two_layer import TwoLayerNet


@pytest.fixture(scope="module")
def points():
    return torch.from_numpy(sample_sphere(8, 10, np.random.default_rng(7)))


def monte_carlo_h_star(x, activation, samples=1_000_000, seed=0):
    """H*_ij = <x_i,x_j> E_w[psi'(w.x_i) psi'(w.x_j)] by sampling w ~ N(0, I); with SEs."""
    gen = torch.Generator().manual_seed(seed)
    dpsi = get_activation(activation).dpsi
    total = torch.zeros(len(x), len(x), dtype=torch.float64)
    total_sq = torch.zeros_like(total)
    chunk = 200_000
    for _ in range(samples // chunk):
        w = torch.randn(chunk, x.shape[1], generator=gen, dtype=torch.float64)
        d = dpsi(x @ w.T)  # (n, chunk)
        prod = d[:, None, :] * d[None, :, :]
        total += prod.sum(-1)
        total_sq += (prod**2).sum(-1)
    mean = total / samples
    se = torch.sqrt((total_sq / samples - mean**2) / samples)
    g = x @ x.T
    return g * mean, g.abs() * se


@pytest.mark.parametrize("activation", ["relu", "erf"])
def test_closed_form_matches_monte_carlo(points, activation):
    mc, se = monte_carlo_h_star(points, activation)
    closed = h_star_closed_form(points, activation)
    z = (mc - closed).abs() / se.clamp_min(1e-300)
    assert z.max() < 5.0, f"max |MC - closed| / SE = {z.max():.2f}"


def test_quadrature_matches_monte_carlo_for_tanh(points):
    mc, se = monte_carlo_h_star(points, "tanh")
    quad = h_star_quadrature(points, "tanh", nodes=64)
    assert ((mc - quad).abs() / se).max() < 5.0


@pytest.mark.parametrize("activation", ["relu", "erf"])
def test_quadrature_matches_closed_form(activation):
    x = torch.from_numpy(sample_sphere(30, 10, np.random.default_rng(1)))
    quad = h_star_quadrature(x, activation, nodes=64)
    closed = h_star_closed_form(x, activation)
    assert ((quad - closed).abs().max() / closed.abs().max()) < 1e-8


def test_h_star_relu_diagonal_is_half():
    x = torch.from_numpy(sample_sphere(5, 4, np.random.default_rng(2)))
    assert torch.allclose(torch.diagonal(h_star(x, "relu")), torch.full((5,), 0.5,
                          dtype=torch.float64), atol=1e-15)


def _network(w, a, x, activation, scale):
    return scale * get_activation(activation).psi(x @ w.T) @ a


@pytest.mark.parametrize("activation", ["relu", "erf", "tanh"])
@pytest.mark.parametrize("scheme", ["ntk", "mean_field"])
def test_two_layer_ntk_gram_matches_torch_func_jacobian(points, activation, scheme):
    """The closed-form Gram against J J^T with J from torch.func (generic autodiff), per seed."""
    net = TwoLayerNet.init(37, points.shape[1], [3, 4], activation, scheme)
    ours = two_layer_ntk_gram(net, points)
    assert ours.shape == (2, len(points), len(points))
    for s in range(2):
        jac = torch.func.jacrev(_network)(net.w[s], net.a[s], points, activation, net.scale)
        jac = jac.reshape(len(points), -1)  # (n, m d)
        reference = jac @ jac.T
        assert ((ours[s] - reference).abs().max() / reference.abs().max()) < 1e-10


@pytest.mark.parametrize("activation", ["relu", "erf", "tanh"])
def test_closed_form_gradient_matches_autograd(points, activation):
    net = TwoLayerNet.init(23, points.shape[1], [0, 1], activation)
    y = torch.linspace(-1, 1, len(points), dtype=torch.float64)
    w = net.w.clone().requires_grad_(True)
    f = net.scale * (get_activation(activation).psi(points @ w.transpose(-1, -2))
                     @ net.a[..., None])[..., 0]
    (grad,) = torch.autograd.grad(0.5 * ((f - y) ** 2).sum(), w)
    r, ours = net.residual_and_grad(points, y)
    assert torch.allclose(r, f.detach() - y, rtol=0, atol=1e-14)
    assert (ours - grad).abs().max() < 1e-13


def test_ntk_concentrates_like_inverse_sqrt_width(points):
    """A cheap check of D1's mechanism: error at m = 10^4 is ~10x smaller than at m = 10^2."""
    hs = h_star(points, "erf")
    errs = []
    for m in (100, 10_000):
        net = TwoLayerNet.init(m, points.shape[1], list(range(8)), "erf")
        err = torch.linalg.matrix_norm(two_layer_ntk_gram(net, points) - hs, ord=2)
        errs.append(err.mean().item())
    ratio = errs[0] / errs[1]
    assert 5 < ratio < 20, ratio


def test_init_is_seeded_and_validated():
    a = TwoLayerNet.init(5, 3, [0, 1], "tanh")
    b = TwoLayerNet.init(5, 3, [0, 1], "tanh")
    assert torch.equal(a.w, b.w) and torch.equal(a.a, b.a)
    assert not torch.equal(a.w[0], a.w[1])
    with pytest.raises(ValueError, match="width"):
        TwoLayerNet.init(0, 3, [0], "tanh")
    with pytest.raises(ValueError, match="unknown activation"):
        TwoLayerNet.init(5, 3, [0], "sigmoid")
    with pytest.raises(ValueError, match="unknown activation"):  # registered, but no psi'(z, psi)
        TwoLayerNet.init(5, 3, [0], "gelu")
    assert math.isclose(TwoLayerNet.init(16, 3, [0], "relu", "mean_field").scale, 1 / 16)
