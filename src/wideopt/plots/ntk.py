"""Section D figures (seed 003): kernel concentration, drift, linearized dynamics, scaling.

Seeds are aggregated by seaborn (``sns.lineplot(..., errorbar="sd")``) on axes already in log
scale, so the mean and the ±sd band are taken in log space (a geometric mean, a band that
is never clipped at <= 0). Every figure carries its run's scale (:func:`scale_stamp`).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from wideopt.plots.style import finish_figure, loglog_axes, set_theme


def _slope_guide(ax, x, y, slope: float, label: str) -> None:
    """Dashed reference line of the given log-log slope through the first point."""
    x = np.asarray(sorted(x), dtype=float)
    ax.plot(x, y * (x / x[0]) ** slope, "k--", lw=1, label=label)


def init_concentration(init: pd.DataFrame, stem, scale: str | None = None) -> None:
    """||H(0) - H*||_2 vs m, hue = activation, style = n, mean +- sd over seeds."""
    set_theme()
    fig, ax = plt.subplots(figsize=(5.5, 4), layout="constrained")
    loglog_axes(ax)
    sns.lineplot(init, x="width", y="error", hue="activation", style="n", markers=True,
                 errorbar="sd", ax=ax)
    first = init[init.width == init.width.min()]["error"].mean()
    _slope_guide(ax, init.width.unique(), first, -0.5, "slope -1/2")
    ax.set(xlabel="width m", ylabel=r"$\|H(0) - H^*\|_2$",
           title="NTK at initialization concentrates on $H^*$")
    ax.legend(fontsize=8)
    finish_figure(fig, stem, scale)


def drift(runs: pd.DataFrame, stem, scale: str | None = None) -> None:
    """Kernel drift and weight movement vs m under NTK scaling (2 x 2 panels, one legend)."""
    set_theme()
    runs = runs[runs.scheme == "ntk"]
    panels = [
        ("kernel_drift", r"$\sup_t \|H(t)-H(0)\|_2 / \|H(0)\|_2$"),
        ("weight_rel", r"$\sup_t \|W(t)-W(0)\|_F / \|W(0)\|_F$"),
        ("neuron_max", r"$\sup_t \max_r \|w_r(t)-w_r(0)\|$"),
        ("weight_abs", r"$\sup_t \|W(t)-W(0)\|_F$ (flat: lazy regime)"),
    ]
    # Constrained layout reserves room for each panel's y-label: the right-hand labels no
    # longer run into the left panels.
    fig, axes = plt.subplots(2, 2, figsize=(10, 7.5), layout="constrained")
    for k, (ax, (col, label)) in enumerate(zip(axes.ravel(), panels, strict=True)):
        loglog_axes(ax)
        sns.lineplot(runs, x="width", y=col, hue="activation", marker="o", errorbar="sd",
                     ax=ax, legend=k == 0)
        ax.set(xlabel="width m", ylabel=label)
    fig.suptitle("Lazy training: the kernel and the weights barely move as m grows")
    finish_figure(fig, stem, scale)


def linearized_dynamics(residuals: pd.DataFrame, stem, max_lines: int = 4,
                        scale: str | None = None) -> None:
    """||r(t)|| (solid) vs the kernel prediction ||r_lin(t)|| (dashed), one panel per psi,
    mean over seeds in log space.

    NTK scaling only: the mean-field runs have their own figure.
    """
    set_theme()
    residuals = residuals[residuals.scheme == "ntk"]
    acts = sorted(residuals.activation.unique())
    widths = np.array(sorted(residuals.width.unique()))
    if len(widths) > max_lines:
        widths = widths[np.unique(np.linspace(0, len(widths) - 1, max_lines).round().astype(int))]
    long = residuals[residuals.width.isin(widths)].melt(
        id_vars=["activation", "width", "seed", "t"],
        value_vars=["residual_norm", "lin_residual_norm"], var_name="curve", value_name="norm")
    long["curve"] = long.curve.map({"residual_norm": "network",
                                    "lin_residual_norm": "kernel"})
    fig, axes = plt.subplots(1, len(acts), figsize=(4.5 * len(acts), 4), squeeze=False,
                             sharey=True, layout="constrained")
    palette = dict(zip(widths, sns.color_palette("viridis", len(widths)), strict=True))
    for k, (ax, act) in enumerate(zip(axes[0], acts, strict=True)):
        ax.set_yscale("log")
        sns.lineplot(long[long.activation == act], x="t", y="norm", hue="width",
                     hue_order=list(widths), palette=palette, style="curve",
                     style_order=["network", "kernel"], errorbar=None, ax=ax, legend=k == 0)
        ax.set(xlabel="t = lr x step", ylabel=r"$\|r(t)\|$", title=act)
    axes[0][0].legend(fontsize=8)  # width (colour) and curve (network solid, kernel dashed)
    fig.suptitle(r"Training follows the kernel dynamics $r(t) \approx (I-\eta H(0))^k r(0)$")
    finish_figure(fig, stem, scale)


def parameterization(runs: pd.DataFrame, activation: str, stem,
                     scale: str | None = None) -> None:
    """Relative kernel drift vs m, NTK (1/sqrt m) vs mean-field (1/m, lr x m) scaling."""
    set_theme()
    sub = runs[runs.activation == activation]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    for ax, col, label in [
        (axes[0], "kernel_drift", r"$\sup_t \|H(t)-H(0)\|_2 / \|H(0)\|_2$"),
        (axes[1], "weight_rel", r"$\sup_t \|W(t)-W(0)\|_F / \|W(0)\|_F$"),
    ]:
        loglog_axes(ax)
        sns.lineplot(sub, x="width", y=col, hue="scheme", marker="o", errorbar="sd", ax=ax)
        ax.set(xlabel="width m", ylabel=label)
    fig.suptitle(f"{activation}: the kernel freezes under NTK scaling, not under mean-field")
    finish_figure(fig, stem, scale)
