"""Section C drawing: the table specs of the five tables and the figure ``pinn_convergence``.

``pinn_convergence``: training loss L = 1/2 |r|^2 vs iteration per problem (one line per
optimizer: seaborn's mean over seeds with a min-max band, both taken in log space because the
log scale is set before plotting), and NGD's rate panel log|r_{k+1}| vs log|r_k| (slope 2 =
quadratic convergence, seed 002 Thm 4.7). Nothing here imports torch.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from wideopt.analysis.pinn_summary import GRAM_SHOWN
from wideopt.plots.style import finish_figure, set_theme
from wideopt.plots.tables import TableSpec, default_cell, fmt, paper_cell

ORDER = ["SGD", "Adam", "L-BFGS", "NGD"]  # display names, as the run files carry them
GRAM_NOTE = ("lambda = sigma(J)^2 from the singular values of J (float64). `normalized`: our "
             "residual ((L phi - f) / sqrt(n1), (phi - g) / sqrt(n2)), the training loss; "
             "`unnormalized`: (L phi - f, phi - g), lambda_max grows like n. "
             "`roundoff_floor` = n eps^2 lambda_max: a lambda_min below it is round-off, not a "
             "measurement; `numerical_rank` counts the eigenvalues above it. "
             "`lambda_min_eigvalsh` is eigvalsh(J J^T)'s smallest eigenvalue, resolved only to "
             "`eigvalsh_floor` = n eps lambda_max. `gd_rate` = 1 - lambda_min / (2 lambda_max) "
             "per GD step at eta = 1/lambda_max (Thm 3.7); `ngd_rate` = 1 - eta_NGD (Thm 4.7). "
             "The paper's two poisson1d numbers (its normalization not stated) beside both.")


def gram_cell(gram: pd.DataFrame):
    """Cell formatter of the Gram table: the mean over seeds, the paper's number where it has
    one; GD's contraction factor 1 - lambda_min / (2 lambda_max) prints as "1 - gap" (three
    digits would show "1"), and a lambda_min below the round-off floor gives no gap at all.
    ``gram``: the summary of every quantity (``problem, normalization, quantity, value``)."""
    keys = ["problem", "normalization"]
    wide = gram.pivot_table(index=keys, columns="quantity", values="value", sort=False)

    def cell(r: pd.Series) -> str:
        if r["quantity"] == "gd_rate":
            w = wide.loc[tuple(r[k] for k in keys)]
            v = ("1 - O(eps): lambda_min at round-off" if w["below_floor"] >= 0.5
                 else f"1 - {fmt(w['lambda_min'] / (2 * w['lambda_max']))}")
        elif r["quantity"] == "numerical_rank":
            v = f"{r['value']:.0f}"
        else:
            v = fmt(r["value"])
        return v + (f" (paper {fmt(r['paper_value'])})" if r.get("paper_reported") else "")

    return cell


def status_cell(r: pd.Series) -> str:
    """A run table's cell: "diverged" (or "diverged (k/n seeds)") where a seed diverged by the
    loss rule (:mod:`wideopt.analysis.run_status`), else ``ours ± sd``; the paper's beside."""
    status = r.get("status", "ok")
    if isinstance(status, str) and status.startswith("diverged"):
        return status + paper_cell(r)
    return default_cell(r)


def frequency_note(nearest: pd.DataFrame) -> str:
    """Which a each optimizer's paper value is nearest (``nearest``: from
    :func:`wideopt.analysis.pinn_summary.nearest_to_paper`)."""
    parts = [f"{r.optimizer}: a = {r.a:g} ({fmt(r.value)} vs paper {fmt(r.paper_value)}, "
             f"{r.decades:.1f} decades apart)" for r in nearest.itertuples()]
    return ("In parentheses the paper's helmholtz2d cell (its u*, hence a, is not stated); ours "
            "for the optimizer table is a = 4. Nearest a to the paper's value: "
            + ("; ".join(parts) if parts else "none finite") + ".")


