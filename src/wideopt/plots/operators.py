"""Section A figures and table: training-loss curves per width, laziness vs width, and the
rendering spec of the operators_final_loss table.

Seaborn aggregates over seeds: each axis is put on its log scale *before* ``sns.lineplot``,
so the line is the mean of log10(value) over seeds (the geometric mean) and the band
``errorbar="sd"`` is mean ± one sd in log space (a factor band, never clipped at <= 0).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from wideopt.analysis.operators_summary import ARCH_LABELS
from wideopt.plots.style import finish_figure, set_theme
from wideopt.plots.tables import TableSpec

PROBLEMS = ["antiderivative", "diffusion_reaction", "burgers"]


def final_loss_spec(loss_threshold: float) -> TableSpec:
    """operators_final_loss: rows problem / arch / width, one column per quantity (the .md);
    one heatmap panel and colour scale per quantity (losses, errors and epochs share no unit),
    rows problem / arch, columns width.
    The paper gives these only as curves: no paper values."""
    return TableSpec(
        id="operators_final_loss",
        index=["problem", "arch", "width"],
        columns="quantity",
        facet="quantity",
        heatmap_index=["problem", "arch"],  # a compact grid: widths across
        heatmap_columns="width",
        title=("Final training loss, test relative L2 and epochs to reach training loss <= "
               f"{loss_threshold:g} x mean(s^2) (mean ± sd over seeds)"),
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
    palette = dict(zip(widths, sns.color_palette("viridis", len(widths)), strict=True))
    for i, arch in enumerate(archs):
        for j, problem in enumerate(problems):
            ax = axes[i, j]
            ax.set_yscale("log")  # first: seaborn then averages log10(loss) over seeds
            sel = df[(df.arch == arch) & (df.problem == problem)]
            sns.lineplot(sel, x="step", y="value", hue="width", palette=palette,
                         errorbar="sd", ax=ax, legend=False)
            ax.set_title(f"{ARCH_LABELS[arch]} — {problem.replace('_', '-')}")
            ax.set_xlabel("epoch")
            ax.set_ylabel("training loss (MSE)" if j == 0 else "")
    # One legend for the figure, outside the panels (inside one it hid the curves).
    handles = [plt.Line2D([], [], color=palette[w], label=str(w)) for w in widths]
    fig.legend(handles=handles, title="width m", loc="outside right center")
    fig.suptitle("Training loss vs epoch: wider operators train lower and faster "
                 "(geometric mean over seeds, ±1 sd band in log space)")
    finish_figure(fig, stem, scale)


def lazy(summary: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """Log-log vs width: ||theta_T - theta_0||/||theta_0||, ||theta_T - theta_0||, and the
    Hessian spectral norm of the loss at initialization; hue = architecture, style = problem;
    geometric mean over seeds with a ±1 sd band in log space."""
    set_theme()
    df = summary.assign(architecture=summary.arch.map(ARCH_LABELS))
    widths = sorted(df.width.unique())
    panels = [
        ("rel_param_distance", r"$\|\theta_T-\theta_0\| / \|\theta_0\|$"),
        ("param_distance", r"$\|\theta_T-\theta_0\|$ (absolute)"),
        ("hessian_norm", r"$\|\nabla^2 L(\theta_0)\|_2$ at init"),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(14, 3.8), layout="constrained")
    for k, (ax, (col, label)) in enumerate(zip(axes, panels, strict=True)):
        ax.set_xscale("log")  # first: seaborn then aggregates in log space
        ax.set_yscale("log")
        sns.lineplot(df, x="width", y=col, hue="architecture", style="problem", markers=True,
                     errorbar="sd", ax=ax, legend=k == len(panels) - 1)
        ax.set_xticks(widths, [str(w) for w in widths])  # the widths run, not decades
        ax.set_xticks([], minor=True)
        ax.set_xlabel("width m")
        ax.set_ylabel(label)
    sns.move_legend(axes[-1], "upper left", bbox_to_anchor=(1.02, 1))
    fig.suptitle("Laziness vs width: distance travelled from initialization and curvature "
                 "at initialization (geometric mean over seeds, ±1 sd band in log space)")
    finish_figure(fig, stem, scale)
