"""Section C aggregation: run metrics -> the four catalogue tables and the C6 rate fits.

Run files (one per configuration, all seeds) are tidy ``seed, step, metric, value`` with the
summary metrics ``final_rel_l2`` (nan if diverged), ``final_loss``, ``diverged``, ``wall_s``.
A configuration's table value is the mean over seeds of the final test relative L2 error
(std beside it); it is ``nan`` when any seed diverged (the paper's convention for a diverged
run), and ``n_diverged`` says how many did.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wideopt.analysis.fits import loglog_slope
from wideopt.analysis.tables import paper_values

EPS = np.finfo(np.float64).eps


def run_summary(df: pd.DataFrame) -> dict:
    """Mean/std over seeds of the final error, divergences, steps done, initial/final loss."""
    fin = df[df.metric == "final_rel_l2"].set_index("seed")["value"]
    div = df[df.metric == "diverged"].set_index("seed")["value"]
    loss = df[df.metric == "loss"].sort_values("step")
    first = loss.groupby("seed")["value"].first()
    last = df[df.metric == "final_loss"].set_index("seed")["value"]
    n_div = int(div.sum())
    return dict(
        value=float("nan") if n_div else float(fin.mean()),
        std=float("nan") if n_div else float(fin.std(ddof=0)),
        n_diverged=n_div,
        n_seeds=int(len(fin)),
        steps=int(df[df.metric == "final_rel_l2"]["step"].max()),
        loss_initial=float(first.mean()),
        loss_final=float(last.mean()),
        wall_s=float(df[df.metric == "wall_s"]["value"].sum()),
    )


def _with_paper(df: pd.DataFrame, table_id: str, keys: list[str],
                numeric: tuple[str, ...] = ()) -> pd.DataFrame:
    pv = paper_values(table_id).drop(columns="quantity")
    for k in numeric:
        pv[k] = pv[k].astype(float)
        df[k] = df[k].astype(float)
    return df.merge(pv, on=keys, how="left")


def optimizers_table(runs: dict[tuple[str, str], pd.DataFrame]) -> pd.DataFrame:
    """``problem, optimizer, value, std, ..., paper_value`` from {(problem, optimizer): run}."""
    rows = [dict(problem=p, optimizer=o, **run_summary(df)) for (p, o), df in runs.items()]
    return _with_paper(pd.DataFrame(rows), "pinn_optimizers", ["problem", "optimizer"])


def lr_table(runs: dict[tuple[str, float], pd.DataFrame]) -> pd.DataFrame:
    rows = [dict(optimizer=o, lr=lr, **run_summary(df)) for (o, lr), df in runs.items()]
    out = _with_paper(pd.DataFrame(rows), "pinn_lr_robustness", ["optimizer", "lr"],
                      numeric=("lr",))
    return out.sort_values(["optimizer", "lr"], ascending=[True, False], kind="stable")


def width_table(runs: dict[int, pd.DataFrame]) -> pd.DataFrame:
    rows = [dict(optimizer="NGD", width=m, **run_summary(df)) for m, df in runs.items()]
    out = _with_paper(pd.DataFrame(rows), "pinn_width", ["optimizer", "width"],
                      numeric=("width",))
    out["width"] = out["width"].astype(int)
    return out.sort_values("width")


def damping_table(runs: dict[tuple[str, float], pd.DataFrame]) -> pd.DataFrame:
    """``problem, damping, value, std, ..., paper_value`` from {(problem, damping): NGD run};
    the paper's value is its NGD cell of the optimizer table (its damping is not stated)."""
    rows = [dict(problem=p, damping=d, **run_summary(df)) for (p, d), df in runs.items()]
    pv = paper_values("pinn_optimizers")
    pv = pv[pv.optimizer == "NGD"][["problem", "paper_value"]]
    return pd.DataFrame(rows).merge(pv, on="problem", how="left")