def table_specs(lr_problem: str, width_problem: str, chosen_damping: float,
                gram: pd.DataFrame, frequency_nearest: pd.DataFrame | None = None,
                schedule_epochs: tuple[int, int] | None = None) -> dict[str, TableSpec]:
    """The :class:`TableSpec` of each section C table (``gram``: the Gram summary;
    ``frequency_nearest``: the frequency table's nearest a per optimizer; ``schedule_epochs``:
    the schedule table's (paper's, longer) epochs)."""
    nearest = frequency_nearest if frequency_nearest is not None else pd.DataFrame()
    short, long = schedule_epochs or ("paper's", "longer")
    return {
        "pinn_optimizers": TableSpec(
            "pinn_optimizers", ["problem"], "optimizer",
            "Relative L2 test error, mean over seeds (paper in parentheses)", shown=ORDER,
            cell=status_cell),
        "pinn_lr_robustness": TableSpec(
            "pinn_lr_robustness", ["optimizer"], "lr",
            f"{lr_problem}: relative L2 test error vs learning rate", cell=status_cell),
        "pinn_width": TableSpec(
            "pinn_width", ["optimizer"], "width",
            f"NGD on {width_problem}: relative L2 test error vs width", cell=status_cell),
        "pinn_ngd_damping": TableSpec(
            "pinn_ngd_damping", ["problem"], "damping",
            f"NGD relative L2 test error vs LM damping (tables use {fmt(chosen_damping)}; "
            "paper's NGD cell, damping not stated, in parentheses)", cell=status_cell),
        "pinn_gram_spectrum": TableSpec(
            "pinn_gram_spectrum", ["problem", "normalization"], "quantity",
            "Gram matrix J J^T at initialization (mean over seeds)", facet="quantity",
            shown=GRAM_SHOWN, cell=gram_cell(gram), note=GRAM_NOTE),
        "pinn_helmholtz_frequency": TableSpec(
            "pinn_helmholtz_frequency", ["optimizer"], "a",
            "helmholtz2d, u* = sin(pi x) sin(a pi y): relative L2 test error vs a",
            shown=None, note=frequency_note(nearest), cell=status_cell),
        "pinn_collocation": TableSpec(
            "pinn_collocation", ["problem", "n", "width"], "optimizer",
            "NGD relative L2 test error vs collocation points n (one width m per problem, "
            "p = m (d+1) > n)",
            note="In parentheses the paper's NGD cell of the problem (its n is not stated).",
            cell=status_cell),
        "pinn_ngd_schedule": TableSpec(
            "pinn_ngd_schedule", ["epochs"], "lr",
            f"{lr_problem}: NGD relative L2 test error vs lr, {short} and {long} epochs",
            note="In parentheses the paper's NGD cell of the lr table (its epochs).",
            cell=status_cell),
    }


def _loss_panel(ax, sub: pd.DataFrame, pal: dict) -> None:
    ax.set(xscale="log", yscale="log")  # first: seaborn then averages in log space
    hue_order = [o for o in ORDER if o in set(sub["optimizer"])]
    sns.lineplot(data=sub.assign(iteration=sub["step"].clip(lower=1)), x="iteration",
                 y="value", hue="optimizer", hue_order=hue_order, palette=pal,
                 errorbar=("pi", 100), estimator="mean", ax=ax, legend=True)


def convergence_figure(curves: pd.DataFrame, rates: pd.DataFrame, pairs: pd.DataFrame,
                       stem: str, scale: str | None = None) -> None:
    """``curves``: problem, optimizer, seed, step, value (training loss);
    ``pairs``: problem, kind (eta1 | probe), seed, prev, next (residual norms);
    ``rates``: problem, eta1_slope, probe_slope."""
    set_theme()
    problems = list(dict.fromkeys(curves["problem"]))
    ncol = 3
    nrow = -(-(len(problems) + 1) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.4 * ncol, 3.6 * nrow), squeeze=False,
                             layout="constrained")
    flat = axes.ravel()
    pal = dict(zip(ORDER, sns.color_palette("colorblind", len(ORDER)), strict=True))
    for k, (ax, prob) in enumerate(zip(flat, problems, strict=False)):
        _loss_panel(ax, curves[curves.problem == prob], pal)
        ax.set(title=prob, xlabel="iteration (step 0 at 1)", ylabel="training loss")
        if k:
            ax.get_legend().remove()
        else:
            ax.legend(title=None, fontsize=8)
    for extra in flat[len(problems) + 1:]:
        extra.set_visible(False)
    ax = flat[len(problems)]
    ax.set(xscale="log", yscale="log")
    cols = sns.color_palette("deep", len(problems))
    for col, prob in zip(cols, problems, strict=True):
        e = pairs[pairs.problem == prob]
        if e.empty:
            continue
        r = rates[rates.problem == prob].iloc[0]
        for kind, marker, ls in (("eta1", "o", "-"), ("probe", "x", "")):
            k = e[e.kind == kind]
            if k.empty:
                continue
            slope = (r.get("local_slope", r["eta1_slope"]) if kind == "eta1"
                     else r["probe_slope"])
            lab = (f"{prob} {'eta=1, local fit' if kind == 'eta1' else 'full step, eta=0.1 path'}"
                   f" (slope {slope:.2f})")
            ax.plot(k["prev"], k["next"], marker=marker, ls=ls, ms=3, lw=0.8, color=col,
                    alpha=1.0 if kind == "eta1" else 0.6, label=lab)
    v = pairs[["prev", "next"]].to_numpy()
    lo, hi = np.nanmin(v[v > 0]), np.nanmax(v)
    xs = np.geomspace(max(lo, 1e-14), hi, 20)
    ax.plot(xs, xs, "k:", lw=0.8, label="slope 1")
    ax.plot(xs, xs**2 / xs[-1], "k--", lw=0.8, label="slope 2")
    ax.set(xlabel="|r_k|", ylabel="|r_{k+1}|", title="NGD, quadratic rate?")
    ax.legend(fontsize=6)
    finish_figure(fig, stem, scale)


__all__ = ["convergence_figure", "table_specs", "gram_cell", "status_cell", "ORDER"]
