"""Section E building blocks against independent references: the perturbed start's norm, a
frozen encoder that does not move, the activation swap, the bisection of rho*, the torch.func
PINN Jacobian (closed form at one hidden layer, finite differences at two), the layer-wise
weight distances."""

import math

import numpy as np
import pandas as pd
import pytest
import torch

from wideopt.data.pinn_problems import make_collocation
from wideopt.models.deeponet import DeepONet
from wideopt.models.fno import FNO1d
from wideopt.models.pinn_deep import DeepPINN
from wideopt.models.pinn_two_layer import TwoLayerPINN
from wideopt.pde import get_problem, poisson_cube
from wideopt.training.operators.variants import (
    RadiusSearch,
    critical_radius,
    freeze_encoder,
    perturb,
    trainable_vector,
    with_activation,
)
from wideopt.training.pinn.deep import FuncResidual
from wideopt.training.pinn.residual import Residual


@pytest.mark.parametrize("rho", [0.5, 30.0])
def test_perturbed_start_has_the_requested_norm(rho):
    net = DeepONet(20, 8)
    before = trainable_vector(net)
    delta = perturb(net, rho, seed=3)
    moved = trainable_vector(net) - before
    assert float(torch.linalg.vector_norm(moved)) == pytest.approx(rho, rel=1e-5)
    assert torch.allclose(moved, delta, atol=1e-5)
    # the direction is the seed's, not the net's: same seed, same delta
    assert torch.equal(perturb(DeepONet(20, 8), rho, seed=3), delta)


def test_frozen_encoder_does_not_move_under_adam():
    torch.manual_seed(0)
    net = FNO1d(6, modes=3, n_layers=2, proj_width=8)
    frozen = freeze_encoder(net)
    assert frozen == sum(p.numel() for m in (net.lift, net.proj1, net.proj2)
                         for p in m.parameters())
    enc0 = [p.detach().clone() for m in (net.lift, net.proj1, net.proj2) for p in m.parameters()]
    rest0 = [p.detach().clone() for p in net.spectral.parameters()]
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    u, x = torch.randn(4, 16), torch.linspace(0, 1, 16)
    for _ in range(3):
        opt.zero_grad()
        (net(u, x) ** 2).mean().backward()
        opt.step()
    enc = [p for m in (net.lift, net.proj1, net.proj2) for p in m.parameters()]
    assert all(torch.equal(a, b) for a, b in zip(enc0, enc, strict=True))
    assert any(not torch.equal(a, b) for a, b in
               zip(rest0, net.spectral.parameters(), strict=True))


def test_activation_swap_gives_relu_everywhere():
    torch.manual_seed(0)
    net = with_activation(DeepONet(5, 4), "relu")
    branch = net.branch
    z = branch[0](torch.randn(3, 5))
    assert torch.equal(branch[1](z), torch.relu(z))
    assert "relu" in repr(net) and "tanh" not in repr(net)
    fno = with_activation(FNO1d(4, modes=2, n_layers=1, proj_width=4), "relu")
    assert torch.equal(fno.act(torch.tensor([-1.0, 2.0])), torch.tensor([0.0, 2.0]))


def test_bisection_finds_the_threshold_in_log_rho():
    true = 37.0
    calls = []

    def loss(rho):
        calls.append(rho)
        return 1.0 if rho <= true else 5.0  # 2x tolerance breaks above rho = 37

    res = critical_radius(loss, RadiusSearch(1.0, 1e4, steps=10))
    width = math.log(1e4) / 2**10  # final bracket in log rho
    assert math.log(true) - width <= math.log(res["rho_star"]) <= math.log(true)
    assert res["censored"] == 0 and res["n_runs"] == 13 == len(calls)
    up = critical_radius(lambda r: 1.0, RadiusSearch(1.0, 1e4, steps=6))
    assert up["censored"] == 1 and up["rho_star"] == 1e4
    down = critical_radius(lambda r: 1.0 if r == 0 else float("nan"),
                           RadiusSearch(1.0, 1e4, steps=6))
    assert down["censored"] == -1 and down["rho_star"] == 1.0


@pytest.fixture(scope="module")
def poisson2d():
    prob = get_problem("poisson2d")
    return prob, make_collocation(prob, 4, 5, 10, 0)


def test_func_jacobian_matches_the_closed_form_at_one_hidden_layer(poisson2d):
    prob, colloc = poisson2d
    r0, j0 = Residual(prob.operator, colloc).with_jacobian(TwoLayerPINN(7, 2, seed=1))
    res = FuncResidual(prob.operator, colloc)
    net = DeepPINN(7, 2, seed=1, depth=1)
    r1, j1 = res.with_jacobian(net)
    torch.testing.assert_close(r1, r0, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(j1, j0, rtol=1e-12, atol=1e-12)
    _, g = res.with_grad(net)
    torch.testing.assert_close(g, j0.T @ r0, rtol=1e-12, atol=1e-12)


def test_deep_jacobian_matches_finite_differences(poisson2d):
    prob, colloc = poisson2d
    net = DeepPINN(5, 2, seed=0, depth=2)
    res = FuncResidual(prob.operator, colloc)
    _, jac = res.with_jacobian(net)
    assert jac.shape == (sum(colloc.sizes), 5 * 3 + 25)
    fn, w, h = res.residual_fn(net), net.w.detach(), 1e-6
    cols = [9, 17, 30, 39]  # entries of W_1 and of W_2
    fd = torch.stack([(fn(w + h * e) - fn(w - h * e)) / (2 * h)
                      for e in torch.eye(w.numel(), dtype=w.dtype)[cols]], dim=1)
    torch.testing.assert_close(jac[:, cols], fd, rtol=1e-6, atol=1e-7)


def test_poisson_cube_source_is_the_closed_form():
    prob = poisson_cube(5)
    x = torch.rand(4, 5, dtype=torch.float64)
    # -Delta sum_i sin(pi x_i / 2) = (pi/2)^2 sum_i sin(pi x_i / 2)
    expected = (math.pi / 2) ** 2 * torch.sin(math.pi * x / 2).sum(1)
    torch.testing.assert_close(prob.source(x), expected)


def test_layer_distances_take_the_running_max_up_to_each_multiple():
    from wideopt.training.flows.depth_flow import layer_distances, schedule

    assert schedule(10, [1, 4], 3)[-1] == 40 and {10, 40} <= set(schedule(10, [1, 4], 3))
    steps = [0, 5, 10, 20, 40]
    vals = [0.0, 0.3, 0.2, 0.6, 0.5]
    m = pd.DataFrame([(s, s * 0.5, "weight_rel_spec_1", v) for s, v in zip(steps, vals,
                                                                            strict=True)]
                     + [(40, 20.0, "diverged", 0.0)], columns=["step", "t", "metric", "value"])
    out = layer_distances(m, 10, [1, 4]).set_index("multiple")["h"]
    assert out.to_dict() == {1: 0.3, 4: 0.6}
    cut = layer_distances(m[m.step <= 20], 10, [1, 4]).set_index("multiple")["h"]
    assert cut[1] == 0.3 and np.isnan(cut[4])  # the run never reached 4 T
