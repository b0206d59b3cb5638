"""Section B figures (seed 001): NTK spectra, error vs time, network vs classical, weights.

Seeds are aggregated by seaborn (``sns.lineplot(..., errorbar="sd")``) on axes already in log
scale, so the mean and the ±sd band are taken in log space (a geometric mean, a band that
is never clipped at <= 0). Every figure carries its run's scale (:func:`scale_stamp`).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from wideopt.analysis.fits import loglog_slope
from wideopt.analysis.sobolev_summary import rate_slopes, run_means
from wideopt.plots.style import (
    ACTIVATIONS,
    BLUE,
    GREEN,
    OTHER,
    PURPLE,
    finish_figure,
    legend_outside,
    loglog_axes,
    palette,
    seeds_caption,
    set_theme,
    width_axis,
    width_palette,
)


def ntk_spectrum(spectra: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """λ_k(H/n) vs k per d, one line per activation (mean ± sd over seeds in log space),
    ReLU m=∞ dashed. Non-positive eigenvalues (round-off below the floor) are left out."""
    set_theme()
    dims = sorted(spectra.d.unique())
    acts = list(dict.fromkeys(spectra.activation))
    pal = palette(ACTIVATIONS, acts)
    fig, axes = plt.subplots(1, len(dims), figsize=(4.6 * len(dims) + 2.4, 4.2), squeeze=False,
                             layout="constrained")
    for ax, d in zip(axes[0], dims, strict=True):
        s = spectra[spectra.d == d]
        emp = s[s.kind == "empirical"]
        width = int(emp.width.max())
        n = int(s.k.max())
        loglog_axes(ax)
        sns.lineplot(emp[emp.eigenvalue > 0], x="k", y="eigenvalue", hue="activation",
                     hue_order=acts, palette=pal, errorbar="sd", ax=ax, legend=d == dims[0])
        inf = s[s.kind == "infinite"].sort_values("k")
        if len(inf):
            ax.plot(inf.k, inf.eigenvalue, "k--", lw=1.2, label=r"ReLU, $m = \infty$ (closed form)")
            k = np.array([10.0, n / 2])
            ref = inf.eigenvalue.iloc[9] * (k / 10) ** (-d / (d - 1))
            ax.plot(k, ref, ":", color="grey", label=r"$k^{-d/(d-1)}$")
        floor = n * np.finfo(float).eps * emp.eigenvalue.max()
        ax.axhline(floor, color="grey", lw=0.8, ls="-.",
                   label=r"$n\,\varepsilon\,\lambda_1$ (float64 floor)")
        ax.set(xlabel="index $k$", ylabel=r"$\lambda_k(H/n)$",
               title=f"$d = {d}$: $n = {n}$, $m = {width}$", ylim=(floor / 100, None))
        if d != dims[0] and ax.get_legend():
            ax.get_legend().remove()
    legend_outside(fig, ax=axes[0][0])
    fig.suptitle("Empirical NTK spectrum at initialization (trained hidden layers only)\n"
                 f"({seeds_caption(spectra, 'logsd')})", fontsize=10)
    finish_figure(fig, stem, scale)


def error_rates(curves: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """Test L² error vs training time t = η·step, one panel per alpha, hue = width, with the
    infinite-width kernel flow f_∞ as the reference (claim B3).

    f_∞ starts from each run's own initial function f_m(0) (metric ``kernel_flow_l2``); its
    error is drawn as one black dashed line per α, mean ± sd over every width and seed in
    log space (the initial functions are draws of nearly the same Gaussian process). Where
    the runs carry ``kernel_gap``, a second row shows ‖f_m(t) − f_∞(t)‖/‖f_∞(t)‖ vs t, hue =
    width, with the fixed time T of claim B3 dotted; at early times the gap also contains
    the difference between GD steps of size η·λ_max(H/n) ~ 0.8 and the flow, which is gone
    by T. Each row shares its y axis (B4 compares the alphas), so only the first panel
    carries tick labels: a log axis spanning less than a decade labels its minor ticks,
    which ran into the next panel when every panel had its own.
    """
    set_theme()
    c = curves[curves.t > 0]
    err = c[c.metric == "test_l2"]
    ref, gap = c[c.metric == "kernel_flow_l2"], c[c.metric == "kernel_gap"]
    alphas = sorted(err.alpha.unique())
    widths = sorted(err.width.unique())
    pal = width_palette(widths)
    rows = 2 if len(gap) else 1
    fig, axes = plt.subplots(rows, len(alphas), figsize=(2.9 * len(alphas) + 1.8, 3.2 * rows),
                             squeeze=False, sharey="row", sharex=True, layout="constrained")
    t_final = float(c.t.max())
    for j, alpha in enumerate(alphas):
        ax = axes[0][j]
        loglog_axes(ax)
        sns.lineplot(err[err.alpha == alpha], x="t", y="value", hue="width", hue_order=widths,
                     palette=pal, errorbar="sd", ax=ax, legend=j == 0)
        if len(ref):
            sns.lineplot(ref[ref.alpha == alpha], x="t", y="value", color="k", ls="--",
                         errorbar="sd", ax=ax, label=r"kernel flow $f_\infty$ ($m = \infty$ NTK)"
                         if j == 0 else None, legend=j == 0)
        ax.set(xlabel=r"time $t = \eta \cdot$ steps", ylabel="", title=rf"$\alpha = {alpha:g}$")
        if rows == 2:
            ax = axes[1][j]
            loglog_axes(ax)
            sns.lineplot(gap[gap.alpha == alpha], x="t", y="value", hue="width",
                         hue_order=widths, palette=pal, errorbar="sd", ax=ax, legend=False)
            ax.axvline(t_final, color="grey", ls=":", lw=1)
            ax.set(xlabel=r"time $t = \eta \cdot$ steps", ylabel="")
    axes[0][0].set_ylabel(r"test $L^2(\sigma)$ error")
    handles, labels = axes[0][0].get_legend_handles_labels()
    legend_outside(fig, handles, [f"$m = {w}$" if w.isdigit() else w for w in labels],
                   ax=axes[0][0])
    if rows == 2:
        axes[1][0].set_ylabel(r"gap $\|f_m - f_\infty\| / \|f_\infty\|$" "\n"
                              "(B3 at $T$: dotted)")
    d = int(err.d.iloc[0])
    fig.suptitle(f"Gradient flow on $S^{{{d - 1}}}$: test error vs time, and the gap to the "
                 r"infinite-width kernel flow from the same $f_m(0)$"
                 f"\n({seeds_caption(err, 'logsd')})", fontsize=10)
    finish_figure(fig, stem, scale)


def vs_classical(runs: pd.DataFrame, classical: pd.DataFrame, stem: str | Path,
                 scale: str | None = None) -> None:
    """Error vs number of trainable parameters/coefficients: network (mean ± sd over seeds,
    in log space) vs harmonics, per α. Slopes (claim B5) are those of the seed means."""
    set_theme()
    slopes = rate_slopes(runs, classical).set_index("alpha")
    alphas = sorted(runs.alpha.unique())
    fig, axes = plt.subplots(1, len(alphas), figsize=(3.3 * len(alphas), 4.6), squeeze=False,
                             layout="constrained")
    for ax, alpha in zip(axes[0], alphas, strict=True):
        g = runs[runs.alpha == alpha]
        s = slopes.loc[alpha]
        loglog_axes(ax)
        sns.lineplot(g, x="n_params", y="test_l2", marker="o", color=BLUE, errorbar="sd",
                     err_style="bars", ax=ax, label=f"network (slope {s.network:+.2f})")
        c = classical[classical.alpha == alpha]
        proj = c[(c.method == "projection") & (c.test_l2 > 0)]
        proj = proj[proj.n_params <= 4 * g.n_params.max()]
        ax.plot(proj.n_params, proj.test_l2, "-", color=GREEN,
                label=f"harmonics, best $L^2$ (slope {s.classical:+.2f})")
        ls = c[c.method == "least_squares"]
        ax.plot(ls.n_params, ls.test_l2, "s", ms=3, color=PURPLE,
                label="harmonics, least squares")
        ax.axvspan(s.p_min, s.p_max, color="grey", alpha=0.08)
        ax.set(xlabel="parameters / coefficients", ylabel="", title=rf"$\alpha = {alpha:g}$")
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    axes[0][0].set_ylabel(r"test $L^2(\sigma)$ error")
    fig.suptitle("Trained network (final time) vs full spherical-harmonic approximation "
                 "with as many coefficients\n(network: " + seeds_caption(runs, "logsd")
                 + ", bars; grey span: the networks' sizes)", fontsize=10)
    finish_figure(fig, stem, scale)


def weight_distance(runs: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """max_t ‖W(t) − W(0)‖/‖W(0)‖ vs width, log-log, hue = α (mean ± sd over seeds in log
    space; slopes are those of the seed means). Left: operator norm (claim B6, max over the
    trained layers), predicted slope −1/2 (‖W(0)‖₂ ≈ 2√m, the move stays O(1)); right:
    Frobenius norm over both layers, predicted slope −1 (‖W(0)‖_F = m per layer). Each
    panel draws only its own prediction, anchored at the narrowest width's mean."""
    set_theme()
    means = run_means(runs)
    alphas = sorted(means.alpha.unique())
    pal = OTHER[:len(alphas)]
    fig, axes = plt.subplots(1, 2, figsize=(10, 5), layout="constrained")
    panels = ((axes[0], "weight_rel_spec_max", "operator norm, max over layers (claim B6)",
               -0.5), (axes[1], "weight_rel_max", "Frobenius norm", -1.0))
    for ax, col, name, p in panels:
        label = {a: rf"$\alpha = {a:g}$ (slope {loglog_slope(g.width, g[col]):+.2f})"
                 for a, g in means.groupby("alpha")}
        loglog_axes(ax)
        sns.lineplot(runs.assign(label=runs.alpha.map(label)), x="width", y=col, hue="label",
                     hue_order=[label[a] for a in alphas], palette=pal, marker="o",
                     errorbar="sd", err_style="bars", ax=ax)
        w = np.array([means.width.min(), means.width.max()], dtype=float)
        y0 = means[means.width == w[0]][col].mean()
        ax.plot(w, y0 * (w / w[0]) ** p, "--", color="grey", label=f"prediction: slope ${p:g}$")
        width_axis(ax, means.width.unique())
        ax.set(xlabel="width $m$", ylabel="", title=name)
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2)
    axes[0].set_ylabel(r"$\max_t \|W(t) - W(0)\| / \|W(0)\|$")
    fig.suptitle("Relative distance of the trained hidden layers from initialization\n"
                 f"({seeds_caption(runs, 'logsd')}, bars)", fontsize=10)
    finish_figure(fig, stem, scale)
