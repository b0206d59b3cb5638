"""Figure operators_gd: section A under full-batch gradient descent beside Adam (A3, A5, A6).

One row per GD (architecture, problem); columns:

1. GD training loss vs step, hue = width (claim A5);
2. the Adam run of the same cell (section A) vs epoch, same colours;
3. absolute distance ||theta_T - theta_0|| vs width, GD and Adam (claim A3: lazy training keeps
   it O(1) under GD; the flat guide is slope 0);
4. ||grad L(theta_t)||^2 vs width at t = 0, S/10, S/2 under GD (claim A6; the source's
   m^{-1/2} as a guide).

Seaborn aggregates in log space: lines are geometric means over seeds, bands ±1 sd of the log.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from wideopt.analysis.operators_gd_summary import fraction_label, grad_norm_times
from wideopt.analysis.operators_summary import ARCH_LABELS
from wideopt.plots.style import (
    MARKERS,
    OPTIMIZERS,
    decade_labels,
    finish_figure,
    legend_outside,
    loglog_axes,
    markers,
    palette,
    set_theme,
    slope_guide,
    width_axis,
    width_palette,
)

OPTIMIZER_ORDER = ["GD", "Adam"]


def gd_vs_adam(gd_curves: pd.DataFrame, gd_summary: pd.DataFrame, curves: pd.DataFrame,
               summary: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    set_theme()
    cells = list(gd_summary[["arch", "problem"]].drop_duplicates().itertuples(index=False))
    widths = sorted(set(gd_summary.width) | set(summary.width))
    width_colours = width_palette(widths)
    fig, axes = plt.subplots(len(cells), 4, squeeze=False, layout="constrained",
                             figsize=(12, 2.9 * len(cells)))
    adam = curves[curves.metric == "train_loss"]
    times = grad_norm_times(gd_curves)
    t_labels = [fraction_label(f) for f in sorted(times.fraction.unique())]
    # Times in greys (dark: early), so they are not read as widths, which own the colours.
    t_palette = dict(zip(t_labels, ["0.1", "0.45", "0.7"], strict=False))
    t_markers = dict(zip(t_labels, MARKERS, strict=False))
    for i, (arch, problem) in enumerate(cells):
        label = f"{ARCH_LABELS.get(arch, arch)} — {problem.replace('_', '-')}"
        gd = gd_curves[(gd_curves.arch == arch) & (gd_curves.problem == problem)]
        ad = adam[(adam.arch == arch) & (adam.problem == problem)]
        eta = float(gd_summary[(gd_summary.arch == arch)
                               & (gd_summary.problem == problem)].eta.iloc[0])
        for ax, df, x, y, xlabel, title in (
            (axes[i, 0], gd, "step", "train_loss", "GD step", f"{label}\nGD, η = {eta:.3g}"),
            (axes[i, 1], ad, "step", "value", "epoch", f"{label}\nAdam (section A)"),
        ):
            ax.set_yscale("log")
            if len(df):
                sns.lineplot(df, x=x, y=y, hue="width", palette=width_colours, errorbar="sd",
                             ax=ax, legend=False)
            ax.set(xlabel=xlabel, ylabel="training loss (MSE)", title=title)
            decade_labels(ax)
        ax = axes[i, 2]
        loglog_axes(ax)
        both = pd.concat([
            gd_summary[(gd_summary.arch == arch) & (gd_summary.problem == problem)]
            .assign(optimizer="GD"),
            summary[(summary.arch == arch) & (summary.problem == problem)]
            .assign(optimizer="Adam")], ignore_index=True)
        sns.lineplot(both, x="width", y="param_distance", hue="optimizer",
                     hue_order=OPTIMIZER_ORDER, palette=palette(OPTIMIZERS, OPTIMIZER_ORDER),
                     style="optimizer", markers=markers(OPTIMIZERS, OPTIMIZER_ORDER),
                     dashes=False, errorbar="sd", ax=ax, legend=i == 0)
        w_gd = sorted(both[both.optimizer == "GD"].width.unique())
        y0 = float(np.exp(np.log(both[(both.optimizer == "GD")
                                      & (both.width == w_gd[0])].param_distance).mean()))
        slope_guide(ax, w_gd, y0, 0.0, "slope 0 (lazy, A3)")
        width_axis(ax, both.width.unique())
        decade_labels(ax)
        ax.set(xlabel="width m", ylabel=r"$\|\theta_T-\theta_0\|$", title="distance travelled")
        if i == 0:
            distance_legend = ax.get_legend_handles_labels()
            ax.get_legend().remove()
        ax = axes[i, 3]
        loglog_axes(ax)
        tg = times[(times.arch == arch) & (times.problem == problem)]
        tg = tg.assign(t=tg.fraction.map(fraction_label))
        sns.lineplot(tg, x="width", y="grad_norm_sq", hue="t", hue_order=t_labels,
                     palette=t_palette, style="t", markers=t_markers, dashes=False,
                     errorbar="sd", ax=ax, legend=i == 0)
        y0 = float(np.exp(np.log(tg[(tg.fraction == 0) & (tg.width == w_gd[0])]
                                 .grad_norm_sq).mean()))
        slope_guide(ax, w_gd, y0, -0.5, r"$m^{-1/2}$ (source, A6)")
        width_axis(ax, w_gd)
        decade_labels(ax)
        ax.set(xlabel="width m", ylabel=r"$\|\nabla L(\theta_t)\|^2$",
               title="gradient norm under GD")
        if i == 0:
            grad_legend = ax.get_legend_handles_labels()
            ax.get_legend().remove()
    handles = [plt.Line2D([], [], color=width_colours[w], label=str(w)) for w in widths]
    legend_outside(fig, handles, [str(w) for w in widths], title="width m")
    # Below the panels: the distance column's optimizers and the gradient column's times t
    # (each with its guide), in one row.
    legend_outside(fig, distance_legend[0] + grad_legend[0],
                   distance_legend[1] + grad_legend[1], loc="outside lower center",
                   ncol=len(distance_legend[0]) + len(grad_legend[0]))
    fig.suptitle("Section A under full-batch GD with one width-independent step "
                 "η = 1/max_m λ_max(∇²L(θ₀)), beside Adam\n(geometric mean over seeds, "
                 "±1 sd band in log space)")
    finish_figure(fig, stem, scale)
