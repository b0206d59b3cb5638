"""The table tracing the paper's Gram numbers (wideopt.analysis.pinn_source)."""

import numpy as np
import pandas as pd
import pytest

from wideopt.analysis.pinn_source import (
    EPS,
    finding,
    normalization_quantities,
    settings_summary,
)


def test_quantities_and_singular_by_rank():
    eig = np.array([4.0, 1.0, 1e-20])
    q = normalization_quantities(eig, n=3, p=8)
    assert q["lambda_max"] == 4.0 and q["inv_lambda_max"] == 0.25
    assert q["lambda_min"] == 1e-20 and q["singular_by_rank"] == 0.0
    assert q["eigvalsh_floor"] == pytest.approx(3 * EPS * 4.0)
    # n > p: rank <= p < n, lambda_min is not a measurement
    q = normalization_quantities(np.r_[4.0, 1.0, np.zeros(8)], n=10, p=2)
    assert q["singular_by_rank"] == 1.0 and q["lambda_min"] == 0.0
    assert np.isnan(q["lambda_min_over_floor"])


def tidy(settings):
    rows = []
    for (norm, n, m), (lmax, lmin) in settings.items():
        q = normalization_quantities(np.r_[lmax, lmin, np.zeros(max(n - 2, 0))], n, 2 * m)
        rows += [dict(normalization=norm, n=n, width=m, seed=0, quantity=k, value=v)
                 for k, v in q.items()]
    return pd.DataFrame(rows)


def test_finding_names_the_matching_setting_and_its_floor():
    # a setting with 1/lambda_max = 5.78e-5 whose eigvalsh floor n eps lambda_max is the
    # paper's lambda_min = 3.47e-11 (n = 9 with lambda_max = 1.73e4)
    lmax = 1 / 5.78e-5
    n_floor = round(3.47e-11 / (EPS * lmax))  # the n whose eigvalsh floor is the paper's
    t = tidy({("normalized", 66, 128): (2.0, 1e-20),
              ("unnormalized", n_floor, 128): (lmax, 0.0)})
    text = finding(settings_summary(t))
    assert f"matches the unnormalized residual, n = {n_floor}, m = 128" in text
    assert "equals the paper's lambda_min" in text and "singular by rank" not in text


def test_finding_when_nothing_matches():
    t = tidy({("normalized", 66, 128): (2.0, 1e-20), ("unnormalized", 66, 128): (131.0, 1e-18)})
    text = finding(settings_summary(t))
    assert "matches none of our settings; nearest: the unnormalized residual, n = 66" in text
    assert "is not the paper's lambda_min" in text
