"""Section B network and NTK: torch.func Gram vs a direct Jacobian, closed form vs width."""

import numpy as np
import pytest
import torch

from wideopt.analysis.fits import fit_decay, float64_floor
from wideopt.data.sphere import sample_sphere
from wideopt.kernels.ntk_deep import empirical_ntk, relu_ntk_infinite
from wideopt.kernels.spectra import gram_eigenvalues
from wideopt.models.frozen_mlp import FrozenEndsMLP

# Seed 001's activations (config sobolev.spectrum.activations), from the one registry.
SOBOLEV_ACTIVATIONS = ["elu", "gelu", "relu", "softplus", "tanh"]


def _points(n, dim, seed=0):
    return torch.from_numpy(sample_sphere(n, dim, np.random.default_rng(seed)))


def _direct_gram(net, x):
    """J Jᵀ with J the full Jacobian w.r.t. the trained parameters, one autograd row per x_i."""
    rows = []
    for i in range(len(x)):
        grads = torch.autograd.grad(net(x[i:i + 1])[0], list(net.hidden))
        rows.append(torch.cat([g.ravel() for g in grads]))
    jac = torch.stack(rows)
    return jac @ jac.T


@pytest.mark.parametrize("act", SOBOLEV_ACTIVATIONS)
def test_empirical_ntk_equals_jacobian_product(act):
    net = FrozenEndsMLP(3, 12, act, seed=1)
    x = _points(9, 3)
    h = empirical_ntk(net, x, chunk=4)  # chunks smaller than n exercise the batching
    np.testing.assert_allclose(h.numpy(), _direct_gram(net, x).numpy(), rtol=1e-12, atol=1e-13)


def test_unknown_activation_names_the_registry():
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        FrozenEndsMLP(3, 4, "swish")


def test_model_shapes_and_frozen_layers():
    net = FrozenEndsMLP(5, 7, "gelu", seed=0)
    assert net(_points(4, 5)).shape == (4,)
    assert [n for n, _ in net.named_parameters()] == ["hidden.0", "hidden.1"]
    assert net.n_trainable == 2 * 7 * 7
    wide = FrozenEndsMLP(5, 3000, "gelu", seed=0)
    z1 = wide.first_layer(_points(200, 5))
    assert z1.var().item() == pytest.approx(1.0, rel=0.05)  # preactivations ~ N(0, q = 1)


def test_relu_closed_form_matches_wide_network():
    x = _points(30, 3, seed=2)
    ref = relu_ntk_infinite((x @ x.T).numpy())
    errs = []
    for m in (64, 1024):  # mean over 4 seeds: finite-width fluctuations are heavy-tailed
        h = np.mean([empirical_ntk(FrozenEndsMLP(3, m, "relu", seed=s), x).numpy()
                     for s in range(4)], axis=0)
        errs.append(np.linalg.norm(h - ref) / np.linalg.norm(ref))
    assert errs[1] < 0.1
    assert errs[1] < errs[0]  # fluctuations shrink like m^{-1/2}


def test_relu_closed_form_diagonal_and_two_layer_case():
    # Diagonal t = 1: theta = 0 at every layer, Sigma_dot = 1/2, Sigma_a^j = q / 2^j:
    # Theta(1) = sum_{k=1}^{H-1} (q / 2^k) (1/2)^{H-k} = (H - 1) q / 2^H.
    for layers in (2, 3, 4):
        assert relu_ntk_infinite(1.0, 1.0, layers) == pytest.approx((layers - 1) / 2**layers)
    # H = 2 (one trained matrix): Theta = Sigma_a^1 * Sigma_dot^2 by Monte Carlo.
    rng = np.random.default_rng(0)
    t = 0.3
    q1 = 0.5 * (1 + t)  # Sigma^1 off-diagonal for q = 1
    u = rng.multivariate_normal([0, 0], [[1, q1], [q1, 1]], size=400_000)
    a = np.maximum(u, 0)
    sa = np.mean(a[:, 0] * a[:, 1])
    v = rng.multivariate_normal([0, 0], [[0.5, sa], [sa, 0.5]], size=400_000)
    sdot = np.mean((v[:, 0] > 0) & (v[:, 1] > 0))
    assert relu_ntk_infinite(t, 1.0, 2) == pytest.approx(sa * sdot, rel=0.01)


def test_fit_decay_recovers_power_law_and_respects_floor():
    k = np.arange(1, 2001, dtype=float)
    lam = 3.0 * k**-1.5
    res = fit_decay(lam, 10, 500, 0.0)
    assert res["exponent"] == pytest.approx(1.5, rel=1e-10)
    assert res["r2_power"] > res["r2_geometric"]
    geo = 0.9**k
    res = fit_decay(geo, 10, 500, float64_floor(geo, 2000))
    assert res["k_hi_used"] < 300  # stops at the float64 floor
    assert res["r2_geometric"] == pytest.approx(1.0)


def test_gram_eigenvalues_sorted_and_normalized():
    a = np.diag([4.0, 1.0, 2.0])
    np.testing.assert_allclose(gram_eigenvalues(a, per_point=True), [4 / 3, 2 / 3, 1 / 3])
    np.testing.assert_allclose(gram_eigenvalues(a), [4, 2, 1])
