"""Section A figures and table: training-loss curves per width, laziness vs width, and the
rendering spec of the operators_final_loss table.

Seaborn aggregates over seeds: each axis is put on its log scale *before* ``sns.lineplot``,
so the line is the mean of log10(value) over seeds (the geometric mean) and the band
``errorbar="sd"`` is mean ± one sd in log space (a factor band, never clipped at <= 0).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from wideopt.analysis.operators_summary import ARCH_LABELS
from wideopt.plots.cells import DIVERGED, NOT_REACHED
from wideopt.plots.style import (
    ARCHITECTURES,
    finish_figure,
    legend_outside,
    loglog_axes,
    palette,
    seeds_caption,
    set_theme,
    slope_guide,
    width_axis,
    width_palette,
)
from wideopt.plots.tables import TableSpec

PROBLEMS = ["antiderivative", "diffusion_reaction", "burgers"]


def final_loss_spec(loss_threshold: float) -> TableSpec:
    """operators_final_loss: rows problem / arch / width, one column per quantity (the .md);
    one heatmap panel and colour scale per quantity (losses, errors and epochs share no unit),
    rows problem / arch, columns width. A missing epoch count is "not reached (> E epochs)",
    E from the summary's ``limit`` column (the run's epochs).
    The paper gives these only as curves: no paper values."""
    return TableSpec(
        id="operators_final_loss",
        index=["problem", "arch", "width"],
        columns="quantity",
        facet="quantity",
        heatmap_index=["problem", "arch"],  # a compact grid: widths across
        heatmap_columns="width",
        facet_labels={"final train loss": "final training loss (MSE)",
                      "test rel L2": r"test relative $L^2$",
                      "epochs to threshold": "epochs to the threshold"},
        title=("Final training loss, test relative L2 and epochs to reach training loss <= "
               f"{loss_threshold:g} x mean(s^2) (mean ± sd over seeds)"),
        # no epoch count where the mean curve never reaches the level: "not reached"
        nan_means=lambda r: (NOT_REACHED if r["quantity"] == "epochs to threshold"
                             else DIVERGED),
        figure_title=("Final training loss, test relative $L^2$ and epochs to reach training "
                      rf"loss $\leq {loss_threshold:g} \times \mathrm{{mean}}(s^2)$"
                      "\n(blank: not reached in the epochs run)"),
    )


def loss_curves(curves: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """2 x 3 panels (DON/FNO x problems): training loss vs epoch, log y, hue = width;
    geometric mean over seeds with a ±1 sd band in log space."""
    set_theme()
    df = curves[curves.metric == "train_loss"]
    archs = [a for a in ARCH_LABELS if a in set(df.arch)]
    problems = [p for p in PROBLEMS if p in set(df.problem)]
    fig, axes = plt.subplots(len(archs), len(problems), squeeze=False, layout="constrained",
                             figsize=(4.2 * len(problems), 3.2 * len(archs)))
    widths = sorted(df.width.unique())
    pal = width_palette(widths)
    for i, arch in enumerate(archs):
        for j, problem in enumerate(problems):
            ax = axes[i, j]
            ax.set_yscale("log")  # first: seaborn then averages log10(loss) over seeds
            sel = df[(df.arch == arch) & (df.problem == problem)]
            sns.lineplot(sel, x="step", y="value", hue="width", palette=pal,
                         errorbar="sd", ax=ax, legend=False)
            ax.set_title(f"{ARCH_LABELS[arch]} — {problem.replace('_', '-')}")
            ax.set_xlabel("epoch")
            ax.set_ylabel("training loss (MSE)" if j == 0 else "")
    # One legend for the figure, outside the panels (inside one it hid the curves).
    handles = [plt.Line2D([], [], color=pal[w], label=str(w)) for w in widths]
    legend_outside(fig, handles, [str(w) for w in widths], title="width $m$")
    fig.suptitle("Training loss vs epoch: wider operators train lower and faster\n"
                 f"({seeds_caption(df, 'logsd')})", fontsize=10)
    finish_figure(fig, stem, scale)


def lazy(summary: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """2 x 2 log-log panels vs width m; hue = architecture, style = problem; geometric mean over
    seeds with a ±1 sd band in log space.

    Top: after training, ||theta_T - theta_0|| / ||theta_0|| (claim A3) and the absolute
    distance. Bottom, at initialization on the fixed Hessian batch (Lanczos): the network
    Hessian ||nabla^2_theta <v, G_theta(u)>||_2 (claim A4; theory O(m^{-1/2})) and, as a
    contrast, the loss Hessian ||nabla^2_theta L||_2, whose Gauss-Newton part (2/N) J^T J stays
    O(1). The two Hessian panels share their y axis and the same m^{-1/2} guide through the
    seed-mean network Hessian norm at the smallest width, so levels and slopes compare by eye.
    """
    set_theme()
    df = summary.assign(architecture=summary.arch.map(ARCH_LABELS))
    widths = sorted(df.width.unique())
    panels = [
        ("rel_param_distance", r"$\|\theta_T-\theta_0\| / \|\theta_0\|$",
         "relative distance travelled (A3)"),
        ("param_distance", r"$\|\theta_T-\theta_0\|$", "absolute distance travelled"),
        ("net_hessian_norm", r"$\|\nabla^2_\theta \langle v, G_\theta(u)\rangle\|_2$",
         "network Hessian at init (claim A4)"),
        ("hessian_norm", r"$\|\nabla^2_\theta L(\theta_0)\|_2$",
         "loss Hessian at init (contrast, not judged)"),
    ]
    fig, axes = plt.subplots(2, 2, figsize=(11.5, 7.5), layout="constrained")
    archs = list(dict.fromkeys(df.architecture))
    axes[1, 1].sharey(axes[1, 0])  # the two Hessians on one scale: levels compare too
    y0 = df[df.width == widths[0]].groupby(["arch", "problem"])["net_hessian_norm"].mean()
    y0 = float(np.exp(np.log(y0).mean()))  # geometric mean over the groups at the smallest m
    for k, (ax, (col, label, title)) in enumerate(zip(axes.flat, panels, strict=True)):
        loglog_axes(ax)  # first: seaborn then aggregates in log space
        sns.lineplot(df, x="width", y=col, hue="architecture", hue_order=archs,
                     palette=palette(ARCHITECTURES, archs), style="problem", markers=True,
                     errorbar="sd", ax=ax, legend=k == 1)
        if col.endswith("hessian_norm"):
            slope_guide(ax, widths, y0, -0.5, r"slope $-1/2$ (theory, network Hessian)")
        width_axis(ax, widths)  # the widths run, not decades
        ax.set(xlabel="width $m$", ylabel=label, title=title)
    handles, labels = axes[0, 1].get_legend_handles_labels()
    guide = axes[1, 0].get_lines()[-1]
    legend_outside(fig, handles + [guide], labels + [guide.get_label()], ax=axes[0, 1])
    fig.suptitle("Laziness vs width: distance travelled from initialization, and curvature at "
                 f"initialization\n({seeds_caption(df, 'logsd')})", fontsize=10)
    finish_figure(fig, stem, scale)
