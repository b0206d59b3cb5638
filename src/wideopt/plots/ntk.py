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

from wideopt.plots.style import (
    ACTIVATIONS,
    SCHEMES,
    finish_figure,
    legend_outside,
    loglog_axes,
    markers,
    palette,
    seeds_caption,
    set_theme,
    width_axis,
    width_palette,
)


def _slope_guide(ax, x, y, slope: float, label: str) -> None:
    """Dashed reference line of the given log-log slope through the first point."""
    x = np.asarray(sorted(x), dtype=float)
    ax.plot(x, y * (x / x[0]) ** slope, "k--", lw=1, label=label)


def init_concentration(init: pd.DataFrame, stem, scale: str | None = None) -> None:
    """||H(0) - H*||_2 vs m, hue = activation, style = n, mean +- sd over seeds."""
    set_theme()
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    loglog_axes(ax)
    acts = list(dict.fromkeys(init.activation))
    sns.lineplot(init, x="width", y="error", hue="activation", hue_order=acts,
                 palette=palette(ACTIVATIONS, acts), style="n", markers=True, errorbar="sd",
                 ax=ax)
    first = init[init.width == init.width.min()]["error"].mean()
    _slope_guide(ax, init.width.unique(), first, -0.5, r"slope $-1/2$")
    width_axis(ax, init.width.unique())
    ax.set(xlabel="width $m$", ylabel=r"$\|H(0) - H^*\|_2$")
    legend_outside(fig, ax=ax)
    fig.suptitle("NTK at initialization concentrates on $H^*$\n"
                 f"({seeds_caption(init, 'logsd')})", fontsize=10)
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
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5), layout="constrained")
    acts = list(dict.fromkeys(runs.activation))
    for k, (ax, (col, label)) in enumerate(zip(axes.ravel(), panels, strict=True)):
        loglog_axes(ax)
        sns.lineplot(runs, x="width", y=col, hue="activation", hue_order=acts,
                     palette=palette(ACTIVATIONS, acts), style="activation",
                     markers=markers(ACTIVATIONS, acts), dashes=False, errorbar="sd", ax=ax,
                     legend=k == 0)
        width_axis(ax, runs.width.unique())
        ax.set(xlabel="width $m$", ylabel=label)
    legend_outside(fig, ax=axes[0, 0])
    fig.suptitle("Lazy training: the kernel and the weights barely move as $m$ grows\n"
                 f"({seeds_caption(runs, 'logsd')})", fontsize=10)
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
    fig, axes = plt.subplots(1, len(acts), figsize=(3.6 * len(acts) + 1.8, 4), squeeze=False,
                             sharey=True, layout="constrained")
    for k, (ax, act) in enumerate(zip(axes[0], acts, strict=True)):
        ax.set_yscale("log")
        sns.lineplot(long[long.activation == act], x="t", y="norm", hue="width",
                     hue_order=list(widths), palette=width_palette(widths), style="curve",
                     style_order=["network", "kernel"], errorbar=None, ax=ax, legend=k == 0)
        ax.set(xlabel=r"$t = \eta \cdot$ step", ylabel=r"$\|r(t)\|$", title=act)
    legend_outside(fig, ax=axes[0][0])  # width (colour), curve (network solid, kernel dashed)
    fig.suptitle(r"Training follows the kernel dynamics $r(t) \approx (I-\eta H(0))^k r(0)$"
                 f"\n({seeds_caption(residuals, 'mean')}, network and kernel)", fontsize=10)
    finish_figure(fig, stem, scale)


def parameterization(runs: pd.DataFrame, activation: str, stem,
                     scale: str | None = None) -> None:
    """Relative kernel drift vs m, NTK (1/sqrt m) vs mean-field (1/m, lr x m) scaling."""
    set_theme()
    sub = runs[runs.activation == activation]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
    schemes = list(dict.fromkeys(sub.scheme))
    for k, (ax, col, label) in enumerate([
        (axes[0], "kernel_drift", r"$\sup_t \|H(t)-H(0)\|_2 / \|H(0)\|_2$"),
        (axes[1], "weight_rel", r"$\sup_t \|W(t)-W(0)\|_F / \|W(0)\|_F$"),
    ]):
        loglog_axes(ax)
        sns.lineplot(sub, x="width", y=col, hue="scheme", hue_order=schemes,
                     palette=palette(SCHEMES, schemes), style="scheme",
                     markers=markers(SCHEMES, schemes), dashes=False, errorbar="sd", ax=ax,
                     legend=k == 0)
        width_axis(ax, sub.width.unique())
        ax.set(xlabel="width $m$", ylabel=label)
    legend_outside(fig, ax=axes[0])
    fig.suptitle(f"{activation}: the kernel freezes under NTK scaling, not under mean-field"
                 f"\n({seeds_caption(sub, 'logsd')})", fontsize=10)
    finish_figure(fig, stem, scale)
