"""C7: NGD's loss against Theorem 4.7's rate, from the learning-rate table's NGD runs.

Theorem 4.7 (seed 002): for a wide enough net and step eta in (0, 1), NGD's loss contracts at
least as

    L(k) <= (1 - eta)^k L(0)        for every k,

while the linearized model (constant J) contracts exactly as r_{k+1} = (1 - eta) r_k, i.e.
L(k) = (1 - eta)^{2k} L(0). We check the bound at every step k = 0 .. k_stop, k_stop the
first step with L(k) <= ``window`` min_k L(k) (below that the loss sits at its floor and
measures round-off, not the rate); a run whose loss never falls by ``window`` (L(0) <=
``window`` min L: no floor reached, e.g. 200 steps at eta = 0.01 end at 1.8 % of L(0)) is
checked at every step: ``bound_ratio`` = max_k L(k) / ((1 - eta)^k L(0)) <= 1 is
the theorem's rate met. Beside it, the measured per-step contraction ``rate`` =
(L(k_stop) / L(0))^{1 / k_stop} and the linear model's (1 - eta)^2, and ``linear_ratio`` =
L(k_stop) / ((1 - eta)^{2 k_stop} L(0)) (1 when NGD behaves exactly as its linearization).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wideopt.analysis.pinn_summary import residual_norms

WINDOW = 1e3  # check until L <= 10^3 min L


def contraction(norms, eta: float, window: float = WINDOW) -> dict:
    """Theorem 4.7's bound along one run's residual norms |r_0|, ..., |r_K| (L = |r|^2 / 2).

    A non-finite norm anywhere makes ``bound_ratio`` inf (the bound fails)."""
    v = np.asarray(norms, float)
    loss = 0.5 * v * v
    if v.size < 2 or not np.isfinite(loss).all():
        return dict(bound_ratio=np.inf, steps_checked=0, rate=np.nan,
                    rate_linear=(1 - eta) ** 2, linear_ratio=np.nan)
    k_stop = int(np.flatnonzero(loss <= window * loss.min())[0])
    if k_stop == 0:  # never fell by `window`: no floor, every step counts
        k_stop = v.size - 1
    k = np.arange(k_stop + 1)
    bound = (1 - eta) ** k * loss[0]
    ratio = loss[:k_stop + 1] / bound if eta < 1 else np.where(
        k == 0, 1.0, np.where(loss[:k_stop + 1] > 0, np.inf, 0.0))
    return dict(bound_ratio=float(np.max(ratio)), steps_checked=k_stop,
                rate=float((loss[k_stop] / loss[0]) ** (1 / k_stop)),
                rate_linear=float((1 - eta) ** 2),
                linear_ratio=float(loss[k_stop] / ((1 - eta) ** (2 * k_stop) * loss[0])))


def contraction_table(run: pd.DataFrame, lrs, width: int,
                      window: float = WINDOW) -> pd.DataFrame:
    """Per (lr, seed) of an NGD sweep file (columns ``lr, width, seed, step, metric, value``,
    |r_k| logged at every step as ``residual_norm``): :func:`contraction` at the main width.
    Columns ``lr, seed, bound_ratio, steps_checked, rate, rate_linear, linear_ratio``."""
    rows = []
    for lr in lrs:
        at = run[np.isclose(run["lr"].astype(float), float(lr), rtol=1e-12, atol=0)
                 & (run["width"].astype(int) == int(width))]
        for seed, g in residual_norms(at).groupby("seed"):
            rows.append(dict(lr=float(lr), seed=int(seed),
                             **contraction(g["value"].to_numpy(), float(lr), window)))
    return pd.DataFrame(rows, columns=["lr", "seed", "bound_ratio", "steps_checked", "rate",
                                       "rate_linear", "linear_ratio"])


__all__ = ["WINDOW", "contraction", "contraction_table"]
