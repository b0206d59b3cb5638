"""Section C aggregation: run files -> tidy per-seed tables, Gram quantities, C6 rate fits.

Run files (``results/pinn/runs/*.csv``, one per sweep) are tidy ``<override columns>,
optimizer, seed, step, metric, value`` with the summary metrics ``final_rel_l2`` (nan if the
seed diverged), ``final_loss``, ``diverged``, ``wall_s``. A table's tidy file
(``results/pinn/<id>.csv``) has one row per (cell, seed): the cell's keys, ``seed``, ``value``
= the final test relative L2 error (NaN only where the loss became non-finite) and the side
columns ``status, diverged, loss_initial, loss_final, steps, wall_s``; ``status`` and
``diverged`` follow the one divergence rule of :mod:`wideopt.analysis.run_status` (non-finite
loss, or final loss above the initial). Means over seeds are taken when drawing or judging
(:func:`cell_summary`); a cell is ``nan`` and its ``status`` "diverged" when any seed diverged
(the paper's convention for a diverged run) and ``n_diverged`` says how many did.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wideopt.analysis.fits import loglog_slope
from wideopt.analysis.run_status import cell_status, judged, statuses
from wideopt.analysis.tables import summarize, with_paper

EPS = np.finfo(np.float64).eps
SEED_COLUMNS = ["seed", "value", "status", "diverged", "loss_initial", "loss_final", "steps",
                "wall_s"]


def per_seed(df: pd.DataFrame) -> pd.DataFrame:
    """One run configuration's rows -> one row per seed (:data:`SEED_COLUMNS`)."""
    def metric(name, col="value"):
        return df[df.metric == name].set_index("seed")[col]

    first = df[df.metric == "loss"].sort_values("step", kind="stable")
    out = pd.DataFrame({
        "value": metric("final_rel_l2"),
        "nonfinite": metric("diverged"),
        "loss_initial": first.groupby("seed")["value"].first(),
        "loss_final": metric("final_loss"),
        "steps": metric("final_rel_l2", "step").astype(int),
        "wall_s": metric("wall_s"),
    })
    out["status"] = statuses(out["loss_initial"], out["loss_final"], out["nonfinite"])
    out["diverged"] = (out["status"] != "ok").astype(int)
    return out.rename_axis("seed").reset_index()[SEED_COLUMNS]


def select(run: pd.DataFrame, **keys) -> pd.DataFrame:
    """Rows of a run file at the given override values (``lr``, ``width``, ``damping``)."""
    mask = np.ones(len(run), bool)
    for k, v in keys.items():
        mask &= np.isclose(run[k].astype(float), float(v), rtol=1e-12, atol=0)
    return run[mask]


def tidy_table(cells: list[tuple[dict, pd.DataFrame]]) -> pd.DataFrame:
    """[(keys of a cell, its run rows)] -> the table's tidy per-seed rows, cells in order."""
    frames = [per_seed(df).assign(**keys) for keys, df in cells]
    out = pd.concat(frames, ignore_index=True)
    keys = list(cells[0][0])
    return out[[*keys, *SEED_COLUMNS]]


