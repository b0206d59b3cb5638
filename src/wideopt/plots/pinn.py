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
from matplotlib.lines import Line2D

from wideopt.analysis.pinn_summary import GRAM_SHOWN
from wideopt.plots import cells
from wideopt.plots.style import (
    BLACK,
    GREY,
    OPTIMIZERS,
    PROBLEMS,
    YELLOW,
    finish_figure,
    legend_outside,
    palette,
    seeds_caption,
    set_theme,
    style_of,
)
from wideopt.plots.sweeps import Sweep, sweep_drawer, tick_label
from wideopt.plots.tables import TableSpec, default_cell, fmt

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
        return v + (cells.paper(r) if r.get("paper_reported") else "")

    return cell


def status_cell(r: pd.Series) -> str:
    """A run table's cell: "diverged" (or "diverged (k/n seeds)") where a seed diverged by the
    loss rule (:mod:`wideopt.analysis.run_status`), else ``ours ± sd``; the paper's beside."""
    status = r.get("status", "ok")
    if isinstance(status, str) and status.startswith("diverged"):
        return status + cells.paper(r)
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
            figure_title=r"Relative $L^2$ test error, ours beside the paper's"),
        "pinn_lr_robustness": TableSpec(
            "pinn_lr_robustness", ["optimizer"], "lr",
            f"{lr_problem}: relative L2 test error vs learning rate",
            draw=sweep_drawer(Sweep("lr", "optimizer", r"learning rate $\eta$",
                                    kind=OPTIMIZERS)),
            figure_title=f"{lr_problem}: test error vs learning rate"),
        "pinn_width": TableSpec(
            "pinn_width", ["optimizer"], "width",
            f"NGD on {width_problem}: relative L2 test error vs width",
            draw=sweep_drawer(Sweep("width", "optimizer", r"hidden width $m$",
                                    kind=OPTIMIZERS, integer_x=True)),
            figure_title=f"NGD on {width_problem}: test error vs width"),
        "pinn_ngd_damping": TableSpec(
            "pinn_ngd_damping", ["problem"], "damping",
            f"NGD relative L2 test error vs LM damping (tables use {fmt(chosen_damping)}; "
            "paper's NGD cell, damping not stated, in parentheses)",
            draw=sweep_drawer(Sweep(
                "damping", "problem", r"LM damping $\mu$ (× mean diag $JJ^\top$)",
                kind=PROBLEMS, zero_x=True,
                paper_label="paper's NGD cell\n(its damping not stated)")),
            figure_title=("NGD test error vs Levenberg-Marquardt damping "
                          f"(the other tables use {tick_label(chosen_damping)})")),
        "pinn_gram_spectrum": TableSpec(
            "pinn_gram_spectrum", ["problem", "normalization"], "quantity",
            "Gram matrix J J^T at initialization (mean over seeds)", facet="quantity",
            shown=GRAM_SHOWN, cell=gram_cell(gram), note=GRAM_NOTE, draw=gram_figure),
        "pinn_helmholtz_frequency": TableSpec(
            "pinn_helmholtz_frequency", ["optimizer"], "a",
            "helmholtz2d, u* = sin(pi x) sin(a pi y): relative L2 test error vs a",
            shown=None, note=frequency_note(nearest),
            draw=sweep_drawer(Sweep("a", "optimizer", r"frequency $a$", kind=OPTIMIZERS,
                                    paper_label="paper's helmholtz2d cell\n(its $a$ not stated)")),
            figure_title=r"helmholtz2d, $u^* = \sin(\pi x)\,\sin(a \pi y)$: test error vs $a$"),
        "pinn_collocation": TableSpec(
            "pinn_collocation", ["problem", "n", "width"], "optimizer",
            "NGD relative L2 test error vs collocation points n (one width m per problem, "
            "p = m (d+1) > n)",
            note="In parentheses the paper's NGD cell of the problem (its n is not stated).",
            draw=sweep_drawer(Sweep("n", "problem", r"collocation points $n$", kind=PROBLEMS,
                                    integer_x=True,
                                    paper_label="paper's NGD cell\n(its $n$ not stated)")),
            figure_title=r"NGD test error vs collocation points $n$ (one width $m$ per "
                         r"problem, $p = m(d+1) > n$)"),
        "pinn_ngd_schedule": TableSpec(
            "pinn_ngd_schedule", ["epochs"], "lr",
            f"{lr_problem}: NGD relative L2 test error vs lr, {short} and {long} epochs",
            note="In parentheses the paper's NGD cell of the lr table (its epochs).",
            draw=sweep_drawer(Sweep("lr", "epochs", r"learning rate $\eta$",
                                    label=lambda e: f"{e} epochs",
                                    paper_label="paper's NGD\n(lr table, its epochs)")),
            figure_title=f"{lr_problem}: NGD test error vs learning rate, two schedules"),
    }


