"""Claim B3's reference: the infinite-width NTK of the frozen-ends MLP and its kernel flow.

Independent references: the ReLU closed form (arc-cosine recursion), the 1-D closed form of
E[ELU(u)²], a Monte-Carlo average of empirical NTKs (torch.func) over wide random nets, and
the matrix exponential / linear solve of the kernel flow's ODE.
"""

import math

import numpy as np
import pytest
import torch
from scipy.stats import norm

from wideopt.analysis.sobolev_summary import aggregate_runs
from wideopt.data.sobolev import make_problem
from wideopt.data.sphere import sample_sphere
from wideopt.io import write_csv
from wideopt.kernels.ntk_deep import SphereNTK, empirical_ntk, ntk_infinite, relu_ntk_infinite
from wideopt.kernels.ntk_two_layer import gaussian_pair_expectation
from wideopt.models.frozen_mlp import FrozenEndsMLP
from wideopt.training.flows.gradient_flow import train_gradient_flow
from wideopt.training.flows.kernel_flow import KernelFlow


@pytest.fixture(autouse=True)
def _one_thread():
    """One torch thread (as the jobs): on the shared 2-core machine a second one only spins."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _points(n, dim=3, seed=0):
    return sample_sphere(n, dim, np.random.default_rng(seed))


@pytest.mark.parametrize(("q", "layers"), [(1.0, 2), (1.0, 3), (0.5, 4)])
def test_quadrature_ntk_equals_relu_closed_form(q, layers):
    t = np.linspace(-1.0, 1.0, 23)
    got, ref = ntk_infinite(t, "relu", q, layers), relu_ntk_infinite(t, q, layers)
    np.testing.assert_allclose(got[:-1], ref[:-1], rtol=1e-12, atol=1e-14)
    # t = 1: the next layer's ρ = Σ/(√v √v) is 1 only to an ulp, and ReLU's step turns a
    # round-off 1 − ε into ~√ε (arcs of width √(2ε) in the polar rule)
    assert got[-1] == pytest.approx(ref[-1], rel=1e-8)


def test_elu_second_moment_closed_form_and_radial_rules():
    # E[ELU(u)^2], u ~ N(0, v): v/2 + e^{2v} Phi(-2 sqrt v) - 2 e^{v/2} Phi(-sqrt v) + 1/2.
    v = 0.7
    exact = (v / 2 + math.exp(2 * v) * norm.cdf(-2 * math.sqrt(v))
             - 2 * math.exp(v / 2) * norm.cdf(-math.sqrt(v)) + 0.5)
    one = torch.ones(1, dtype=torch.float64)
    elu = torch.nn.functional.elu
    legendre = gaussian_pair_expectation(elu, v * one, v * one, v * one, 32, 10.0).item()
    laguerre = gaussian_pair_expectation(elu, v * one, v * one, v * one, 32).item()
    assert legendre == pytest.approx(exact, rel=1e-13)
    assert abs(laguerre - exact) > 1e3 * abs(legendre - exact)  # why the Legendre option exists


def test_limiting_kernel_matches_wide_random_nets():
    """Mean empirical NTK of 32 ELU nets of width 1024 vs Θ∞ on 6 points of S².

    The mean's relative Frobenius error is Monte-Carlo noise (standard error ~1.5-2 % at
    m x nets = 32768, plus an O(1/m) bias); tolerance 6 %. The limit with the wrong
    preactivation variance (q = 1.5) is > 15 % away: the test resolves the recursion.
    """
    x = torch.from_numpy(_points(6, seed=3))
    t = (x @ x.T).numpy()
    mc = np.mean([empirical_ntk(FrozenEndsMLP(3, 1024, "elu", seed=s), x).numpy()
                  for s in range(32)], axis=0)

    def rel(k):
        return np.linalg.norm(mc - k) / np.linalg.norm(k)

    assert rel(ntk_infinite(t, "elu")) < 0.06
    assert rel(ntk_infinite(t, "elu", preact_var=1.5)) > 0.15


def test_sphere_table_interpolates_the_direct_kernel():
    x1, x2 = _points(40, seed=1), _points(25, seed=2)
    direct = ntk_infinite(np.clip(x1 @ x2.T, -1, 1), "elu", nodes=24)
    table = SphereNTK.tabulate("elu", grid=1025, nodes=24)  # h²/8·|Θ''| ~ 5e-7
    np.testing.assert_allclose(table(x1, x2, rows=16).numpy(), direct, rtol=0, atol=2e-6)
    assert np.abs(SphereNTK.tabulate("elu", grid=65, nodes=24)(x1, x2).numpy()
                  - direct).max() > 1e-4  # and a coarse table is visibly worse
    # t = 1 is a grid point: the diagonal is the table's value up to arccos(1 − ulp) ~ 2e-8
    diag = table(x1, x1).diagonal().numpy()
    np.testing.assert_allclose(diag, ntk_infinite(1.0, "elu", nodes=24), rtol=1e-9)


def _flow_problem(n=30, n_test=12):
    x, xt = _points(n, seed=4), _points(n_test, seed=5)
    table = SphereNTK.tabulate("elu", grid=513, nodes=24)
    gen = torch.Generator().manual_seed(0)
    f0, f0t, y = (torch.randn(k, generator=gen, dtype=torch.float64) for k in (n, n_test, n))
    return table(x, x), table(xt, x), f0, f0t, y


def test_kernel_flow_limits_and_matrix_exponential():
    k, kt, f0, f0t, y = _flow_problem()
    n = len(y)
    flow = KernelFlow(k, kt)
    t = 3.0
    out = flow.predict([0.0, t, 1e12], f0, f0t, y)
    torch.testing.assert_close(out[0], f0t, rtol=0, atol=0)  # f_inf(0) = f_m(0)
    # f_inf(t) = f0 + K(.,X) K^{-1} (I - expm(-tK/n)) (y - f0), by solve and matrix_exp
    decay = torch.eye(n, dtype=torch.float64) - torch.linalg.matrix_exp(-t * k / n)
    ref = f0t + kt @ torch.linalg.solve(k, decay @ (y - f0))
    torch.testing.assert_close(out[1], ref, rtol=1e-9, atol=1e-10)
    # as t -> oo the flow interpolates y on X (the training points as test points)
    on_x = KernelFlow(k, k).predict([1e12], f0, f0, y)[0]
    torch.testing.assert_close(on_x, y, rtol=0, atol=1e-7)
    assert float((out[2] - out[1]).abs().max()) > 1e-3  # t = 3 is not yet the limit


def test_training_records_the_kernel_flow_and_runs_table(tmp_path):
    data = make_problem(3, 1.0, 40, 20_000, 0, 200)
    table = SphereNTK.tabulate("elu", grid=257, nodes=24)
    flow = KernelFlow(table(data["x"], data["x"]), table(data["x_test"], data["x"]))
    df = train_gradient_flow(FrozenEndsMLP(3, 16, "elu", seed=0), data, 1.0, 6, 3, flow)
    wide = df.pivot_table(index="step", columns="metric", values="value")
    # t = 0: the flow starts from the network's own initial function
    assert wide.loc[0, "kernel_gap"] == 0.0
    assert wide.loc[0, "kernel_flow_l2"] == pytest.approx(wide.loc[0, "test_l2"], rel=1e-12)
    assert 0 < wide.loc[6, "kernel_gap"] < 1
    path = tmp_path / "d3_alpha1_m16.csv"
    write_csv(df.assign(seed=0, n_params=512), path)
    runs = aggregate_runs([path])[1]
    assert runs.kernel_gap.iloc[0] == wide.loc[6, "kernel_gap"]
    assert runs.kernel_flow_error.iloc[0] == wide.loc[6, "kernel_flow_l2"]