def gram_spectrum(eig: np.ndarray, n: int, ngd_lr: float) -> dict:
    """Quantities of one Gram matrix H = J J^T at initialization, from its eigenvalues.

    ``floor`` = n eps lambda_max: eigenvalues below it are round-off, not measurements.
    GD contraction per step at eta = 1/lambda_max (seed 002, Thm 3.7): 1 - eta lambda_min / 2;
    NGD (Thm 4.7): 1 - eta_NGD, independent of the spectrum.
    """
    lmin, lmax = float(eig.min()), float(eig.max())
    floor = n * EPS * lmax
    return dict(lambda_min=lmin, lambda_max=lmax, inv_lambda_max=1 / lmax,
                cond=lmax / lmin if lmin > 0 else float("inf"), roundoff_floor=floor,
                below_floor=float(lmin < floor), gd_rate=1 - 0.5 * lmin / lmax,
                ngd_rate=1 - ngd_lr)


GRAM_SHOWN = ["lambda_min", "lambda_max", "inv_lambda_max", "roundoff_floor", "gd_rate",
              "ngd_rate"]


def gram_table(per_problem: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Mean over seeds of each quantity; ``problem, quantity, value, std, paper_value``."""
    rows = []
    for prob, df in per_problem.items():
        for q in [*GRAM_SHOWN, "below_floor", "n", "p"]:
            rows.append(dict(problem=prob, quantity=q, value=float(df[q].mean()),
                             std=float(df[q].std(ddof=0))))
    out = pd.DataFrame(rows)
    pv = paper_values("pinn_gram_spectrum").rename(columns={"quantity": "quantity"})
    return out.merge(pv, on=["problem", "quantity"], how="left")


def residual_norms(df: pd.DataFrame) -> pd.DataFrame:
    """|r_k| per seed and step for an NGD run: logged norms plus the final one."""
    r = df[df.metric == "residual_norm"][["seed", "step", "value"]]
    fin = df[df.metric == "final_loss"][["seed", "step", "value"]].copy()
    fin["value"] = np.sqrt(2 * fin["value"])
    return pd.concat([r, fin]).drop_duplicates(["seed", "step"]).sort_values(["seed", "step"])


def rate_slope(prev: np.ndarray, nxt: np.ndarray, floor: float) -> tuple[float, int]:
    """Slope of log|r_{k+1}| against log|r_k| over pairs that decrease and stay above ``floor``.

    Returns ``(slope, pairs used)``; nan if fewer than two pairs qualify.
    """
    prev, nxt = np.asarray(prev, float), np.asarray(nxt, float)
    ok = np.isfinite(prev) & np.isfinite(nxt) & (nxt > floor) & (nxt < prev)
    return loglog_slope(prev[ok], nxt[ok]), int(ok.sum())


def convergence_rates(eta1: pd.DataFrame, probe: pd.DataFrame, problem: str,
                      floor_rel: float = 1e-10) -> dict:
    """C6: fitted slopes for the eta = 1 run and for full steps probed along the eta = 0.1 path.

    floor = ``floor_rel`` |r_0| (precision floor: pairs whose next norm is below it are left
    out). The eta = 1 fit uses consecutive iterates; the probe uses (|r_k|, |r(w_k - d_k)|).
    """
    out = dict(problem=problem)
    r = residual_norms(eta1)
    slopes, pairs, ratio = [], 0, []
    for _, g in r.groupby("seed"):
        v = g["value"].to_numpy()
        s, k = rate_slope(v[:-1], v[1:], floor_rel * v[0])
        slopes.append(s)
        pairs += k
        ratio.append(v[-1] / v[0])
    out.update(eta1_slope=float(np.nanmean(slopes)) if np.isfinite(slopes).any() else np.nan,
               eta1_pairs=pairs, eta1_final_ratio=float(np.nanmean(ratio)))
    p = probe[probe.metric.isin(["residual_norm", "full_step_residual_norm"])]
    p = p.pivot_table(index=["seed", "step"], columns="metric", values="value").reset_index()
    slopes, pairs = [], 0
    for _, g in p.groupby("seed"):
        r0 = g["residual_norm"].iloc[0]
        s, k = rate_slope(g["residual_norm"], g["full_step_residual_norm"], floor_rel * r0)
        slopes.append(s)
        pairs += k
    out.update(probe_slope=float(np.nanmean(slopes)) if np.isfinite(slopes).any() else np.nan,
               probe_pairs=pairs)
    return out


__all__ = ["run_summary", "optimizers_table", "lr_table", "width_table", "damping_table",
           "gram_spectrum", "gram_table", "residual_norms", "rate_slope", "convergence_rates",
           "GRAM_SHOWN"]
