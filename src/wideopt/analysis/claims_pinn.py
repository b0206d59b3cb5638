"""Claims C1-C6 (section C, NGD for two-layer PINNs), evaluated from the section's tidy
per-seed tables under ``results/pinn/``: ``optimizers``, ``lr``, ``width`` (one row per cell and
seed, value NaN where that seed diverged), ``gram`` (``problem, seed, quantity, value``) and
``rates`` (the C6 fits, one row per problem). Means over seeds are taken here
(:func:`~wideopt.analysis.pinn_summary.cell_summary`: a cell with a diverged seed is NaN). Pass
rules exactly as the catalogue states them."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from wideopt.analysis.fits import spearman
from wideopt.analysis.outcome import Outcome
from wideopt.analysis.pinn_summary import cell_summary
from wideopt.analysis.tables import summarize, with_paper


def _e(x: float) -> str:
    return "nan" if not np.isfinite(x) else f"{x:.2e}"


def _cells(path: str, keys: list[str]) -> pd.DataFrame:
    return cell_summary(pd.read_csv(path), keys)


def c1(inputs: Mapping[str, str]) -> Outcome:
    """NGD has the lowest error on every problem (a diverged NGD run is not lowest)."""
    t = _cells(inputs["optimizers"], ["problem", "optimizer"])
    parts, ok = [], True
    for prob, g in t.groupby("problem", sort=False):
        ngd = float(g.loc[g.optimizer == "NGD", "value"].iloc[0])
        others = g.loc[g.optimizer != "NGD", "value"].to_numpy(float)
        best = np.nanmin(others) if np.isfinite(others).any() else np.inf
        win = bool(np.isfinite(ngd) and ngd < best)
        ok &= win
        parts.append(f"{prob} NGD {_e(ngd)} vs best other {_e(best)}")
    return Outcome("; ".join(parts), ok)


def c2(inputs: Mapping[str, str]) -> Outcome:
    keys = ["problem", "optimizer"]
    t = with_paper(_cells(inputs["optimizers"], keys), "pinn_optimizers", keys)
    t = t[t.optimizer == "NGD"]
    ratio = t["value"] / t["paper_value"]
    ok = bool(len(t)) and bool((ratio <= 10).all())
    return Outcome("; ".join(f"{r.problem} {_e(r.value)} = {q:.2g}x paper"
                             for r, q in zip(t.itertuples(), ratio, strict=True)), ok)


def c3(inputs: Mapping[str, str]) -> Outcome:
    """NGD converges (no seed diverges, final loss below the initial loss) at every lr;
    SGD diverges (nan) at every lr >= 0.05."""
    t = _cells(inputs["lr"], ["optimizer", "lr"])
    ngd = t[t.optimizer == "NGD"]
    conv = (ngd.n_diverged == 0) & (ngd.loss_final < ngd.loss_initial)
    sgd = t[(t.optimizer == "SGD") & (t.lr >= 0.05)]
    sgd_div = sgd["value"].isna()
    ok = bool(len(ngd)) and bool(conv.all()) and bool(len(sgd)) and bool(sgd_div.all())
    text = (f"NGD converged at {int(conv.sum())}/{len(ngd)} lrs (errors "
            + ", ".join(f"{r.lr:g}: {_e(r.value)}" for r in ngd.itertuples())
            + f"); SGD nan at {int(sgd_div.sum())}/{len(sgd)} lrs >= 0.05")
    return Outcome(text, ok)


def c4(inputs: Mapping[str, str]) -> Outcome:
    t = _cells(inputs["width"], ["optimizer", "width"]).sort_values("width")
    rho = spearman(t["width"], t["value"])
    ok = bool(np.isfinite(rho) and rho <= -0.8)
    return Outcome(f"Spearman rho {rho:+.2f} ("
                   + ", ".join(f"m={r.width}: {_e(r.value)}" for r in t.itertuples()) + ")", ok)


def c5(inputs: Mapping[str, str]) -> Outcome:
    t = summarize(pd.read_csv(inputs["gram"]), ["problem", "quantity"])
    g = t[t.problem == "poisson1d"].set_index("quantity")["value"]
    lmin, lmax, floor = g["lambda_min"], g["lambda_max"], g["roundoff_floor"]
    ok = bool(lmin < 1e-6 * lmax)
    note = (" (below the round-off floor n eps lambda_max = " + _e(floor)
            + ": an upper bound, not a measurement)") if lmin < floor else ""
    return Outcome(f"lambda_min {_e(lmin)}, lambda_max {_e(lmax)}, ratio "
                   f"{lmin / lmax:.2e}{note}", ok)


def c6(inputs: Mapping[str, str]) -> Outcome:
    """Slope >= 1.8 for the eta = 1 run on every problem run; probe slopes reported."""
    t = pd.read_csv(inputs["rates"])
    ok = bool(len(t)) and bool((t["eta1_slope"] >= 1.8).all())
    return Outcome("; ".join(
        f"{r.problem} eta=1 slope {r.eta1_slope:.2f} (|r_K|/|r_0| {r.eta1_final_ratio:.1e}), "
        f"full step on eta=0.1 path {r.probe_slope:.2f}" for r in t.itertuples()), ok)


EVALUATORS = {"C1": c1, "C2": c2, "C3": c3, "C4": c4, "C5": c5, "C6": c6}
