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
from wideopt.plots.style import finish_figure, loglog_axes, set_theme


def ntk_spectrum(spectra: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """λ_k(H/n) vs k per d, one line per activation (mean ± sd over seeds in log space),
    ReLU m=∞ dashed. Non-positive eigenvalues (round-off below the floor) are left out."""
    set_theme()
    dims = sorted(spectra.d.unique())
    acts = list(dict.fromkeys(spectra.activation))
    pal = dict(zip(acts, sns.color_palette("colorblind", len(acts)), strict=True))
    fig, axes = plt.subplots(1, len(dims), figsize=(5.2 * len(dims), 4.2), squeeze=False,
                             layout="constrained")
    for ax, d in zip(axes[0], dims, strict=True):
        s = spectra[spectra.d == d]
        emp = s[s.kind == "empirical"]
        width = int(emp.width.max())
        n = int(s.k.max())
        loglog_axes(ax)
        sns.lineplot(emp[emp.eigenvalue > 0], x="k", y="eigenvalue", hue="activation",
                     hue_order=acts, palette=pal, errorbar="sd", ax=ax)
        inf = s[s.kind == "infinite"].sort_values("k")
        if len(inf):
            ax.plot(inf.k, inf.eigenvalue, "k--", lw=1.2, label="ReLU, m = ∞ (closed form)")
            k = np.array([10.0, n / 2])
            ref = inf.eigenvalue.iloc[9] * (k / 10) ** (-d / (d - 1))
            ax.plot(k, ref, ":", color="grey", label=f"k^(-{d}/{d - 1})")
        floor = n * np.finfo(float).eps * emp.eigenvalue.max()
        ax.axhline(floor, color="grey", lw=0.8, ls="-.", label="n·ε·λ₁ (float64 floor)")
        ax.set(xlabel="index k", ylabel="λ_k(H/n)", title=f"d = {d}: n = {n}, m = {width}",
               ylim=(floor / 100, None))
        ax.legend(fontsize=7)
    fig.suptitle("Empirical NTK spectrum at initialization (trained hidden layers only)")
    finish_figure(fig, stem, scale)


def error_rates(curves: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """Test L² error vs training time t = η·step, one panel per alpha, hue = width.

    The panels share their y axis (B4 compares the alphas), so only the first carries tick
    labels: a log axis spanning less than a decade labels its minor ticks, which ran into
    the next panel when every panel had its own.
    """
    set_theme()
    c = curves[(curves.metric == "test_l2") & (curves.t > 0)]
    alphas = sorted(c.alpha.unique())
    widths = sorted(c.width.unique())
    pal = dict(zip(widths, sns.color_palette("viridis", len(widths)), strict=True))
    fig, axes = plt.subplots(1, len(alphas), figsize=(3.6 * len(alphas), 3.6), squeeze=False,
                             sharey=True, layout="constrained")
    for ax, alpha in zip(axes[0], alphas, strict=True):
        loglog_axes(ax)
        sns.lineplot(c[c.alpha == alpha], x="t", y="value", hue="width", hue_order=widths,
                     palette=pal, errorbar="sd", ax=ax, legend=ax is axes[0][0])
        ax.set(xlabel="training time t = η·steps", ylabel="", title=f"α = {alpha:g}")
    axes[0][0].set_ylabel("test L²(σ) error")
    handles, labels = axes[0][0].get_legend_handles_labels()
    axes[0][0].legend(handles, [f"m = {w}" for w in labels], fontsize=7)
    d = int(c.d.iloc[0])
    fig.suptitle(f"Gradient flow on S^{d - 1}: test error vs time (mean ± sd over seeds)")
    finish_figure(fig, stem, scale)


def vs_classical(runs: pd.DataFrame, classical: pd.DataFrame, stem: str | Path,
                 scale: str | None = None) -> None:
    """Error vs number of trainable parameters/coefficients: network (mean ± sd over seeds,
    in log space) vs harmonics, per α. Slopes (claim B5) are those of the seed means."""
    set_theme()
    slopes = rate_slopes(runs, classical).set_index("alpha")
    alphas = sorted(runs.alpha.unique())
    fig, axes = plt.subplots(1, len(alphas), figsize=(3.8 * len(alphas), 3.8), squeeze=False,
                             layout="constrained")
    for ax, alpha in zip(axes[0], alphas, strict=True):
        g = runs[runs.alpha == alpha]
        s = slopes.loc[alpha]
        loglog_axes(ax)
        sns.lineplot(g, x="n_params", y="test_l2", marker="o", color="C0", errorbar="sd",
                     err_style="bars", ax=ax, label=f"trained network (slope {s.network:+.2f})")
        c = classical[classical.alpha == alpha]
        proj = c[(c.method == "projection") & (c.test_l2 > 0)]
        proj = proj[proj.n_params <= 4 * g.n_params.max()]
        ax.plot(proj.n_params, proj.test_l2, "-", color="C1",
                label=f"harmonics, best L² approx. (slope {s.classical:+.2f})")
        ls = c[c.method == "least_squares"]
        ax.plot(ls.n_params, ls.test_l2, "s", ms=3, color="C2",
                label="harmonics, least squares on the n samples")
        ax.axvspan(s.p_min, s.p_max, color="grey", alpha=0.08)
        ax.set(xlabel="trainable parameters / coefficients", ylabel="", title=f"α = {alpha:g}")
        ax.legend(fontsize=6.5)
    axes[0][0].set_ylabel("test L²(σ) error")
    fig.suptitle("Trained network (final time) vs full spherical-harmonic approximation "
                 "with as many coefficients")
    finish_figure(fig, stem, scale)


def weight_distance(runs: pd.DataFrame, stem: str | Path, scale: str | None = None) -> None:
    """max_t ‖W(t) − W(0)‖/‖W(0)‖ vs width, log-log, Frobenius and spectral, hue = α (mean
    ± sd over seeds in log space; slopes, claim B6, are those of the seed means)."""
    set_theme()
    means = run_means(runs)
    alphas = sorted(means.alpha.unique())
    pal = sns.color_palette("colorblind", len(alphas))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    for ax, col, name in ((axes[0], "weight_rel_max", "Frobenius norm (claim B6)"),
                          (axes[1], "weight_rel_spec_max", "spectral norm, max over layers")):
        label = {a: f"α = {a:g} (slope {loglog_slope(g.width, g[col]):+.2f})"
                 for a, g in means.groupby("alpha")}
        loglog_axes(ax)
        sns.lineplot(runs.assign(label=runs.alpha.map(label)), x="width", y=col, hue="label",
                     hue_order=[label[a] for a in alphas], palette=pal, marker="o",
                     errorbar="sd", err_style="bars", ax=ax)
        w = np.array([means.width.min(), means.width.max()], dtype=float)
        y0 = means[means.width == w[0]][col].mean()
        for p, ls in ((-0.5, ":"), (-1.0, "--")):
            ax.plot(w, y0 * (w / w[0]) ** p, ls, color="grey", label=f"slope {p:g}")
        ax.set(xlabel="width m", ylabel="", title=name)
        ax.legend(fontsize=7)
    axes[0].set_ylabel("max over t of ‖W(t) − W(0)‖ / ‖W(0)‖")
    fig.suptitle("Relative distance of the trained hidden layers from initialization")
    finish_figure(fig, stem, scale)