def gram_figure(summary: pd.DataFrame, spec: TableSpec, stem: str,
                scale: str | None = None) -> None:
    """The Gram matrix H = J J^T at initialization, per problem on a log axis: its extreme
    eigenvalues lambda = sigma(J)^2 (mean over seeds) joined by a bar, the float64 floor
    n eps^2 lambda_max below which lambda_min is round-off (drawn hollow there), and the
    paper's poisson1d lambda_min and lambda_max = 1 / (its 1/lambda_max) as stars. One panel
    per normalization of the residual. The tidy table keeps these summary eigenvalues, not the
    whole spectrum, so the figure draws the range [lambda_min, lambda_max], not every
    eigenvalue."""
    set_theme()
    norms = list(dict.fromkeys(summary["normalization"]))
    problems = list(dict.fromkeys(summary["problem"]))
    fig, axes = plt.subplots(1, len(norms), figsize=(5.0 * len(norms) + 1.0, 4.2),
                             squeeze=False, sharey=True, layout="constrained")
    v = summary.set_index(["normalization", "problem", "quantity"]).sort_index()
    handles = {}
    for ax, norm in zip(axes[0], norms, strict=True):
        ax.set_yscale("log")
        for i, prob in enumerate(problems):
            q = v.loc[(norm, prob)]
            color = style_of(PROBLEMS, prob)[0]
            lmin, lmax = float(q.loc["lambda_min", "value"]), float(q.loc["lambda_max", "value"])
            floor = float(q.loc["roundoff_floor", "value"])
            below = lmin < floor
            ax.plot([i, i], [lmin, lmax], color=color, lw=2.5, alpha=0.6)
            handles["max"] = ax.plot(i, lmax, "v", color=color, ms=8, mec="k", mew=0.5,
                                     label=r"$\lambda_{\max}$")[0]
            h = ax.plot(i, lmin, "^", ms=8, mec=color if below else "k", mew=1.2 if below
                        else 0.5, mfc="none" if below else color,
                        label=r"$\lambda_{\min}$ below the floor (round-off)" if below
                        else r"$\lambda_{\min}$")[0]
            handles["min_below" if below else "min"] = h
            handles["floor"] = ax.plot([i - 0.3, i + 0.3], [floor, floor], color=GREY, lw=2,
                                       label=r"float64 floor $n\,\varepsilon^2\lambda_{\max}$")[0]
            if "numerical_rank" in q.index:
                ax.annotate(f"rank {q.loc['numerical_rank', 'value']:.0f}", (i, lmax),
                            xytext=(7, 0), textcoords="offset points", ha="left",
                            va="center", fontsize=7)
            for quantity, transform, marker in (("lambda_min", float, "*"),
                                                ("inv_lambda_max", lambda x: 1 / x, "*")):
                pv = q.loc[quantity, "paper_value"] if quantity in q.index else np.nan
                if "paper_value" in q and np.isfinite(pv):
                    handles["paper"] = ax.plot(i - 0.2, transform(pv), marker, color=BLACK,
                                               ms=11, mfc=YELLOW, mew=0.8,
                                               label=r"paper (poisson1d): $\lambda_{\min}$, "
                                                     r"$1/(1/\lambda_{\max})$")[0]
        ax.set_xticks(range(len(problems)), problems, rotation=45, ha="right",
                      rotation_mode="anchor")
        ax.set_xlim(-0.6, len(problems) - 0.4)
        ax.set_title(f"{norm} residual")
    axes[0, 0].set_ylabel(r"eigenvalue $\lambda = \sigma(J)^2$ of $JJ^\top$")
    order = [k for k in ("max", "min", "min_below", "floor", "paper") if k in handles]
    legend_outside(fig, [handles[k] for k in order], [handles[k].get_label() for k in order])
    fig.suptitle(r"Gram matrix $JJ^\top$ at initialization: its extreme eigenvalues "
                 f"({seeds_caption(summary, 'mean')}; the table keeps\n"
                 r"$\lambda_{\min}$, $\lambda_{\max}$ and the floor, not the whole spectrum)",
                 fontsize=10)
    finish_figure(fig, stem, scale, formats=("png",))


def _loss_panel(ax, sub: pd.DataFrame) -> None:
    ax.set(xscale="log", yscale="log")  # first: seaborn then averages in log space
    hue_order = [o for o in ORDER if o in set(sub["optimizer"])]
    sns.lineplot(data=sub.assign(iteration=sub["step"].clip(lower=1)), x="iteration",
                 y="value", hue="optimizer", hue_order=hue_order,
                 palette=palette(OPTIMIZERS, hue_order), errorbar=("pi", 100),
                 estimator="mean", ax=ax, legend=False)


