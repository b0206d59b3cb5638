"""Section A figures: training-loss curves per width, and laziness vs width."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from wideopt.analysis.operators_summary import ARCH_LABELS
from wideopt.plots.style import save_figure, set_theme

PROBLEMS = ["antiderivative", "diffusion_reaction", "burgers"]


def loss_curves(curves: pd.DataFrame, stem: str | Path) -> None:
    """2 x 3 panels (DON/FNO x problems): training loss vs epoch, log y, hue = width,
    mean over seeds with a +-1 sd band."""
    set_theme()
    df = curves[curves.metric == "train_loss"]
    archs = [a for a in ARCH_LABELS if a in set(df.arch)]
    problems = [p for p in PROBLEMS if p in set(df.problem)]
    fig, axes = plt.subplots(len(archs), len(problems), squeeze=False,
                             figsize=(4.2 * len(problems), 3.2 * len(archs)))
    widths = sorted(df.width.unique())
    palette = dict(zip(widths, sns.color_palette("viridis", len(widths)), strict=True))
    for i, arch in enumerate(archs):
        for j, problem in enumerate(problems):
            ax = axes[i, j]
            sel = df[(df.arch == arch) & (df.problem == problem)]
            sns.lineplot(sel, x="step", y="value", hue="width", palette=palette,
                         errorbar="sd", ax=ax, legend=(i == 0 and j == len(problems) - 1))
            ax.set_yscale("log")
            ax.set_title(f"{ARCH_LABELS[arch]} — {problem.replace('_', '-')}")
            ax.set_xlabel("epoch")
            ax.set_ylabel("training loss (MSE)" if j == 0 else "")
    leg = axes[0, -1].get_legend()
    if leg is not None:
        leg.set_title("width m")
    fig.suptitle("Training loss vs epoch: wider operators train lower and faster "
                 "(mean over seeds ± sd)")
    fig.tight_layout()
    save_figure(fig, stem)


def lazy(summary: pd.DataFrame, stem: str | Path) -> None:
    """Log-log vs width: ||theta_T - theta_0||/||theta_0||, ||theta_T - theta_0||, and the
    Hessian spectral norm of the loss at initialization; hue = architecture, style = problem."""
    set_theme()
    df = summary.assign(architecture=summary.arch.map(ARCH_LABELS))
    panels = [
        ("rel_param_distance", r"$\|\theta_T-\theta_0\| / \|\theta_0\|$"),
        ("param_distance", r"$\|\theta_T-\theta_0\|$ (absolute)"),
        ("hessian_norm", r"$\|\nabla^2 L(\theta_0)\|_2$ at init"),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(14, 3.8))
    for k, (ax, (col, label)) in enumerate(zip(axes, panels, strict=True)):
        sns.lineplot(df, x="width", y=col, hue="architecture", style="problem", markers=True,
                     errorbar="sd", ax=ax, legend=k == len(panels) - 1)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("width m")
        ax.set_ylabel(label)
    leg = axes[-1].get_legend()
    if leg is not None:
        sns.move_legend(axes[-1], "upper left", bbox_to_anchor=(1.02, 1))
    fig.suptitle("Laziness vs width: distance travelled from initialization and curvature "
                 "at initialization (mean over seeds ± sd)")
    fig.tight_layout()
    save_figure(fig, stem)


def final_loss_heatmaps(table: pd.DataFrame, title: str, stem: str | Path) -> None:
    """The operators_final_loss table as one annotated heatmap per quantity (own colour
    scale each, log where the values span more than two decades): rows problem / arch,
    columns width. NaN (threshold never reached) cells are blank and annotated ``nan``."""
    import numpy as np
    from matplotlib.colors import LogNorm

    set_theme()
    quantities = list(dict.fromkeys(table.quantity))
    fig, axes = plt.subplots(1, len(quantities), squeeze=False,
                             figsize=(4.6 * len(quantities), 1.4 + 0.42 * table.groupby(
                                 ["problem", "arch"]).ngroups))
    for ax, q in zip(axes[0], quantities, strict=True):
        p = table[table.quantity == q].pivot_table(index=["problem", "arch"], columns="width",
                                                   values="value", aggfunc="first",
                                                   dropna=False, sort=False).astype(float)
        finite = p.to_numpy()[np.isfinite(p.to_numpy())]
        norm = (LogNorm(finite.min(), finite.max())
                if finite.size and (finite > 0).all() and finite.max() / finite.min() > 100
                else None)
        annot = p.map(lambda v: "nan" if not np.isfinite(v) else f"{v:.2g}")
        sns.heatmap(p, ax=ax, annot=annot, fmt="", cmap="viridis", norm=norm,
                    linewidths=0.5, annot_kws={"fontsize": 8}, cbar=True)
        ax.set_title(q)
        ax.set_ylabel("problem / arch" if ax is axes[0, 0] else "")
        ax.set_xlabel("width m")
    fig.suptitle(title)
    fig.tight_layout()
    save_figure(fig, stem, formats=("png",))