def cell_summary(tidy: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per cell: mean/std of ``value`` over seeds (NaN if any seed diverged by the rule of
    :mod:`wideopt.analysis.run_status`), ``n_diverged``, ``status`` ("ok", "diverged" or
    "diverged (k/n seeds)"), mean initial and final loss (over the seeds that have one)."""
    tidy = judged(tidy)
    s = summarize(tidy, keys)
    side = tidy.groupby(keys, sort=False).agg(n_diverged=("diverged", "sum"),
                                              steps=("steps", "max"),
                                              loss_initial=("loss_initial", "mean"),
                                              loss_final=("loss_final", "mean"),
                                              wall_s=("wall_s", "sum")).reset_index()
    out = s.merge(side, on=keys, how="left")
    out["status"] = [cell_status(int(k), int(n)) for k, n in
                     zip(out["n_diverged"], out["n_seeds"], strict=True)]
    return out


def damping_paper(summary: pd.DataFrame) -> pd.DataFrame:
    """The damping table's reference: the paper's NGD cell of the optimizer table (its damping
    is not stated), joined on ``problem``."""
    return with_paper(summary, "pinn_optimizers", ["problem"], fixed={"optimizer": "NGD"})


def frequency_paper(summary: pd.DataFrame) -> pd.DataFrame:
    """The frequency table (``a, optimizer``) with the paper's helmholtz2d cell of each
    optimizer (its solution, hence a, is not stated) beside every a."""
    return with_paper(summary, "pinn_optimizers", ["optimizer"],
                      fixed={"problem": "helmholtz2d"})


def collocation_paper(summary: pd.DataFrame) -> pd.DataFrame:
    """The collocation table (``problem, n, width, optimizer``) with the paper's NGD cell of the
    problem (its collocation count is not stated) beside every n."""
    return with_paper(summary, "pinn_optimizers", ["problem", "optimizer"])


def schedule_paper(summary: pd.DataFrame) -> pd.DataFrame:
    """The schedule table (``epochs, lr``) with the paper's NGD cell of the lr table at that lr
    (run for the epochs it states) beside both schedules."""
    return with_paper(summary, "pinn_lr_robustness", ["lr"], numeric=("lr",),
                      fixed={"optimizer": "NGD"})


def nearest_to_paper(summary: pd.DataFrame, key: str, by: str) -> pd.DataFrame:
    """Per ``by`` group (e.g. optimizer): the ``key`` value (e.g. a) whose mean error is nearest
    the paper's value in log10, and that distance in decades (``decades``; NaN where neither
    has a finite positive value). Columns ``by, key, value, paper_value, decades``."""
    ok = summary[(summary["value"] > 0) & (summary["paper_value"] > 0)].copy()
    ok["decades"] = np.abs(np.log10(ok["value"]) - np.log10(ok["paper_value"]))
    best = ok.loc[ok.groupby(by, sort=False)["decades"].idxmin()]
    return best[[by, key, "value", "paper_value", "decades"]].reset_index(drop=True)


def gram_paper(summary: pd.DataFrame) -> pd.DataFrame:
    """The Gram summary (``problem, [normalization,] quantity, ...``) with the paper's two
    poisson1d numbers (beside both normalizations: the paper's is not stated)."""
    return with_paper(summary, "pinn_gram_spectrum", ["problem", "quantity"])


# --- the section C tables: cells from the run files, summaries beside the paper ----------------

# Keys of each table's cells, in the order of its tidy file (results/pinn/<id>.csv); the Gram
# table (problem, normalization, quantity) is written by pinn_gram.
TABLE_KEYS = {
    "pinn_optimizers": ["problem", "optimizer"],
    "pinn_lr_robustness": ["optimizer", "lr"],
    "pinn_width": ["optimizer", "width"],
    "pinn_ngd_damping": ["problem", "damping"],
    "pinn_helmholtz_frequency": ["a", "optimizer"],
    "pinn_collocation": ["problem", "n", "width", "optimizer"],
    "pinn_ngd_schedule": ["epochs", "lr"],
}
GRAM_TABLE = "pinn_gram_spectrum"


def catalogue_tables(runs: dict[tuple[str, str], pd.DataFrame], damping: dict[str, pd.DataFrame],
                     problems: list[str], optimizers: list[str], default_lr: dict[str, float],
                     main_width: int, lr_grid: dict, width_ablation: dict,
                     dampings: list[float], chosen_damping: float) -> dict[str, pd.DataFrame]:
    """The catalogue's tables as tidy per-seed frames, from the sweep files ``runs``
    ((problem, optimizer) -> run file) and ``damping`` (problem -> damping sweep):
    ``optimizers`` (each problem and optimizer at its table cell, lr ``default_lr``, width
    ``main_width``) and its loss ``curves``; ``lr`` (the lr grid's problem, optimizers in
    alphabetical order, lrs from large to small); ``width`` (NGD on the width ablation's
    problem); ``damping`` (NGD per damping; the tables' own damping is the optimizer table's
    NGD cell, read there, not trained twice)."""
    def main_cell(problem, opt):
        return select(runs[(problem, opt)], lr=default_lr[opt], width=main_width)

    def display(problem, opt):
        return str(runs[(problem, opt)]["optimizer"].iloc[0])

    cells = [(dict(problem=pr, optimizer=display(pr, opt)), main_cell(pr, opt))
             for pr in problems for opt in optimizers]
    curves = [df[df.metric == "loss"][["seed", "step", "value"]].assign(**keys)
              for keys, df in cells]
    out = dict(optimizers=tidy_table(cells),
               curves=pd.concat(curves, ignore_index=True)[["problem", "optimizer", "seed",
                                                            "step", "value"]])
    g = lr_grid
    out["lr"] = tidy_table([(dict(optimizer=display(g["problem"], opt), lr=float(lr)),
                             select(runs[(g["problem"], opt)], lr=lr, width=main_width))
                            for opt in sorted(g["optimizers"])
                            for lr in sorted(g["lrs"], reverse=True)])
    a = width_ablation
    out["width"] = tidy_table([(dict(optimizer="NGD", width=int(m)),
                                select(runs[(a["problem"], "NGD")], lr=default_lr["NGD"],
                                       width=m))
                               for m in sorted(a["widths"])])
    out["damping"] = tidy_table([(dict(problem=pr, damping=float(d)),
                                  main_cell(pr, "NGD") if d == chosen_damping
                                  else select(damping[pr], damping=d))
                                 for pr in problems for d in dampings])
    return out


def explain_table(table: str, runs: pd.DataFrame, cells: dict, default_lr: dict[str, float],
                  main_width: int, reused: list[pd.DataFrame], counts: list[int]
                  ) -> pd.DataFrame:
    """One explanation table as a tidy per-seed frame, from its own runs (``runs``, with a
    ``dataset`` column), the other tables' runs it reuses (``reused``) and ``cells`` (the
    config's cells, wideopt.plan.pinn.explain_cells):

    - pinn_helmholtz_frequency (``a, optimizer``): helmholtz2d at its own a from ``reused``
      (one run file per optimizer, in the config's order), the other a from ``runs``;
    - pinn_collocation (``problem, n, width, optimizer``): ``counts`` = the sets' collocation
      points n1 + n2, from their data files;
    - pinn_ngd_schedule (``epochs, lr``): the paper's epochs from ``reused`` (the lr table's
      NGD sweep), the longer schedule from ``runs``.
    """
    c = cells
    if table == "pinn_helmholtz_frequency":
        found = []
        for a, dataset in zip(c["frequencies"], c["datasets"], strict=True):
            if dataset == "helmholtz2d":
                per_opt = reused
            else:
                per_opt = [g for _, g in runs[runs.dataset == dataset].groupby("optimizer",
                                                                               sort=False)]
            for opt, r in zip(c["optimizers"], per_opt, strict=True):
                found.append((dict(a=float(a), optimizer=str(r["optimizer"].iloc[0])),
                              select(r, lr=default_lr[opt], width=main_width)))
    elif table == "pinn_collocation":
        found = [(dict(problem=pr, n=int(n), width=int(w), optimizer="NGD"),
                  select(runs[runs.dataset == d], lr=default_lr["NGD"], width=w))
                 for pr, d, w, n in zip(c["problems"], c["datasets"], c["widths"], counts,
                                        strict=True)]
    elif table == "pinn_ngd_schedule":
        short = reused[0]
        found = [(dict(epochs=int(e), lr=float(lr)),
                  select(short if e == c["epochs"][0] else runs, lr=lr, width=main_width))
                 for e in c["epochs"] for lr in sorted(c["lrs"], reverse=True)]
    else:
        raise ValueError(f"unknown explanation table {table}")
    return tidy_table(found)


# Each table's reference cells from the paper (wideopt.analysis.tables.with_paper).
_NUMERIC = {"pinn_lr_robustness": ("lr",), "pinn_width": ("width",)}


def _paper(table: str, summary: pd.DataFrame) -> pd.DataFrame:
    special = {"pinn_ngd_damping": damping_paper, "pinn_helmholtz_frequency": frequency_paper,
               "pinn_collocation": collocation_paper, "pinn_ngd_schedule": schedule_paper}
    if table in special:
        return special[table](summary)
    return with_paper(summary, table, TABLE_KEYS[table], numeric=_NUMERIC.get(table, ()))


def gram_summary(tidy: pd.DataFrame) -> pd.DataFrame:
    """Mean/std over seeds of every Gram quantity (``problem, normalization, quantity``); a
    file from before both normalizations counts as ``normalized``."""
    if "normalization" not in tidy:
        tidy = tidy.assign(normalization="normalized")
    return summarize(tidy, ["problem", "normalization", "quantity"])


def table_summaries(tidy: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every section C table, summarized over seeds (:func:`cell_summary`) beside the paper's
    cells, from its tidy file (id -> frame; the Gram table: its shown quantities)."""
    out = {t: _paper(t, cell_summary(tidy[t], keys)) for t, keys in TABLE_KEYS.items()}
    gram = gram_summary(tidy[GRAM_TABLE])
    out[GRAM_TABLE] = gram_paper(gram[gram.quantity.isin(GRAM_SHOWN)])
    return out


def gram_spectrum(eig: np.ndarray, n: int, ngd_lr: float,
                  eig_eigvalsh: np.ndarray | None = None) -> dict:
    """Quantities of one Gram matrix H = J J^T at initialization, from its eigenvalues
    ``eig`` = sigma(J)^2 (singular values of J; :mod:`wideopt.training.pinn.gram`).

    ``roundoff_floor`` = n eps^2 lambda_max: sigma(J) is computed to ~ eps sigma_max, so a
    lambda_min below it is round-off, not a measurement (``below_floor``);
    ``numerical_rank`` counts the eigenvalues above it. ``eigvalsh_floor`` = n eps lambda_max
    is the resolution of ``eigvalsh(J J^T)``, whose smallest eigenvalue (``eig_eigvalsh``, the
    method replaced) is ``lambda_min_eigvalsh``. GD contraction per step at eta = 1/lambda_max
    (seed 002, Thm 3.7): 1 - eta lambda_min / 2; NGD (Thm 4.7): 1 - eta_NGD, independent of
    the spectrum.
    """
    eig = np.asarray(eig, float)
    lmin, lmax = float(eig.min()), float(eig.max())
    floor = n * EPS**2 * lmax
    lmin_eigh = float(np.min(eig_eigvalsh)) if eig_eigvalsh is not None else np.nan
    return dict(lambda_min=lmin, lambda_max=lmax, inv_lambda_max=1 / lmax,
                cond=lmax / lmin if lmin > 0 else float("inf"), roundoff_floor=floor,
                below_floor=float(lmin < floor), numerical_rank=float((eig > floor).sum()),
                lambda_min_eigvalsh=lmin_eigh, eigvalsh_floor=n * EPS * lmax,
                gd_rate=1 - 0.5 * lmin / lmax, ngd_rate=1 - ngd_lr)


GRAM_SHOWN = ["lambda_min", "lambda_max", "inv_lambda_max", "roundoff_floor", "numerical_rank",
              "lambda_min_eigvalsh", "eigvalsh_floor", "gd_rate", "ngd_rate"]
GRAM_QUANTITIES = [*GRAM_SHOWN, "below_floor", "n", "p"]


def gram_rows(problem: str, seed: int, eig: np.ndarray, n: int, p: int, ngd_lr: float,
              normalization: str = "normalized",
              eig_eigvalsh: np.ndarray | None = None) -> pd.DataFrame:
    """Tidy rows ``problem, normalization, seed, quantity, value`` of one initialization's Gram
    matrix under one normalization of the residual."""
    q = dict(gram_spectrum(eig, n, ngd_lr, eig_eigvalsh), n=n, p=p)
    return pd.DataFrame([dict(problem=problem, normalization=normalization, seed=seed,
                              quantity=k, value=float(q[k])) for k in GRAM_QUANTITIES])


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


def _probe_pivot(probe: pd.DataFrame) -> pd.DataFrame:
    p = probe[probe.metric.isin(["residual_norm", "full_step_residual_norm"])]
    return p.pivot_table(index=["seed", "step"], columns="metric", values="value").reset_index()


LOCAL_START = 0.1  # C6 local regime: from the first iterate with |r_k| <= 0.1 |r_0|
LOCAL_FLOOR = 100.0  # ... to the last pair with |r_{k+1}| >= 100 min_k |r_k|
LOCAL_MIN_PAIRS = 3  # ... with at least 3 pairs


def local_rate_fit(norms, start: float = LOCAL_START, floor_factor: float = LOCAL_FLOOR,
                   min_pairs: int = LOCAL_MIN_PAIRS) -> dict:
    """C6's fit in the local regime of Corollary 4.9 (a statement about iterates near the
    solution), on one run's residual norms |r_0|, ..., |r_K| (the finite prefix).

    Pairs (|r_k|, |r_{k+1}|) for k = k0 .. k1: k0 = the first k with |r_k| <= ``start`` |r_0|
    (the linearization's region, not the initial transient); k1 = the last k with |r_{k+1}| >=
    ``floor_factor`` min_k |r_k| (pairs that end within that factor of the smallest norm reached
    measure round-off, not the rate). ``slope`` = least-squares slope of log|r_{k+1}| on
    log|r_k| over those pairs (2 for quadratic convergence |r_{k+1}| = c |r_k|^2), NaN with
    fewer than ``min_pairs`` pairs. Returns ``slope, pairs, k0, k1``.
    """
    v = np.asarray(norms, float)
    bad = ~np.isfinite(v) | (v <= 0)
    if bad.any():
        v = v[:int(np.argmax(bad))]
    out = dict(slope=np.nan, pairs=0, k0=-1, k1=-1)
    if v.size < 2:
        return out
    near = np.flatnonzero(v <= start * v[0])
    if not near.size:
        return out
    k0 = int(near[0])
    floor = floor_factor * v.min()
    above = np.flatnonzero(v[1:] >= floor)  # pair k ends above the floor
    above = above[above >= k0]
    if not above.size:
        return dict(out, k0=k0)
    k1 = int(above[-1])
    pairs = k1 - k0 + 1
    slope = (loglog_slope(v[k0:k1 + 1], v[k0 + 1:k1 + 2]) if pairs >= min_pairs else np.nan)
    return dict(slope=slope, pairs=pairs, k0=k0, k1=k1)


def gram_ratios(conv: pd.DataFrame) -> pd.DataFrame:
    """lambda_min/lambda_max of the Gram at the convergence width per (problem, seed), from the
    ``kind == "gram"`` rows of the convergence runs (``problem, seed, ratio``)."""
    g = conv[conv.kind == "gram"] if "kind" in conv else conv.iloc[:0]
    if g.empty:
        return pd.DataFrame(columns=["problem", "seed", "ratio"])
    w = g.pivot_table(index=["problem", "seed"], columns="metric", values="value").reset_index()
    w["ratio"] = w["gram_lambda_min"] / w["gram_lambda_max"]
    return w[["problem", "seed", "ratio"]]


def convergence_rates(eta1: pd.DataFrame, probe: pd.DataFrame, problem: str,
                      floor_rel: float = 1e-10, gram: pd.DataFrame | None = None) -> dict:
    """C6: fitted slopes for the eta = 1 run and for full steps probed along the eta = 0.1 path.

    ``local_slope`` (the judged one): :func:`local_rate_fit` per seed; mean over seeds, range
    ``local_slope_lo/hi``, ``local_pairs`` the fewest pairs of a seed. ``eta1_slope`` (shown):
    the fit over every decreasing pair from initialization above ``floor_rel`` |r_0| (the
    earlier rule; range ``eta1_slope_lo/hi``). ``gram_ratio_min/max``: lambda_min/lambda_max of
    the Gram at initialization over seeds (``gram``: rows of :func:`gram_ratios`), the
    corollary's hypothesis lambda_0 > 0 measured.

    The probe uses (|r_k|, |r(w_k - d_k)|) along the eta = ``probe_lr`` path, pairs above the
    floor.
    """
    out = dict(problem=problem)
    r = residual_norms(eta1)
    slopes, pairs, ratio, local, lpairs = [], 0, [], [], []
    for _, g in r.groupby("seed"):
        v = g["value"].to_numpy()
        s, k = rate_slope(v[:-1], v[1:], floor_rel * v[0])
        slopes.append(s)
        pairs += k
        ratio.append(v[-1] / v[0])
        fit = local_rate_fit(v)
        local.append(fit["slope"])
        lpairs.append(fit["pairs"])

    def stats(x, name):
        ok = np.isfinite(x).any()
        return {name: float(np.nanmean(x)) if ok else np.nan,
                f"{name}_lo": float(np.nanmin(x)) if ok else np.nan,
                f"{name}_hi": float(np.nanmax(x)) if ok else np.nan}

    out.update(**stats(slopes, "eta1_slope"), eta1_pairs=pairs,
               eta1_final_ratio=float(np.nanmean(ratio)), **stats(local, "local_slope"),
               local_pairs=int(min(lpairs)) if lpairs else 0,
               local_seeds=int(np.isfinite(local).sum()), seeds=len(local))
    p = _probe_pivot(probe)
    slopes, pairs = [], 0
    for _, g in p.groupby("seed"):
        r0 = g["residual_norm"].iloc[0]
        s, k = rate_slope(g["residual_norm"], g["full_step_residual_norm"], floor_rel * r0)
        slopes.append(s)
        pairs += k
    out.update(probe_slope=float(np.nanmean(slopes)) if np.isfinite(slopes).any() else np.nan,
               probe_pairs=pairs)
    gr = gram[gram.problem == problem]["ratio"] if gram is not None else pd.Series(dtype=float)
    out.update(gram_ratio_min=float(gr.min()) if len(gr) else np.nan,
               gram_ratio_max=float(gr.max()) if len(gr) else np.nan)
    return out


def all_convergence_rates(conv: pd.DataFrame) -> pd.DataFrame:
    """:func:`convergence_rates` of every problem of the convergence runs (``problem, kind``
    columns: ``eta1`` or ``probe``), one row per problem."""
    gram = gram_ratios(conv)
    return pd.DataFrame([convergence_rates(df[df.kind == "eta1"], df[df.kind == "probe"], prob,
                                           gram=gram)
                         for prob, df in conv.groupby("problem", sort=False)])


def rate_pairs(conv: pd.DataFrame) -> pd.DataFrame:
    """Consecutive residual norms ``problem, kind, seed, prev, next``: (|r_k|, |r_{k+1}|) on the
    eta = 1 path, (|r_k|, |r(w_k - d_k)|) along the probe path (the C6 figure's points)."""
    pairs = []
    for prob, df in conv.groupby("problem", sort=False):
        for seed, g in residual_norms(df[df.kind == "eta1"]).groupby("seed"):
            v = g["value"].to_numpy()
            pairs.append(pd.DataFrame(dict(problem=prob, kind="eta1", seed=seed, prev=v[:-1],
                                           next=v[1:])))
        pv = _probe_pivot(df[df.kind == "probe"])
        pairs.append(pd.DataFrame(dict(problem=prob, kind="probe", seed=pv["seed"],
                                       prev=pv["residual_norm"].to_numpy(),
                                       next=pv["full_step_residual_norm"].to_numpy())))
    return pd.concat(pairs, ignore_index=True)


__all__ = ["per_seed", "select", "tidy_table", "cell_summary", "damping_paper", "TABLE_KEYS",
           "GRAM_TABLE", "catalogue_tables", "explain_table", "gram_summary", "table_summaries",
           "frequency_paper", "collocation_paper", "schedule_paper", "nearest_to_paper",
           "gram_paper",
           "gram_spectrum", "gram_rows", "GRAM_SHOWN", "GRAM_QUANTITIES", "residual_norms",
           "rate_slope", "local_rate_fit", "gram_ratios", "convergence_rates",
           "all_convergence_rates", "rate_pairs"]
