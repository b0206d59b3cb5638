"""Section E figures and tables (open questions), drawn from the tidy results/open tables.

As in section A, each axis is put on its log scale before ``sns.lineplot``, so lines are
geometric means over seeds and bands ±1 sd of the log value.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.lines import Line2D

from wideopt.analysis.fits import loglog_slope
from wideopt.analysis.open_summary import RELU_KEYS, critical_width
from wideopt.analysis.operators_summary import ARCH_LABELS
from wideopt.plots.cells import DIVERGED, NOT_REACHED
from wideopt.plots.style import (
    BLUE,
    DIVERGED_MARKER,
    GREY,
    OTHER,
    VERMILLION,
    finish_figure,
    legend_outside,
    loglog_axes,
    seeds_caption,
    set_theme,
    width_axis,
)
from wideopt.plots.tables import TableSpec, fmt


def radius(df: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """rho*(m) vs m, log-log: every seed (open markers at the search range's ends) and the
    geometric mean, with the fitted slope and a slope-1/2 reference through the mean."""
    set_theme()
    fig, ax = plt.subplots(figsize=(6.6, 4.4), layout="constrained")
    loglog_axes(ax)
    sns.lineplot(df, x="width", y="rho_star", errorbar="sd", marker="o", ax=ax,
                 color=BLUE, label="geometric mean over seeds")
    inside = df[df.censored == 0]
    ax.scatter(inside.width, inside.rho_star, s=14, color="0.3", zorder=3, label="seeds")
    cens = df[df.censored != 0]
    if len(cens):
        ax.scatter(cens.width, cens.rho_star, s=30, facecolors="none", edgecolors=VERMILLION,
                   zorder=3, label="at the search range's end")
    widths = np.sort(df.width.unique()).astype(float)
    gm = np.exp(np.log(df.rho_star).mean())
    xm = np.exp(np.log(widths).mean())
    ax.plot(widths, gm * (widths / xm) ** 0.5, "k--", lw=1, label="slope 1/2 (theory)")
    width_axis(ax, widths.astype(int))
    ax.set_xlabel("width $m$")
    ax.set_ylabel(r"$\rho^*$: largest $\|\delta\|$ still trained to $\leq 2\times$ loss")
    legend_outside(fig, ax=ax, loc="outside lower center", ncols=2)
    fig.suptitle(r"Trainable neighbourhood of $\theta_0$ (fitted slope "
                 f"{loglog_slope(df.width, df.rho_star):.2f})\n({seeds_caption(df, 'logsd')})",
                 fontsize=10)
    finish_figure(fig, stem, scale)


def _label(df: pd.DataFrame) -> pd.Series:
    return df.arch.map(ARCH_LABELS) + "/" + df.problem.str.replace("_", "-")


def _versus_width(df: pd.DataFrame, panels: list[tuple[str, str]], hue: str, style: str,
                  title: str, stem: str | Path, scale: str | None,
                  palette: dict | None = None) -> None:
    """One log-log panel per (column, label) vs width; one legend, outside on the right."""
    set_theme()
    fig, axes = plt.subplots(1, len(panels), figsize=(4.6 * len(panels) + 2.2, 4),
                             layout="constrained")
    for k, (ax, (col, label)) in enumerate(zip(axes, panels, strict=True)):
        loglog_axes(ax)
        sns.lineplot(df, x="width", y=col, hue=hue, style=style, markers=True, errorbar="sd",
                     palette=palette, ax=ax, legend=k == len(panels) - 1)
        width_axis(ax, sorted(df.width.unique()))
        ax.set_xlabel("width $m$")
        ax.set_ylabel(label)
    legend_outside(fig, ax=axes[-1])
    fig.suptitle(f"{title}\n({seeds_caption(df, 'logsd')})", fontsize=10)
    finish_figure(fig, stem, scale)


def relu(df: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """Final training loss and epochs to the narrowest net's loss vs width; hue = arch x
    problem, dashes = activation (ReLU vs the smooth one of section A)."""
    d = df.assign(run=_label(df), activation=np.where(df.activation == "relu", "ReLU",
                                                      "smooth (section A)"))
    _versus_width(d, [("final_train_loss", "final training loss (MSE)"),
                      ("epochs_to_narrow", "epochs to the narrowest net's final loss")],
                  "run", "activation", "Does the width benefit survive ReLU?", stem, scale,
                  palette=dict(zip(sorted(d.run.unique()), OTHER, strict=False)))


RELU_TABLE = TableSpec(
    id="open_relu_operators",
    index=RELU_KEYS,
    columns="quantity",
    title="Final training loss and epochs to the narrowest net's loss, ReLU beside section A's "
          "smooth activation (mean ± sd over seeds)",
    nan_means=lambda r: NOT_REACHED if r["quantity"] == "epochs_to_narrow" else DIVERGED,
)


def encoder(df: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """FNO with the encoder frozen vs trained: final loss and relative distance of the trained
    parameters vs width."""
    _versus_width(df, [("final_train_loss", "final training loss (MSE)"),
                       ("rel_trained_distance",
                        r"$\|\theta_T-\theta_0\|/\|\theta_0\|$ (trained part)")],
                  "encoder", "problem",
                  "FNO: lift and projection trained (section A) vs frozen at initialization",
                  stem, scale, palette={"trained": BLUE, "frozen": VERMILLION})


def depth(df: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """h = max_t ||W(t) - W(0)||_2/||W(0)||_2 vs width, one panel per training-time multiple;
    hue = trained depth, style = layer; dashed: h = 1 and a slope -1/2 guide."""
    set_theme()
    mults = sorted(df.multiple.unique())
    fig, axes = plt.subplots(1, len(mults), figsize=(3.4 * len(mults) + 1.8, 4), sharey=True,
                             layout="constrained", squeeze=False)
    widths = np.sort(df.width.unique()).astype(float)
    for k, (ax, c) in enumerate(zip(axes[0], mults, strict=True)):
        loglog_axes(ax)
        sel = df[df.multiple == c].assign(depth=lambda d: d.depth.astype(str))
        depths = sorted(sel.depth.unique(), key=int)
        sns.lineplot(sel, x="width", y="h", hue="depth", hue_order=depths, style="layer",
                     markers=True, errorbar="sd", ax=ax, legend=k == len(mults) - 1,
                     palette=dict(zip(depths, OTHER, strict=False)))
        ax.axhline(1.0, color="k", lw=0.8, ls=":")
        ref = np.exp(np.log(sel.h[sel.h > 0]).mean()) if (sel.h > 0).any() else 1.0
        ax.plot(widths, ref * (widths / widths.mean()) ** -0.5, "k--", lw=0.8)
        width_axis(ax, widths.astype(int))
        ax.set_title(f"{c}× the training time")
        ax.set_xlabel("width $m$")
        ax.set_ylabel(r"$h=\max_t \|W(t)-W(0)\|_2/\|W(0)\|_2$")
    legend_outside(fig, ax=axes[0, -1])
    fig.suptitle("Per-layer weight distance vs width, 1–4 trained hidden layers "
                 r"(dashed: slope $-1/2$; dotted: $h = 1$)"
                 f"\n({seeds_caption(df, 'logsd')})", fontsize=10)
    finish_figure(fig, stem, scale)


def ngd_depth_figure(summary: pd.DataFrame, spec: TableSpec, stem: str | Path,
                     scale: str | None = None) -> None:
    """open_ngd_depth as a dot plot: one panel per problem, the optimizers down the y axis,
    the test error on a log x axis, mean ± sd over seeds (error bars), one colour per net.
    Cells never run (section C ran NGD at one lr only) are absent, not "nan"; a cell with a
    diverged seed is a cross at the panel's right edge."""
    set_theme()
    problems = list(dict.fromkeys(summary["problem"]))
    opts = list(dict.fromkeys(summary["optimizer"]))
    nets = list(dict.fromkeys(summary["net"]))
    colors = dict(zip(nets, [VERMILLION, BLUE, GREY], strict=False))
    fig, axes = plt.subplots(1, len(problems), figsize=(7, 0.45 * len(opts) + 1.6),
                             sharey=True, sharex=True, squeeze=False, layout="constrained")
    vals = summary["value"].to_numpy(float)
    vals = vals[np.isfinite(vals) & (vals > 0)]
    lo, hi = vals.min() / 5, vals.max() * 5
    any_div = False
    for ax, prob in zip(axes[0], problems, strict=True):
        ax.set_xscale("log")
        for k, net in enumerate(nets):
            s = summary[(summary.problem == prob) & (summary.net == net)]
            y = np.array([opts.index(o) for o in s.optimizer]) + (k - (len(nets) - 1) / 2) * 0.25
            x, sd = s["value"].to_numpy(float), s["std"].fillna(0).to_numpy(float)
            ok = np.isfinite(x)
            ax.errorbar(x[ok], y[ok], xerr=[np.where(x[ok] - sd[ok] > lo, sd[ok], x[ok] - lo),
                                            sd[ok]],
                        fmt="o", color=colors[net], ms=5, capsize=2.5, elinewidth=1)
            bad = ~ok
            if bad.any():
                any_div = True
                ax.plot(np.full(bad.sum(), hi), y[bad], DIVERGED_MARKER, color=colors[net],
                        mec="k", mew=0.6, ms=8, clip_on=False)
        ax.set_xlim(lo, hi)
        ax.set_yticks(range(len(opts)), opts)
        ax.set_ylim(len(opts) - 0.5, -0.5)
        ax.set(title=prob, xlabel=r"relative $L^2$ test error")
    handles = [Line2D([], [], color=colors[n], marker="o", ls="", label=n) for n in nets]
    if any_div:
        handles.append(Line2D([], [], color="0.6", marker=DIVERGED_MARKER, mec="k", ls="",
                              label="diverged (≥ 1 seed)"))
    legend_outside(fig, handles, [h.get_label() for h in handles], loc="outside lower center",
                   ncols=len(handles))
    fig.suptitle(f"PINNs with two trained hidden layers vs section C's one\n"
                 f"({seeds_caption(summary, 'sd')}; no point: not run)", fontsize=10)
    finish_figure(fig, stem, scale, formats=("png",))


NGD_DEPTH_TABLE = TableSpec(
    id="open_ngd_depth",
    index=["problem", "optimizer"],
    columns="net",
    title="Test relative L2 error: PINNs with two trained hidden layers (ours) beside section "
          "C's two-layer results (mean ± sd over seeds)",
    draw=ngd_depth_figure,
)


def ngd_dimension(df: pd.DataFrame, stem: str | Path, factor: float,
                  scale: str | None = None) -> None:
    """Left: NGD error vs width, hue = d. Right: m*(d) per seed and its geometric mean vs d,
    with the fitted exponent."""
    set_theme()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    ax = axes[0]
    loglog_axes(ax)
    dims = [str(d) for d in sorted(df.dim.unique())]
    sns.lineplot(df.assign(d=df.dim.astype(str)), x="width", y="final_rel_l2", hue="d",
                 hue_order=dims, palette=dict(zip(dims, OTHER, strict=False)), marker="o",
                 errorbar="sd", ax=ax)
    width_axis(ax, sorted(df.width.unique()))
    ax.set_xlabel("width $m$")
    ax.set_ylabel(r"relative $L^2$ test error (NGD)")
    legend_outside(fig, ax=ax, loc="outside left center", title="dimension $d$")
    ms = critical_width(df, factor)
    ax = axes[1]
    loglog_axes(ax)
    ok = ms[np.isfinite(ms.m_star)]
    if len(ok):
        sns.lineplot(ok, x="dim", y="m_star", marker="o", errorbar="sd", ax=ax, color=BLUE)
        ax.scatter(ok.dim, ok.m_star, s=12, color="0.3", zorder=3)
    width_axis(ax, sorted(df.dim.unique()))
    ax.set_xlabel("dimension $d$")
    ax.set_ylabel(f"$m^*(d)$: smallest width\nwithin {factor:g}× of the widest")
    ax.set_title(f"fitted exponent {fmt(loglog_slope(ok.dim, ok.m_star))}")
    fig.suptitle(r"NGD on Poisson in $[0,1]^d$: width needed vs dimension"
                 f"\n({seeds_caption(df, 'logsd')}; grey dots: the seeds)", fontsize=10)
    finish_figure(fig, stem, scale)
