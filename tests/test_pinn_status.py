"""The divergence rule (wideopt.analysis.run_status) on constructed loss curves, and its use
by the section C per-seed tables and C3."""

import numpy as np
import pandas as pd
import pytest

from wideopt.analysis import pinn_summary as ps
from wideopt.analysis.run_status import (
    cell_status,
    curve_status,
    judged,
    loss_status,
    ngd_converged,
    statuses,
)

K = np.arange(200)
CURVES = {
    # SGD at a too-large step: the loss grows geometrically
    "rising": (50.0 * 1.01**K, "rose"),
    # a period-2 oscillation around a slowly falling mean, ending below L(0)
    "oscillating_down": (10.0 * 0.995**K * (1 + 0.5 * (-1.0) ** K), "ok"),
    # the same oscillation around a slowly rising mean: ends above L(0)
    "oscillating_up": (10.0 * 1.006**K * (1 + 0.5 * (-1.0) ** K), "rose"),
    # overflow: the loss becomes inf, then nan
    "nan": (np.r_[3.0 * 10.0 ** K[:20], np.inf, np.nan], "nonfinite"),
    # NGD at eta = 1e-3: L(k) = (1 - eta)^(2k) L(0), 200 steps take it only to 67 %
    "slowly_converging": (4.0 * (1 - 1e-3) ** (2 * K), "ok"),
}


@pytest.mark.parametrize("name", CURVES)
def test_curve_status_on_constructed_runs(name):
    curve, expected = CURVES[name]
    assert curve_status(curve) == expected
    # the two ends decide: the same verdict from (L(0), L(K), non-finite flag)
    assert loss_status(curve[0], curve[-1], not np.isfinite(curve).all()) == expected


def test_rose_is_strictly_above_the_start():
    assert loss_status(1.0, 1.0) == "ok"
    assert loss_status(1.0, 1.0 + 1e-12) == "rose"
    assert loss_status(1.0, 0.5, nonfinite=True) == "nonfinite"
    assert list(statuses([1.0, 1.0, 1.0], [0.5, 2.0, np.nan])) == ["ok", "rose", "nonfinite"]


def run_rows(curve, seed, err=0.3):
    """A run file's rows (pinn_train's format) for one seed with this loss curve."""
    finite = bool(np.isfinite(curve).all())
    k = len(curve) - 1
    rows = [(seed, s, "loss", v) for s, v in enumerate(curve)]
    rows += [(seed, k, "final_rel_l2", err if finite else np.nan),
             (seed, k, "final_loss", curve[-1] if finite else np.nan),
             (seed, k, "diverged", float(not finite)), (seed, k, "wall_s", 1.0)]
    return rows


def test_per_seed_table_marks_both_kinds_and_keeps_the_final_value():
    rows = (run_rows(CURVES["rising"][0], 0) + run_rows(CURVES["nan"][0], 1)
            + run_rows(CURVES["slowly_converging"][0], 2, err=1e-3))
    df = pd.DataFrame(rows, columns=["seed", "step", "metric", "value"])
    t = ps.per_seed(df)
    assert list(t["status"]) == ["rose", "nonfinite", "ok"]
    assert list(t["diverged"]) == [1, 1, 0]
    # the tidy table keeps the rising run's final error and loss
    assert t.loc[0, "value"] == 0.3 and t.loc[0, "loss_final"] == pytest.approx(
        CURVES["rising"][0][-1])
    s = ps.cell_summary(t.assign(cell="a"), ["cell"])
    assert np.isnan(s.loc[0, "value"]) and s.loc[0, "n_diverged"] == 2
    assert s.loc[0, "status"] == "diverged (2/3 seeds)"
    # judged: the diverged seeds have no error
    assert np.isnan(judged(t)["value"]).tolist() == [True, True, False]


def test_cell_status_words():
    assert cell_status(0, 3) == "ok" and cell_status(3, 3) == "diverged"
    assert cell_status(1, 3) == "diverged (1/3 seeds)"


def test_ngd_converged_needs_accuracy_and_no_divergence():
    t = pd.DataFrame(dict(value=[1e-3, 1.9e-2, 2.0e-2, 1e-3],
                          loss_initial=[1.0, 1.0, 1.0, 1.0],
                          loss_final=[0.1, 0.1, 0.1, 1.5], diverged=0))
    assert ngd_converged(t, 1.97e-2).tolist() == [True, True, False, False]