def _slope_text(slope: float) -> str:
    return f"{slope:.2f}" if np.isfinite(slope) else "n/a (too few pairs)"


def convergence_figure(curves: pd.DataFrame, rates: pd.DataFrame, pairs: pd.DataFrame,
                       stem: str, scale: str | None = None) -> None:
    """``curves``: problem, optimizer, seed, step, value (training loss);
    ``pairs``: problem, kind (eta1 | probe), seed, prev, next (residual norms);
    ``rates``: problem, eta1_slope, probe_slope.

    One panel per problem (loss vs iteration, one line per optimizer: mean over seeds, band
    min-max), and NGD's rate panel |r_{k+1}| vs |r_k| (one colour per problem; filled
    circles: the eta = 1 run, crosses: full steps probed along the eta = 0.1 path), with
    slope-1 and slope-2 guides over the data's range. Legends outside the panels."""
    set_theme()
    problems = list(dict.fromkeys(curves["problem"]))
    ncol = 3
    nrow = -(-(len(problems) + 1) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(11.5, 3.3 * nrow), squeeze=False,
                             layout="constrained")
    flat = axes.ravel()
    for ax, prob in zip(flat, problems, strict=False):
        _loss_panel(ax, curves[curves.problem == prob])
        ax.set(title=prob, xlabel="iteration (step 0 drawn at 1)",
               ylabel=r"training loss $L = \frac{1}{2}\|r\|^2$")
    for extra in flat[len(problems) + 1:]:
        extra.set_visible(False)
    ax = flat[len(problems)]
    ax.set(xscale="log", yscale="log")
    rate_handles = []
    for prob in problems:
        e = pairs[pairs.problem == prob]
        if e.empty:
            continue
        color = style_of(PROBLEMS, prob)[0]
        r = rates[rates.problem == prob].iloc[0]
        for kind, marker, ls in (("eta1", "o", "-"), ("probe", "x", "")):
            k = e[e.kind == kind]
            if not k.empty:
                ax.plot(k["prev"], k["next"], marker=marker, ls=ls, ms=3, lw=0.8, color=color,
                        alpha=1.0 if kind == "eta1" else 0.6)
        local = r.get("local_slope", r["eta1_slope"])  # C6's local-regime fit where measured
        rate_handles.append(Line2D([], [], color=color, marker="o", ms=4, lw=0.8,
                                   label=f"{prob}: slope {_slope_text(local)} "
                                         f"/ {_slope_text(r['probe_slope'])}"))
    v = pairs[["prev", "next"]].to_numpy(float)
    v = v[np.isfinite(v) & (v > 0)]
    if v.size:
        lo, hi = max(v.min(), 1e-16), v.max()
        xs = np.geomspace(lo, hi, 20)
        ax.plot(xs, xs, "k:", lw=0.8)
        ax.plot(xs, xs**2 / hi, "k--", lw=0.8)
        ax.set_ylim(lo / 3, hi * 3)  # the data's range: the slope-2 guide stops at its floor
    ax.set(xlabel=r"$\|r_k\|$", ylabel=r"$\|r_{k+1}\|$", title="NGD: quadratic rate?")
    rate_handles += [Line2D([], [], color="k", marker="o", ms=4, lw=0.8, label=r"$\eta = 1$ run"),
                     Line2D([], [], color="k", marker="x", ls="", ms=5,
                            label=r"full step probed on the $\eta = 0.1$ path"),
                     Line2D([], [], color="k", ls=":", lw=0.8, label="slope 1 (linear)"),
                     Line2D([], [], color="k", ls="--", lw=0.8, label="slope 2 (quadratic)")]
    shown = [o for o in ORDER if o in set(curves["optimizer"])]
    opt_handles = [Line2D([], [], color=style_of(OPTIMIZERS, o)[0], lw=2, label=o)
                   for o in shown]
    legend_outside(fig, opt_handles, shown, loc="outside right upper", title="optimizer")
    legend_outside(fig, rate_handles, [h.get_label() for h in rate_handles],
                   loc="outside right lower",
                   title=r"rate panel (slopes: $\eta = 1$ local fit / probe)")
    fig.suptitle("Section C: training loss vs iteration per problem, and NGD's local rate "
                 f"({seeds_caption(curves, 'range')})")
    finish_figure(fig, stem, scale)


__all__ = ["convergence_figure", "gram_figure", "table_specs", "gram_cell", "ORDER"]
