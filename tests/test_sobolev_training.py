"""Section B training: GD steps in the Lightning module, harmonic least squares."""

import numpy as np
import pytest
import torch

from wideopt.classical import least_squares_curve, projection_curve
from wideopt.data.harmonics import real_harmonics_s2
from wideopt.data.sobolev import make_problem
from wideopt.models.frozen_mlp import FrozenEndsMLP
from wideopt.training.flows.gradient_flow import eval_schedule, train_gradient_flow


def test_eval_schedule():
    s = eval_schedule(1000, 16)
    assert s[0] == 0 and s[-1] == 1000 and s == sorted(set(s))


def test_gradient_flow_matches_manual_gd_and_logs_metrics():
    data = make_problem(3, 1.0, 40, 20_000, 0, 200)
    lr, steps = 1.0, 7
    net = FrozenEndsMLP(3, 10, "elu", seed=0)
    ref = FrozenEndsMLP(3, 10, "elu", seed=0)
    x, y = torch.from_numpy(data["x"]), torch.from_numpy(data["y"])
    w0 = [p.detach().clone() for p in ref.hidden]
    for _ in range(steps):  # W <- W - lr * grad of (1/2n) sum r^2
        loss = 0.5 * ((ref(x) - y) ** 2).mean()
        grads = torch.autograd.grad(loss, list(ref.hidden))
        with torch.no_grad():
            for p, g in zip(ref.hidden, grads, strict=True):
                p -= lr * g
    df = train_gradient_flow(net, data, lr, steps, 4)
    for p, q in zip(net.hidden, ref.hidden, strict=True):
        torch.testing.assert_close(p.detach(), q.detach(), rtol=1e-12, atol=1e-12)
    wide = df.pivot_table(index="step", columns="metric", values="value")
    assert wide.index.max() == steps and wide.loc[steps, "diverged"] == 0
    rel = torch.sqrt(sum(((p - q) ** 2).sum() for p, q in zip(ref.hidden, w0, strict=True)))
    rel /= torch.sqrt(sum((q**2).sum() for q in w0))
    assert wide.loc[steps, "weight_rel"] == pytest.approx(float(rel), rel=1e-10)
    assert wide.loc[steps, "test_l2"] < wide.loc[0, "test_l2"]


def test_divergence_is_recorded_not_raised():
    data = make_problem(3, 1.0, 40, 20_000, 0, 200)
    df = train_gradient_flow(FrozenEndsMLP(3, 8, "elu", seed=0), data, 50.0, 100, 5)
    assert df[df.metric == "diverged"].value.iloc[-1] == 1.0


def test_least_squares_exact_for_band_limited_target_and_projection_tail():
    data = make_problem(3, 2.0, 300, 20_000, 0, 200)
    coef = np.random.default_rng(0).standard_normal(16)  # degree <= 3, full (not zonal)
    for key in ("", "_test"):
        data["y" + key] = real_harmonics_s2(3, data["x" + key]) @ coef
    ls = least_squares_curve(data, 150).set_index("degree")
    assert ls.loc[3, "test_l2"] < 1e-12 and ls.loc[2, "test_l2"] > 0.1
    proj = projection_curve(2.0, 3, 200, 10)
    assert list(proj.n_params[:3]) == [1, 4, 9]
    assert np.all(np.diff(proj.test_l2) <= 0)
