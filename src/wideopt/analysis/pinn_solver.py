"""The NGD solver search (table ``pinn_ngd_solver``): which linear solve, if any, gives the
paper's errors at large steps.

Variants of the step w <- w - eta d, all float64 (:func:`wideopt.training.pinn.ngd.ngd_direction`):

- ``Cholesky, damping delta``: d = J^T (J J^T + delta mean(diag J J^T) I)^{-1} r (with the
  tables' jitter ladder if Cholesky still fails);
- ``lstsq, rcond c``: the minimum-norm least-squares solution of J d = r, singular values below
  c sigma_max dropped (gelsd);
- ``pinv``: d = J^+ r, the Moore-Penrose pseudo-inverse the paper names;
- ``line search (pinv)``: ENGD (Mueller & Zeinhofer 2023): d = J^+ r and, at every step, the
  eta of {0.5^k : k = 0..30} that minimizes the loss (one run; shown in the eta = 1 column).

Tidy rows (``results/pinn/pinn_ngd_solver.csv``): ``problem, variant, lr, seed`` and the per-seed
columns of :func:`wideopt.analysis.pinn_summary.per_seed` (``status`` by the divergence rule).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from wideopt.analysis.pinn_summary import cell_summary, per_seed
from wideopt.analysis.run_status import with_status
from wideopt.analysis.tables import paper_values

KEYS = ["problem", "variant", "lr"]
REPRODUCE_FACTOR = 10.0  # "reproduces" a paper cell: error within 10x (C2's factor)


def variant_label(mode: str, damping: float | None = None, rcond: float | None = None,
                  line_search: int | None = None) -> str:
    """The table's name of one solver variant."""
    if line_search and int(line_search) > 0:
        return f"line search ({mode})"
    if mode == "cholesky":
        return f"Cholesky, damping {float(damping):g}"
    if mode == "lstsq":
        return f"lstsq, rcond {float(rcond):g}"
    if mode == "pinv":
        return "pinv"
    raise ValueError(f"unknown NGD solve mode {mode!r}")


