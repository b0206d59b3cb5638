"""C6's local-regime fit (wideopt.analysis.pinn_summary.local_rate_fit) on constructed
residual sequences."""

import numpy as np
import pytest

from wideopt.analysis.fits import loglog_slope
from wideopt.analysis.pinn_summary import local_rate_fit, rate_slope


def quadratic_run(r0=1.9, c=0.5, linear_until=np.inf, floor=3e-16, k=20, seed=0):
    """r_{k+1} = c r_k^2 (quadratic convergence; with c r0 = 0.95 the first steps barely
    move: far from the solution), optionally a linear phase r <- 0.6 r while r >
    ``linear_until``, and a stall at round-off (``floor`` times a random factor in [1, 3])."""
    rng = np.random.default_rng(seed)
    v = [r0]
    while len(v) <= k:
        r = v[-1]
        nxt = 0.6 * r if r > linear_until else c * r * r
        v.append(max(nxt, floor * rng.uniform(1, 3)))
    return np.array(v)


def test_local_fit_on_the_quadratic_recurrence_far_from_the_solution():
    v = quadratic_run()
    fit = local_rate_fit(v)
    # start: the first |r_k| <= 0.1 |r_0| = 0.19 is r_6 = 0.075; end: the last pair whose
    # next norm is >= 100 min |r| (~3e-14) is 3.97e-6 -> 7.86e-12; 7.86e-12 -> 8.6e-16 is
    # round-off and left out
    assert v[6] == pytest.approx(0.0750482784) and v[5] > 0.19
    assert (fit["k0"], fit["k1"], fit["pairs"]) == (6, 8, 3)
    assert fit["slope"] == pytest.approx(2.0, abs=1e-12)
    # every decreasing pair, round-off included, would read the rate as ~1
    ok = v[1:] < v[:-1]
    assert loglog_slope(v[:-1][ok], v[1:][ok]) < 1.2


def test_the_start_rule_drops_a_global_linear_phase():
    # linear (0.6 per step) down to 0.4, then quadratic: the fit from initialization reads
    # 1.68, the local fit 2 up to the two linear pairs inside the window (2.33 -> ... -> 0.30)
    v = quadratic_run(r0=30.0, linear_until=0.4)
    slope, _ = rate_slope(v[:-1], v[1:], 1e-10 * v[0])
    fit = local_rate_fit(v)
    assert slope < 1.8 and fit["slope"] == pytest.approx(2.0, abs=1e-3)


def test_floor_rule_and_minimum_pairs():
    v = np.array([1.0, 1e-2, 1e-4, 1e-8, 1e-16, 1.2e-16, 0.9e-16])
    fit = local_rate_fit(v)
    # start r_1 = 1e-2; floor 100 * 0.9e-16 = 9e-15 > 1e-16: the last pair is 1e-4 -> 1e-8
    assert (fit["k0"], fit["k1"], fit["pairs"]) == (1, 2, 2)
    assert np.isnan(fit["slope"])  # fewer than 3 pairs
    assert local_rate_fit(v, min_pairs=2)["slope"] == pytest.approx(
        np.polyfit(np.log([1e-2, 1e-4]), np.log([1e-4, 1e-8]), 1)[0])


def test_nonfinite_tail_and_no_local_regime():
    assert np.isnan(local_rate_fit([1.0, 0.01, 1e-4, 1e-8, np.nan])["slope"])
    assert local_rate_fit([1.0, 0.95, 0.9])["k0"] == -1
