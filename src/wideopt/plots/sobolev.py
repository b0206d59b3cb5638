"""Section B figures (seed 001): NTK spectra, error vs time, network vs classical, weights."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from wideopt.analysis.fits import loglog_slope
from wideopt.analysis.sobolev_summary import rate_slopes, run_means
from wideopt.plots.style import save_figure, set_theme


def _band(ax, x, mean, std, color, label, **kw):
    ax.plot(x, mean, color=color, label=label, **kw)
    std = np.nan_to_num(np.asarray(std, dtype=float))
    lo = np.clip(mean - std, np.asarray(mean) * 1e-3, None)
    ax.fill_between(x, lo, mean + std, color=color, alpha=0.2, lw=0)


def ntk_spectrum(spectra: pd.DataFrame, stem: str | Path) -> None:
    """λ_k(H/n) vs k per d, one line per activation (mean over seeds), ReLU m=∞ dashed."""
    set_theme()
    dims = sorted(spectra.d.unique())
    acts = list(dict.fromkeys(spectra.activation))
    pal = dict(zip(acts, sns.color_palette("colorblind", len(acts)), strict=True))
    fig, axes = plt.subplots(1, len(dims), figsize=(5.2 * len(dims), 4.2), squeeze=False)
    for ax, d in zip(axes[0], dims, strict=True):
        s = spectra[spectra.d == d]
        emp = s[s.kind == "empirical"]
        width = int(emp.width.max())
        n = int(s.k.max())
        for act in acts:
            g = emp[emp.activation == act].groupby("k").eigenvalue
            m = g.mean()
            ok = m > 0
            _band(ax, m.index[ok], m[ok], g.std()[ok], pal[act], act)
        inf = s[s.kind == "infinite"].sort_values("k")
        if len(inf):
            ax.plot(inf.k, inf.eigenvalue, "k--", lw=1.2, label="ReLU, m = ∞ (closed form)")
            k = np.array([10.0, n / 2])
            ref = inf.eigenvalue.iloc[9] * (k / 10) ** (-d / (d - 1))
            ax.plot(k, ref, ":", color="grey", label=f"k^(-{d}/{d - 1})")
        floor = n * np.finfo(float).eps * emp.eigenvalue.max()
        ax.axhline(floor, color="grey", lw=0.8, ls="-.", label="n·ε·λ₁ (float64 floor)")
        ax.set(xscale="log", yscale="log", xlabel="index k", ylabel="λ_k(H/n)",
               title=f"d = {d}: n = {n}, m = {width}", ylim=(floor / 100, None))
        ax.legend(fontsize=7)
    fig.suptitle("Empirical NTK spectrum at initialization (trained hidden layers only)")
    save_figure(fig, stem)


def error_rates(curves: pd.DataFrame, stem: str | Path) -> None:
    """Test L² error vs training time t = η·step, one panel per alpha, hue = width."""
    set_theme()
    c = curves[(curves.metric == "test_l2") & (curves.t > 0)]
    alphas = sorted(c.alpha.unique())
    widths = sorted(c.width.unique())
    pal = dict(zip(widths, sns.color_palette("viridis", len(widths)), strict=True))
    fig, axes = plt.subplots(1, len(alphas), figsize=(3.6 * len(alphas), 3.6), squeeze=False,
                             sharey=False)
    for ax, alpha in zip(axes[0], alphas, strict=True):
        for w in widths:
            g = c[(c.alpha == alpha) & (c.width == w)].groupby("t").value
            _band(ax, g.mean().index, g.mean(), g.std(), pal[w], f"m = {w}")
        ax.set(xscale="log", yscale="log", xlabel="training time t = η·steps",
               title=f"α = {alpha:g}")
    axes[0][0].set_ylabel("test L²(σ) error")
    axes[0][0].legend(fontsize=7)
    d = int(c.d.iloc[0])
    fig.suptitle(f"Gradient flow on S^{d - 1}: test error vs time (mean ± sd over seeds)")
    save_figure(fig, stem)


def vs_classical(runs: pd.DataFrame, classical: pd.DataFrame, stem: str | Path) -> None:
    """Error vs number of trainable parameters/coefficients: network vs harmonics, per α."""
    set_theme()
    means = run_means(runs)
    slopes = rate_slopes(runs, classical).set_index("alpha")
    alphas = sorted(means.alpha.unique())
    fig, axes = plt.subplots(1, len(alphas), figsize=(3.8 * len(alphas), 3.8), squeeze=False)
    for ax, alpha in zip(axes[0], alphas, strict=True):
        g = means[means.alpha == alpha]
        s = slopes.loc[alpha]
        ax.errorbar(g.n_params, g.test_l2, yerr=g.test_l2_std, fmt="o-", color="C0",
                    label=f"trained network (slope {s.network:+.2f})")
        c = classical[classical.alpha == alpha]
        proj = c[(c.method == "projection") & (c.test_l2 > 0)]
        proj = proj[proj.n_params <= 4 * g.n_params.max()]
        ax.plot(proj.n_params, proj.test_l2, "-", color="C1",
                label=f"harmonics, best L² approx. (slope {s.classical:+.2f})")
        ls = c[c.method == "least_squares"]
        ax.plot(ls.n_params, ls.test_l2, "s", ms=3, color="C2",
                label="harmonics, least squares on the n samples")
        ax.axvspan(s.p_min, s.p_max, color="grey", alpha=0.08)
        ax.set(xscale="log", yscale="log", xlabel="trainable parameters / coefficients",
               title=f"α = {alpha:g}")
        ax.legend(fontsize=6.5)
    axes[0][0].set_ylabel("test L²(σ) error")
    fig.suptitle("Trained network (final time) vs full spherical-harmonic approximation "
                 "with as many coefficients")
    save_figure(fig, stem)


def weight_distance(runs: pd.DataFrame, stem: str | Path) -> None:
    """max_t ‖W(t) − W(0)‖/‖W(0)‖ vs width, log-log, Frobenius and spectral, hue = α."""
    set_theme()
    means = run_means(runs)
    alphas = sorted(means.alpha.unique())
    pal = dict(zip(alphas, sns.color_palette("colorblind", len(alphas)), strict=True))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, col, name in ((axes[0], "weight_rel_max", "Frobenius norm (claim B6)"),
                          (axes[1], "weight_rel_spec_max", "spectral norm, max over layers")):
        for alpha in alphas:
            g = means[means.alpha == alpha]
            sl = loglog_slope(g.width, g[col])
            ax.errorbar(g.width, g[col], yerr=g[f"{col}_std"], fmt="o-", color=pal[alpha],
                        label=f"α = {alpha:g} (slope {sl:+.2f})")
        w = np.array([means.width.min(), means.width.max()], dtype=float)
        y0 = means[means.width == w[0]][col].mean()
        for p, ls in ((-0.5, ":"), (-1.0, "--")):
            ax.plot(w, y0 * (w / w[0]) ** p, ls, color="grey", label=f"slope {p:g}")
        ax.set(xscale="log", yscale="log", xlabel="width m", title=name)
        ax.legend(fontsize=7)
    axes[0].set_ylabel("max over t of ‖W(t) − W(0)‖ / ‖W(0)‖")
    fig.suptitle("Relative distance of the trained hidden layers from initialization")
    save_figure(fig, stem)
