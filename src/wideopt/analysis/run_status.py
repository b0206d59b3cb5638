"""When a training run has diverged, and when NGD counts as converged: one rule, by the loss.

**Divergence** (catalogue, Conventions of section C). A run *diverges* when its training loss

- becomes non-finite at any step (``nonfinite``), or
- ends above its initial value, L(K) > L(0) (``rose``).

Otherwise its status is ``ok``. Only the two ends of the run decide: a run that oscillates
and ends below L(0) is ``ok`` (the table shows its error), one that descends slowly is ``ok``
however little it descended. The tables print "diverged" for both kinds; the tidy per-seed
CSVs keep the final loss and error of a ``rose`` run (``status`` column), and every judgement
(claims, the mean of a cell) reads the value of a diverged seed as NaN (:func:`judged`).

**Convergence of NGD** (claim C3). NGD *converges* at a step size when the run is not
diverged and its final test relative L2 error is at most :data:`NGD_CONVERGED_ERROR` = 10x the
paper's worst NGD cell of its learning-rate table (1.97e-3 at eta = 1): the paper's "robust to
the learning rate" means every cell of that row is an accurate solution, not that the loss went
down.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STATUSES = ("ok", "rose", "nonfinite")
NGD_CONVERGED_FACTOR = 10.0  # C3: "converged" = error within 10x the paper's worst NGD cell


def loss_status(loss_initial: float, loss_final: float, nonfinite: bool = False) -> str:
    """``nonfinite`` if the loss became non-finite (``nonfinite`` flag, or a non-finite end
    value), ``rose`` if L(K) > L(0), else ``ok``."""
    if nonfinite or not (np.isfinite(loss_initial) and np.isfinite(loss_final)):
        return "nonfinite"
    return "rose" if loss_final > loss_initial else "ok"


def curve_status(losses) -> str:
    """:func:`loss_status` of a whole loss curve L(0), ..., L(K) (any non-finite entry:
    ``nonfinite``)."""
    v = np.asarray(losses, float)
    if v.size == 0:
        raise ValueError("an empty loss curve has no status")
    return loss_status(v[0], v[-1], nonfinite=not np.isfinite(v).all())


def statuses(loss_initial, loss_final, nonfinite=None) -> np.ndarray:
    """:func:`loss_status` elementwise (arrays of equal length; ``nonfinite`` optional)."""
    li, lf = np.asarray(loss_initial, float), np.asarray(loss_final, float)
    nf = np.zeros(li.shape, bool) if nonfinite is None else np.asarray(nonfinite, float) > 0
    bad = nf | ~np.isfinite(li) | ~np.isfinite(lf)
    return np.where(bad, "nonfinite", np.where(lf > li, "rose", "ok"))


def with_status(tidy: pd.DataFrame) -> pd.DataFrame:
    """A per-seed table with ``status`` and ``diverged`` (0/1) recomputed by the rule from its
    ``loss_initial``, ``loss_final`` and a recorded non-finite flag (``diverged`` of the run
    files, or a NaN ``value``). A table without loss columns (a fit) is returned as is."""
    if not {"loss_initial", "loss_final"} <= set(tidy.columns):
        return tidy
    out = tidy.copy()
    flag = out["diverged"].fillna(0).to_numpy(float) if "diverged" in out else None
    s = statuses(out["loss_initial"], out["loss_final"], flag)
    out["status"] = s
    out["diverged"] = (s != "ok").astype(int)
    return out


def judged(tidy: pd.DataFrame) -> pd.DataFrame:
    """The table as claims judge it: :func:`with_status`, and ``value`` NaN on every diverged
    seed (a diverged run has no error to compare)."""
    out = with_status(tidy)
    if "diverged" in out:
        out = out.copy()
        out.loc[out["diverged"].astype(float) > 0, "value"] = np.nan
    return out


def ngd_converged(tidy: pd.DataFrame, threshold: float) -> pd.Series:
    """Per seed: not diverged (:func:`with_status`) and final error <= ``threshold``."""
    t = with_status(tidy)
    ok = t["diverged"] == 0 if "diverged" in t else pd.Series(True, index=t.index)
    return ok & np.isfinite(t["value"]) & (t["value"] <= threshold)


def cell_status(n_diverged: int, n_seeds: int) -> str:
    """The table's word for a cell: ``ok``, ``diverged`` (every seed) or ``diverged (k/n
    seeds)``."""
    if n_diverged <= 0:
        return "ok"
    return "diverged" if n_diverged >= n_seeds else f"diverged ({n_diverged}/{n_seeds} seeds)"


__all__ = ["STATUSES", "NGD_CONVERGED_FACTOR", "loss_status", "curve_status", "statuses",
           "with_status", "judged", "ngd_converged", "cell_status"]