def _nan_to_none(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def search_tidy(runs: dict[str, pd.DataFrame], damping_tidy: pd.DataFrame | None,
                reuse_lr: float, dampings: list[float] | None = None) -> pd.DataFrame:
    """Per-seed rows of every variant: the search's own runs (``runs``: problem -> sweep file
    with columns ``lr, damping, mode, rcond, line_search``) and, at ``reuse_lr``, the Cholesky
    cells of the damping table (``damping_tidy``: ``problem, damping, seed, ...``) for the
    problems searched (and the search's ``dampings``, where given)."""
    frames = []
    for problem, run in runs.items():
        cols = ["lr", "damping", "mode", "rcond", "line_search"]
        run = run.assign(**{c: run[c] for c in cols if c in run})
        for key, g in run.groupby(cols, dropna=False, sort=False):
            lr, damping, mode, rcond, ls = key
            label = variant_label(mode, damping, _nan_to_none(rcond), _nan_to_none(ls))
            frames.append(per_seed(g).assign(problem=problem, variant=label, lr=float(lr)))
    if damping_tidy is not None and len(damping_tidy):
        d = damping_tidy[damping_tidy.problem.isin(list(runs))]
        if dampings is not None:
            d = d[np.isin(d.damping.astype(float), np.asarray(dampings, float))]
        for (_, damping), g in d.groupby(["problem", "damping"], sort=False):
            frames.append(with_status(g.drop(columns=["damping"])).assign(
                variant=variant_label("cholesky", damping), lr=float(reuse_lr)))
    out = pd.concat(frames, ignore_index=True)
    rest = [c for c in out.columns if c not in KEYS and c != "seed"]
    return out[[*KEYS, "seed", *rest]]


def _variant_order(v: str) -> tuple:
    kind = ["Cholesky", "lstsq", "pinv", "line"].index(v.split(",")[0].split(" ")[0])
    num = float(v.rsplit(" ", 1)[-1]) if kind < 2 else 0.0
    return kind, num


def solver_summary(tidy: pd.DataFrame) -> pd.DataFrame:
    """Mean over seeds per (problem, variant, lr) (:func:`cell_summary`), with the paper's
    cell beside: on the lr table's problem (poisson2d) its NGD cell at that lr, elsewhere the
    optimizer table's NGD cell (its lr, 0.1) at lr = 0.1. Rows ordered problem, variant
    (Cholesky by damping, lstsq by rcond, pinv, line search), lr decreasing."""
    s = cell_summary(tidy, KEYS)
    lr_row = paper_values("pinn_lr_robustness")
    lr_row = lr_row[lr_row.optimizer == "NGD"].assign(lr=lambda t: t.lr.astype(float))
    main = paper_values("pinn_optimizers")
    main = main[main.optimizer == "NGD"].set_index("problem")["paper_value"]

    def paper(r):
        if r.problem == "poisson2d":
            hit = lr_row[np.isclose(lr_row.lr, r.lr)]["paper_value"]
            return float(hit.iloc[0]) if len(hit) else math.nan
        return float(main[r.problem]) if math.isclose(r.lr, 0.1) and r.problem in main \
            else math.nan

    s["paper_value"] = [paper(r) for r in s.itertuples()]
    s["paper_reported"] = np.isfinite(s["paper_value"])
    order = s.assign(_p=s["problem"], _v=s["variant"].map(_variant_order), _lr=-s["lr"])
    order = order.sort_values(["_p", "_v", "_lr"], kind="stable")
    return s.loc[order.index].reset_index(drop=True)


def reproducing_variants(summary: pd.DataFrame, problem: str = "poisson2d",
                         factor: float = REPRODUCE_FACTOR) -> list[str]:
    """The variants whose error on ``problem`` is within ``factor`` x the paper's cell at every
    lr run with a paper cell (no seed diverged); the line search, one run for every lr, is
    compared with the whole row."""
    s = summary[(summary.problem == problem) & summary.paper_reported]
    paper_row = s.groupby("lr")["paper_value"].first()
    out = []
    for variant, g in s.groupby("variant", sort=False):
        if variant.startswith("line search"):
            ok = bool(len(g)) and np.isfinite(g["value"]).all() and (
                g["value"].iloc[0] <= factor * paper_row).all()
        else:
            ok = (len(g) == len(paper_row) and np.isfinite(g["value"]).all()
                  and (g["value"] <= factor * g["paper_value"]).all())
        if ok:
            out.append(variant)
    return out


def caption_note(summary: pd.DataFrame) -> str:
    """The table's answer: which variants, if any, reproduce the paper's flat lr row."""
    rep = reproducing_variants(summary)
    p2 = summary[summary.problem == "poisson2d"]
    best = (p2[np.isfinite(p2["value"])].sort_values("value").groupby("lr").head(1)
            .sort_values("lr", ascending=False))
    cells = ", ".join(f"eta={r.lr:g}: {r.variant} {r.value:.2e} (paper {r.paper_value:.2e})"
                      for r in best.itertuples())
    answer = ("Variants within 10x of the paper's NGD cell at every step size of its lr row "
              f"(poisson2d): {', '.join(rep)}." if rep else
              "No variant reproduces the paper's flat lr row (within 10x of its NGD cell at "
              "every step size on poisson2d).")
    return (answer + f" Best variant per step size on poisson2d: {cells or 'none finite'}. "
            "Cholesky variants add damping x mean(diag JJ^T) (the tables use 1e-8); "
            "the line search (ENGD: eta per step from {0.5^k, k = 0..30}) is one run, shown "
            "in the eta = 1 column. In parentheses: the paper's NGD cell (poisson2d: its lr "
            "table; heat1d, poisson10d: its main table, at eta = 0.1).")


__all__ = ["KEYS", "variant_label", "search_tidy", "solver_summary", "reproducing_variants",
           "caption_note"]
