"""Classical baseline: approximation of f_α in spherical harmonics (section B, seed 001).

We use the *full* harmonic space of degree ≤ K on S^{d−1}, with p(K) = Σ_{ℓ≤K} N(d, ℓ)
coefficients ((K + 1)² on S²), not the zonal one: the network is not told that the target
is zonal, and H^α-approximation on a (d−1)-dimensional manifold with p degrees of freedom has
the classical rate p^{−α/(d−1)}, which is the comparison the paper's "lower rate" remark
makes. (A zonal basis would have rate p^{−α} and use prior knowledge of the pole.)

Two estimates of the error with p coefficients:
- ``projection``: the exact L²(σ)-best approximation (continuous least squares), error² =
  Σ_{ℓ>K} c_ℓ² by Parseval (f_α is zonal, so its projection onto the full space is its
  zonal truncation). Available for every p.
- ``least_squares``: discrete least squares on the network's own n training samples (S²
  only, real harmonics), for p ≤ n/2 where it is well posed; error on the test points.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wideopt.data.harmonics import cumulative_dimension, real_harmonics_s2
from wideopt.data.sobolev import projection_error


def projection_curve(alpha: float, dim: int, ell_max: int, max_degree: int) -> pd.DataFrame:
    """Best-approximation error for K = 0..max_degree: columns degree, n_params, test_l2."""
    rows = [(k, cumulative_dimension(k, dim), projection_error(alpha, k, ell_max))
            for k in range(min(max_degree, ell_max - 1) + 1)]
    return pd.DataFrame(rows, columns=["degree", "n_params", "test_l2"])


def least_squares_curve(data: dict[str, np.ndarray], max_params: int) -> pd.DataFrame:
    """Discrete LS in real harmonics on S² for every degree K with (K + 1)² ≤ max_params."""
    if data["x"].shape[1] != 3:
        raise ValueError("discrete least squares is implemented on S² (d = 3) only")
    k_max = int(np.floor(np.sqrt(max_params))) - 1
    basis = real_harmonics_s2(k_max, data["x"])
    basis_test = real_harmonics_s2(k_max, data["x_test"])
    rows = []
    for k in range(k_max + 1):
        p = (k + 1) ** 2
        coef, *_ = np.linalg.lstsq(basis[:, :p], data["y"], rcond=None)
        err = np.sqrt(np.mean((basis_test[:, :p] @ coef - data["y_test"]) ** 2))
        rows.append((k, p, float(err)))
    return pd.DataFrame(rows, columns=["degree", "n_params", "test_l2"])
