"""Problems: sources derived from u* match closed forms; u* has zero training residual."""

import math

import numpy as np
import pytest
import torch

from wideopt.data.pinn_problems import make_collocation
from wideopt.pde import HELMHOLTZ_A, PROBLEMS, get_problem
from wideopt.plan import pinn as pinn_plan
from wideopt.training.pinn.residual import stack_residuals


def make_data(prob, n_int, n_bd, n_test, seed):
    return make_collocation(prob, n_int, n_bd, n_test, seed).arrays()

PI = math.pi


def _closed_form_source(name, x):
    """Hand-derived f = L u* (independent reference)."""
    if name == "poisson1d":
        return PI**2 * np.sin(PI * x[:, 0])
    if name == "poisson2d":
        return 2 * PI**2 * np.sin(PI * x[:, 0]) * np.sin(PI * x[:, 1])
    if name == "heat1d":
        return np.zeros(len(x))  # u_t = u_xx / 4 exactly
    if name == "helmholtz2d":
        return (1 - 17 * PI**2) * np.sin(PI * x[:, 0]) * np.sin(4 * PI * x[:, 1])
    if name == "poisson10d":
        return (PI**2 / 4) * np.sin(PI * x / 2).sum(1)
    raise KeyError(name)


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_source_matches_closed_form_and_residual_is_zero(name):
    prob = get_problem(name)
    data = make_data(prob, 16 if prob.dim > 2 else 6, 8 if prob.dim > 2 else 5, 50, seed=0)
    np.testing.assert_allclose(data["f_int"], _closed_form_source(name, data["x_int"]),
                               rtol=0, atol=1e-10)
    t = make_collocation(prob, 16 if prob.dim > 2 else 6, 8 if prob.dim > 2 else 5, 50, seed=0)
    # The same residual code the training uses, applied to u* and its derivatives.
    lu = prob.operator.apply(*prob.exact_derivatives(t.x_int))
    r = stack_residuals(lu, t.f_int, prob.u_exact(t.x_bd), t.g_bd)
    assert float(r.abs().max()) <= 1e-10


def test_boundary_points_lie_on_dirichlet_faces_and_test_points_are_independent():
    prob = get_problem("heat1d")
    d = make_data(prob, 5, 6, 100, seed=0)
    t, x = d["x_bd"][:, 0], d["x_bd"][:, 1]
    on = np.isclose(t, 0) | np.isclose(x, 0) | np.isclose(x, 1)
    assert on.all() and not np.isclose(t, 1).all()
    assert not np.isclose(t, 1).any() or np.isclose(x[np.isclose(t, 1)], [0, 1]).any()
    # heat1d initial data u(0, x) = sin(pi x); zero on x = 0, 1.
    np.testing.assert_allclose(d["g_bd"], np.exp(-PI**2 * t / 4) * np.sin(PI * x), atol=1e-14)
    train = {tuple(p) for p in np.round(np.concatenate([d["x_int"], d["x_bd"]]), 12)}
    assert not any(tuple(p) in train for p in np.round(d["x_test"], 12))
    assert d["x_int"].shape == (25, 2)


def test_poisson10d_boundary_covers_all_faces():
    prob = get_problem("poisson10d")
    d = make_data(prob, 64, 40, 10, seed=0)
    x = d["x_bd"]
    faces = {(i, int(round(v))) for p in x for i, v in enumerate(p) if v in (0.0, 1.0)}
    assert len(faces) == 20
    assert ((x > 0) & (x < 1)).sum(1).min() == 9


def test_collocation_round_trips_through_arrays():
    from wideopt.data.pinn_problems import Collocation
    c = make_collocation(get_problem("poisson2d"), 4, 5, 10, seed=0)
    back = Collocation.from_arrays(c.arrays())
    for (name, a), (_, b) in zip(c.items(), back.items(), strict=True):
        assert torch.equal(a, b), name


@pytest.mark.parametrize("a", [1.0, 2.0])
def test_helmholtz_frequency_is_a_parameter(a):
    """helmholtz2d-a<a>: u* = sin(pi x) sin(a pi y), f = (k^2 - (1 + a^2) pi^2) u* (k = 1); the
    bare name is a = 4, the a the workflow reuses (wideopt.plan.pinn)."""
    prob = get_problem(f"helmholtz2d-a{a:g}")
    x = torch.tensor([[0.3, -0.7], [-0.55, 0.2]], dtype=torch.float64)
    u = np.sin(PI * x[:, 0].numpy()) * np.sin(a * PI * x[:, 1].numpy())
    np.testing.assert_allclose(prob.u_exact(x).numpy(), u, rtol=1e-13)
    np.testing.assert_allclose(prob.source(x).numpy(), (1 - (1 + a * a) * PI**2) * u,
                               rtol=1e-12)
    assert get_problem("helmholtz2d-a4").name == "helmholtz2d"
    # the workflow names its sets by the same a (one constant, wideopt.domains.HELMHOLTZ_A)
    assert pinn_plan.helmholtz_dataset(HELMHOLTZ_A) == "helmholtz2d"
    assert get_problem(pinn_plan.helmholtz_dataset(a)).name == f"helmholtz2d-a{a:g}"
    with pytest.raises(ValueError, match="helmholtz2d-a<value>"):
        get_problem("helmholtz2d-b2")


@pytest.mark.parametrize(("name", "sizes", "counts"), [
    ("poisson1d", (16, 2), (16, 2)),  # the two end points
    ("poisson2d", (5, 6), (25, 20)),  # 4 faces x 6 - 4 corners
    ("heat1d", (5, 6), (25, 16)),  # t = 0, x = 0, x = 1: 3 x 6 - 2 corners (t = 1 is free)
    ("helmholtz2d-a2", (6, 7), (36, 24)),  # 4 x 7 - 4
    ("poisson10d", (64, 32), (64, 32)),  # Sobol: the totals
])
def test_point_counts_are_the_collocation_codes(name, sizes, counts):
    """The counts the planning reads (wideopt.domains, torch-free) are the points the
    collocation code draws, and both equal a count by hand."""
    prob = get_problem(name)
    assert prob.layout.point_counts(*sizes) == counts
    assert make_collocation(prob, *sizes, 10, 0).sizes == counts
