"""C7's measurement (wideopt.analysis.pinn_contraction) on constructed NGD runs."""

import numpy as np
import pandas as pd
import pytest

from wideopt.analysis.pinn_contraction import contraction, contraction_table


def linear_ngd(eta, r0=2.0, k=200, floor=1e-15):
    """|r_k| of NGD on its linearization: r_{k+1} = (1 - eta) r_k, stalling at ``floor``."""
    return np.maximum(r0 * (1 - eta) ** np.arange(k + 1), floor)


@pytest.mark.parametrize("eta", [0.1, 0.01, 0.001])
def test_the_linearized_rate_meets_the_bound_with_room(eta):
    c = contraction(linear_ngd(eta), eta)
    # L(k) / ((1 - eta)^k L0) = (1 - eta)^k <= 1, equal to 1 at k = 0
    assert c["bound_ratio"] == 1.0
    assert c["rate"] == pytest.approx((1 - eta) ** 2, rel=1e-9)
    assert c["linear_ratio"] == pytest.approx(1.0, rel=1e-9)


def test_a_slower_run_breaks_the_bound():
    # |r| contracting by (1 - eta)^0.4 per step: L by (1 - eta)^0.8 > (1 - eta)
    eta = 0.1
    v = 2.0 * (1 - eta) ** (0.4 * np.arange(100))
    c = contraction(v, eta)
    # checked until L <= 10^3 min L: (1 - eta)^(0.8 k) <= 10^3 (1 - eta)^(0.8 * 99), k = 18
    assert c["steps_checked"] == 18
    assert c["bound_ratio"] == pytest.approx((1 - eta) ** (-0.2 * 18), rel=1e-9)
    assert c["bound_ratio"] > 1


def test_the_window_stops_at_the_floor():
    # linear rate to 1e-6 (L ~ 5e-13), then one late bump above the bound: after the loss came
    # within 10^3 of its minimum the bound is no longer checked
    eta = 0.1
    v = linear_ngd(eta, k=150, floor=1e-6)
    v[-1] = 5e-6
    c = contraction(v, eta)
    assert c["bound_ratio"] == 1.0
    assert c["steps_checked"] == int(np.flatnonzero(0.5 * v**2 <= 1e3 * 0.5 * 1e-12)[0])
    v[10] = v[0]  # a rise before the floor is caught
    assert contraction(v, eta)["bound_ratio"] == pytest.approx((1 - eta) ** -10)


def test_a_run_that_never_falls_by_the_window_is_checked_at_every_step():
    eta = 0.01  # 200 steps: L ends at 1.8 % of L(0), within 10^3 of its minimum throughout
    v = linear_ngd(eta)
    c = contraction(v, eta)
    assert c["steps_checked"] == 200 and c["bound_ratio"] == 1.0
    v[150] = v[0]  # a late rise above the bound is caught
    assert contraction(v, eta)["bound_ratio"] == pytest.approx((1 - eta) ** -150)


def test_nonfinite_fails_and_table_reads_run_files():
    assert contraction([1.0, 0.9, np.nan], 0.1)["bound_ratio"] == np.inf
    rows = []
    for lr in (0.1, 0.01):
        for seed in (0, 1):
            v = linear_ngd(lr, k=20)
            rows += [dict(lr=lr, width=32, seed=seed, step=k, metric="residual_norm", value=x)
                     for k, x in enumerate(v[:-1])]
            rows.append(dict(lr=lr, width=32, seed=seed, step=20, metric="final_loss",
                             value=0.5 * v[-1] ** 2))
    t = contraction_table(pd.DataFrame(rows), [0.1, 0.01], 32)
    assert len(t) == 4 and (t.bound_ratio == 1.0).all()
    assert np.allclose(t.rate, t.rate_linear)
