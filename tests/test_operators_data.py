"""Section A data generators against independent references (seed 000 problems)."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from wideopt.data import antiderivative, burgers, diffusion_reaction
from wideopt.data.grf import RBFField, chebyshev_nodes, chebyshev_operators, periodic_field


@pytest.mark.parametrize(
    ("f", "F"),
    [
        (lambda t: 3 * t**5 - t**2 + 1, lambda t: t**6 / 2 - t**3 / 3 + t),
        (lambda t: np.sin(2 * np.pi * t), lambda t: (1 - np.cos(2 * np.pi * t)) / (2 * np.pi)),
        (lambda t: np.cos(7 * t), lambda t: np.sin(7 * t) / 7),
    ],
)
def test_antiderivative_exact_for_polynomials_and_trig(f, F):
    x = np.linspace(0, 1, 100)
    got = antiderivative.antiderivative(f(chebyshev_nodes(64)), x)
    assert np.abs(got - F(x)).max() <= 1e-10


def test_antiderivative_dataset_consistent():
    arrays, meta = antiderivative.generate(50, 10, 100, seed=3)
    x, u, s = arrays["x"], arrays["u"], arrays["s"]
    assert u.shape == s.shape == (60, 100) and meta["n_train"] == 50
    # Independent check: trapezoidal rule on the sensor grid (O(h^2) ~ 1e-4 accurate).
    trap = np.concatenate([np.zeros((60, 1)), np.cumsum((u[:, 1:] + u[:, :-1]) / 2 * np.diff(x),
                                                         axis=1)], axis=1)
    assert np.abs(trap - s).max() < 1e-3
    assert np.allclose(s[:, 0], 0)


def test_rbf_field_statistics():
    field = RBFField(0.2)
    u = field.sample_nodes(20000, np.random.default_rng(0))
    emp = np.cov(u[:, ::8].T)
    nodes = field.nodes[::8]
    assert np.abs(emp - field.covariance(nodes, nodes)).max() < 0.05


def test_periodic_field_spectrum():
    u = periodic_field(20000, 64, np.random.default_rng(1))
    # Var(mean) = lambda_0 = 625 / 25^2 = 1; pointwise variance = sum_k lambda_k (k >= 0).
    k = np.arange(1, 31)
    lam = 625 * ((2 * np.pi * k) ** 2 + 25) ** -2.0
    assert abs(u.mean(axis=1).var() - 1.0) < 0.05
    assert abs(u.var(axis=0).mean() - (1 + 2 * lam.sum())) < 0.05


def _dr_setup(n_fine, n_samples=2, seed=4):
    nodes_u = RBFField().sample_nodes(n_samples, np.random.default_rng(seed))
    x = np.linspace(0, 1, n_fine + 1)
    ev, _ = chebyshev_operators(64, x)
    return nodes_u @ ev.T


def test_diffusion_reaction_time_stepping_matches_solve_ivp():
    n_fine = 198
    u = _dr_setup(n_fine)
    s = diffusion_reaction.solve(u[:, 1:-1], n_fine, 400)
    # Independent reference: an explicit 8th-order Runge-Kutta (DOP853) at tight tolerance on
    # the same semi-discretization (this grid is only mildly stiff: D * 4/h^2 ~ 1.6e3).
    for i in range(u.shape[0]):
        ref = solve_ivp(diffusion_reaction.method_of_lines_rhs(u[i, 1:-1], n_fine), (0, 1),
                        np.zeros(n_fine - 1), method="DOP853", rtol=1e-10,
                        atol=1e-12).y[:, -1]
        assert np.abs(s[i, 1:-1] - ref).max() / np.abs(ref).max() <= 1e-5


def test_diffusion_reaction_second_order_in_space():
    # Values at the 100 sensors for grids of 99*r intervals; successive differences shrink x4.
    vals = []
    for r in (1, 2, 4, 8):
        n_fine = 99 * r
        s = diffusion_reaction.solve(_dr_setup(n_fine)[:, 1:-1], n_fine, 200)
        vals.append(s[:, ::r])
    d = [np.abs(vals[i + 1] - vals[i]).max() for i in range(3)]
    ratios = [d[i] / d[i + 1] for i in range(2)]
    assert all(3.5 < q < 4.5 for q in ratios), ratios
    # The paper-scale grid (r = 8) is then within ~d[2]/3 of the continuum: < 1e-5.
    assert d[2] / 3 < 1e-5


def test_burgers_matches_cole_hopf():
    n, nu = 1024, 0.1
    x = np.arange(n) / n
    # phi0 = exp(-(1/(2 nu)) int_0^x u0) with u0 = sin(2 pi x): u0 recovered by Cole-Hopf.
    phi0 = np.exp(-(1 - np.cos(2 * np.pi * x)) / (4 * np.pi * nu))
    u0 = burgers.cole_hopf(phi0, nu, 0.0)
    assert np.abs(u0 - np.sin(2 * np.pi * x)).max() < 1e-12
    got = burgers.solve(u0[None], nu, 1.0, 200)[0]
    exact = burgers.cole_hopf(phi0, nu, 1.0)
    assert np.abs(got - exact).max() / np.abs(exact).max() <= 1e-6


def test_burgers_dataset_converged_in_time():
    arrays, _ = burgers.generate(3, 1, 128, seed=5, n_steps=200)
    fine, _ = burgers.generate(3, 1, 128, seed=5, n_steps=400)
    assert np.abs(arrays["u"] - fine["u"]).max() / np.abs(fine["u"]).max() < 1e-6
    assert arrays["u0"].shape == (4, 128)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: burgers.solve(np.zeros((1, 64)), nu=-0.1), "viscosity"),
        (lambda: antiderivative.generate(0, 10, 100, seed=0), "n_train"),
        (lambda: RBFField(length_scale=0.0), "length_scale"),
        (lambda: RBFField(length_scale=-1.0).sample_nodes(2, np.random.default_rng()),
         "length_scale"),
        (lambda: diffusion_reaction.generate(10, 0, 100, seed=0), "n_test"),
        (lambda: diffusion_reaction.solve(np.zeros((1, 9)), 10, 10, D=0.0), "diffusivity"),
        (lambda: burgers.generate(10, 10, 128, seed=0, n_fine=512), "n_fine"),
    ],
)
def test_bad_parameters_fail_clearly(call, match):
    with pytest.raises(ValueError, match=match):
        call()
