"""Section C figure ``pinn_convergence``: training loss vs iteration per problem (one line per
optimizer, mean over seeds with a min-max band) and NGD at eta = 1: log|r_{k+1}| vs log|r_k|."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from wideopt.plots.style import save_figure, set_theme

ORDER = ["SGD", "Adam", "L-BFGS", "NGD"]


def convergence_figure(curves: pd.DataFrame, rates: pd.DataFrame, eta1: pd.DataFrame,
                       stem: str) -> None:
    """``curves``: problem, optimizer, seed, step, value (training loss);
    ``eta1``: problem, kind (eta1 | probe), seed, prev, next (residual norms);
    ``rates``: problem, eta1_slope, probe_slope."""
    set_theme()
    problems = list(dict.fromkeys(curves["problem"]))
    ncol = 3
    nrow = -(-(len(problems) + 1) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.4 * nrow), squeeze=False)
    flat = axes.ravel()
    pal = dict(zip(ORDER, sns.color_palette("colorblind", len(ORDER)), strict=True))
    for ax, prob in zip(flat, problems, strict=False):
        sub = curves[curves.problem == prob]
        for opt in ORDER:
            c = sub[sub.optimizer == opt]
            if c.empty:
                continue
            g = c.groupby("step")["value"]
            step = np.maximum(g.mean().index.to_numpy(), 1)
            ax.plot(step, g.mean().to_numpy(), color=pal[opt], label=opt)
            ax.fill_between(step, g.min().to_numpy(), g.max().to_numpy(), color=pal[opt],
                            alpha=0.2, lw=0)
        ax.set(xscale="log", yscale="log", title=prob, xlabel="iteration (step 0 at 1)",
               ylabel="training loss")
    flat[0].legend(fontsize=8)
    for extra in flat[len(problems) + 1:]:
        extra.set_visible(False)
    ax = flat[len(problems)]
    cols = sns.color_palette("deep", len(problems))
    for col, prob in zip(cols, problems, strict=True):
        e = eta1[eta1.problem == prob]
        for kind, marker, ls in (("eta1", "o", "-"), ("probe", "x", "")):
            k = e[e.kind == kind]
            if k.empty:
                continue
            r = rates[rates.problem == prob].iloc[0]
            slope = r["eta1_slope"] if kind == "eta1" else r["probe_slope"]
            lab = (f"{prob} {'eta=1' if kind == 'eta1' else 'full step on eta=0.1 path'}"
                   f" (slope {slope:.2f})")
            ax.plot(k["prev"], k["next"], marker=marker, ls=ls, ms=3, lw=0.8, color=col,
                    alpha=1.0 if kind == "eta1" else 0.6, label=lab)
    lo = np.nanmin(eta1[["prev", "next"]].to_numpy()[eta1[["prev", "next"]].to_numpy() > 0])
    hi = np.nanmax(eta1[["prev", "next"]].to_numpy())
    xs = np.geomspace(max(lo, 1e-14), hi, 20)
    ax.plot(xs, xs, "k:", lw=0.8, label="slope 1")
    ax.plot(xs, xs**2 / xs[-1], "k--", lw=0.8, label="slope 2")
    ax.set(xscale="log", yscale="log", xlabel="|r_k|", ylabel="|r_{k+1}|",
           title="NGD, quadratic rate?")
    ax.legend(fontsize=6)
    fig.tight_layout()
    save_figure(fig, stem)


__all__ = ["convergence_figure"]
