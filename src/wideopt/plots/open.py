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

from wideopt.analysis.fits import loglog_slope
from wideopt.analysis.open_summary import critical_width
from wideopt.analysis.operators_summary import ARCH_LABELS
from wideopt.analysis.tables import summarize
from wideopt.plots.cells import DIVERGED, NOT_REACHED
from wideopt.plots.style import finish_figure, loglog_axes, set_theme
from wideopt.plots.tables import TableSpec, fmt


def _width_ticks(ax, widths) -> None:
    ax.set_xticks(widths, [str(w) for w in widths])
    ax.set_xticks([], minor=True)


def radius(df: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """rho*(m) vs m, log-log: every seed (open markers at the search range's ends) and the
    geometric mean, with the fitted slope and a slope-1/2 reference through the mean."""
    set_theme()
    fig, ax = plt.subplots(figsize=(5.2, 4), layout="constrained")
    loglog_axes(ax)
    sns.lineplot(df, x="width", y="rho_star", errorbar="sd", marker="o", ax=ax,
                 label="geometric mean over seeds")
    inside = df[df.censored == 0]
    ax.scatter(inside.width, inside.rho_star, s=14, color="0.3", zorder=3, label="seeds")
    cens = df[df.censored != 0]
    if len(cens):
        ax.scatter(cens.width, cens.rho_star, s=30, facecolors="none", edgecolors="C3",
                   zorder=3, label="at the search range's end")
    widths = np.sort(df.width.unique()).astype(float)
    gm = np.exp(np.log(df.rho_star).mean())
    xm = np.exp(np.log(widths).mean())
    ax.plot(widths, gm * (widths / xm) ** 0.5, "k--", lw=1, label="slope 1/2 (theory)")
    _width_ticks(ax, widths.astype(int))
    ax.set_xlabel("width m")
    ax.set_ylabel(r"$\rho^*$: largest $\|\delta\|$ still trained to $\leq 2\times$ loss")
    ax.set_title(f"Trainable neighbourhood of theta_0 (fitted slope "
                 f"{loglog_slope(df.width, df.rho_star):.2f})")
    ax.legend(fontsize=8)
    finish_figure(fig, stem, scale)


def _label(df: pd.DataFrame) -> pd.Series:
    return df.arch.map(ARCH_LABELS) + "/" + df.problem.str.replace("_", "-")


def _versus_width(df: pd.DataFrame, panels: list[tuple[str, str]], hue: str, style: str,
                  title: str, stem: str | Path, scale: str | None) -> None:
    """One log-log panel per (column, label) vs width; one legend, outside on the right."""
    set_theme()
    fig, axes = plt.subplots(1, len(panels), figsize=(5.3 * len(panels), 4),
                             layout="constrained")
    for k, (ax, (col, label)) in enumerate(zip(axes, panels, strict=True)):
        loglog_axes(ax)
        sns.lineplot(df, x="width", y=col, hue=hue, style=style, markers=True, errorbar="sd",
                     ax=ax, legend=k == len(panels) - 1)
        _width_ticks(ax, sorted(df.width.unique()))
        ax.set_xlabel("width m")
        ax.set_ylabel(label)
    sns.move_legend(axes[-1], "upper left", bbox_to_anchor=(1.02, 1))
    fig.suptitle(title)
    finish_figure(fig, stem, scale)


def relu(df: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """Final training loss and epochs to the narrowest net's loss vs width; hue = arch x
    problem, dashes = activation (ReLU vs the smooth one of section A)."""
    d = df.assign(run=_label(df), activation=np.where(df.activation == "relu", "ReLU",
                                                      "smooth (section A)"))
    _versus_width(d, [("final_train_loss", "final training loss (MSE)"),
                      ("epochs_to_narrow", "epochs to the narrowest net's final loss")],
                  "run", "activation",
                  "Does the width benefit survive ReLU? (geometric mean over seeds, ±1 sd)",
                  stem, scale)


RELU_TABLE = TableSpec(
    id="open_relu_operators",
    index=["arch", "problem", "activation", "width"],
    columns="quantity",
    title="Final training loss and epochs to the narrowest net's loss, ReLU beside section A's "
          "smooth activation (mean ± sd over seeds)",
    nan_means=lambda r: NOT_REACHED if r["quantity"] == "epochs_to_narrow" else DIVERGED,
)


def relu_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Mean ± sd over seeds of the two quantities of :data:`RELU_TABLE`."""
    tidy = df.melt(id_vars=["arch", "problem", "activation", "width", "seed"],
                   value_vars=["final_train_loss", "epochs_to_narrow"], var_name="quantity")
    tidy["arch"] = tidy.arch.map(ARCH_LABELS)
    return summarize(tidy, RELU_TABLE.index + ["quantity"], nan_if_any=False, ddof=1)


def encoder(df: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """FNO with the encoder frozen vs trained: final loss and relative distance of the trained
    parameters vs width."""
    _versus_width(df, [("final_train_loss", "final training loss (MSE)"),
                       ("rel_trained_distance",
                        r"$\|\theta_T-\theta_0\|/\|\theta_0\|$ (trained part)")],
                  "encoder", "problem",
                  "FNO: lift and projection trained (section A) vs frozen at initialization",
                  stem, scale)


def depth(df: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """h = max_t ||W(t) - W(0)||_2/||W(0)||_2 vs width, one panel per training-time multiple;
    hue = trained depth, style = layer; dashed: h = 1 and a slope -1/2 guide."""
    set_theme()
    mults = sorted(df.multiple.unique())
    fig, axes = plt.subplots(1, len(mults), figsize=(4.3 * len(mults), 4), sharey=True,
                             layout="constrained", squeeze=False)
    widths = np.sort(df.width.unique()).astype(float)
    for k, (ax, c) in enumerate(zip(axes[0], mults, strict=True)):
        loglog_axes(ax)
        sel = df[df.multiple == c].assign(depth=lambda d: d.depth.astype(str))
        sns.lineplot(sel, x="width", y="h", hue="depth", style="layer", markers=True,
                     errorbar="sd", ax=ax, legend=k == len(mults) - 1)
        ax.axhline(1.0, color="k", lw=0.8, ls=":")
        ref = np.exp(np.log(sel.h[sel.h > 0]).mean()) if (sel.h > 0).any() else 1.0
        ax.plot(widths, ref * (widths / widths.mean()) ** -0.5, "k--", lw=0.8)
        _width_ticks(ax, widths.astype(int))
        ax.set_title(f"{c}x the training time")
        ax.set_xlabel("width m")
        ax.set_ylabel(r"$h=\max_t \|W(t)-W(0)\|_2/\|W(0)\|_2$")
    sns.move_legend(axes[0, -1], "upper left", bbox_to_anchor=(1.02, 1))
    fig.suptitle("Per-layer weight distance vs width, 1-4 trained hidden layers "
                 "(dashed: slope -1/2; dotted: h = 1)")
    finish_figure(fig, stem, scale)


def ngd_depth_tidy(deep: pd.DataFrame, two_layer: pd.DataFrame, ngd_lr: float) -> pd.DataFrame:
    """One row per (problem, optimizer, net, seed): the deep runs (NGD per lr) beside section
    C's two-layer runs of the same optimizers on the same problems (``pinn_optimizers``, NGD
    at section C's ``ngd_lr``)."""
    d = deep.assign(optimizer=np.where(deep.optimizer == "NGD",
                                       "NGD lr=" + deep.lr.map("{:g}".format), deep.optimizer),
                    net="two hidden layers", value=deep.final_rel_l2)
    c = two_layer[two_layer.problem.isin(deep.problem.unique())]
    c = c.assign(optimizer=c.optimizer.replace({"L-BFGS": "LBFGS", "NGD": f"NGD lr={ngd_lr:g}"}),
                 net="one hidden layer (section C)")
    c = c[c.optimizer.isin(set(d.optimizer))]
    keys = ["problem", "optimizer", "net", "seed", "value"]
    return pd.concat([d[keys], c[keys]], ignore_index=True)


NGD_DEPTH_TABLE = TableSpec(
    id="open_ngd_depth",
    index=["problem", "optimizer"],
    columns="net",
    title="Test relative L2 error: PINNs with two trained hidden layers (ours) beside section "
          "C's two-layer results (mean ± sd over seeds)",
)


def ngd_dimension(df: pd.DataFrame, stem: str | Path, factor: float,
                  scale: str | None = None) -> None:
    """Left: NGD error vs width, hue = d. Right: m*(d) per seed and its geometric mean vs d,
    with the fitted exponent."""
    set_theme()
    fig, axes = plt.subplots(1, 2, figsize=(10.5, 4), layout="constrained")
    ax = axes[0]
    loglog_axes(ax)
    sns.lineplot(df.assign(d=df.dim.astype(str)), x="width", y="final_rel_l2", hue="d",
                 marker="o", errorbar="sd", ax=ax)
    _width_ticks(ax, sorted(df.width.unique()))
    ax.set_xlabel("width m")
    ax.set_ylabel("test relative L2 error (NGD)")
    ms = critical_width(df, factor)
    ax = axes[1]
    loglog_axes(ax)
    ok = ms[np.isfinite(ms.m_star)]
    if len(ok):
        sns.lineplot(ok, x="dim", y="m_star", marker="o", errorbar="sd", ax=ax)
        ax.scatter(ok.dim, ok.m_star, s=12, color="0.3", zorder=3)
    _width_ticks(ax, sorted(df.dim.unique()))
    ax.set_xlabel("dimension d")
    ax.set_ylabel(f"m*(d): smallest width within {factor:g}x of the widest")
    ax.set_title(f"fitted exponent {fmt(loglog_slope(ok.dim, ok.m_star))}")
    fig.suptitle("NGD on Poisson in [0,1]^d: width needed vs dimension")
    finish_figure(fig, stem, scale)
