"""Aggregate section D's runs: per-run summaries and the fitted log-log slopes vs width."""

from __future__ import annotations

import pandas as pd

from wideopt.analysis.fits import loglog_slope

# Quantities summarized per training run (maximum over the trajectory).
SUP_METRICS = ("kernel_drift", "weight_rel", "weight_abs", "neuron_max", "lin_gap")

# quantity -> (scheme, predicted log-log slope in m, description)
PREDICTED = {
    "init_error": ("ntk", -0.5, "||H(0) - H*||_2"),
    "kernel_drift": ("ntk", -0.5, "sup_t ||H(t) - H(0)||_2 / ||H(0)||_2"),
    "weight_rel": ("ntk", -0.5, "sup_t ||W(t) - W(0)||_F / ||W(0)||_F"),
    "neuron_max": ("ntk", -0.5, "sup_t max_r ||w_r(t) - w_r(0)||"),
    "weight_abs": ("ntk", 0.0, "sup_t ||W(t) - W(0)||_F"),
    "lin_gap": ("ntk", -0.5, "sup_t ||r(t) - r_lin(t)|| / ||r(0)||"),
    "kernel_drift_mean_field": ("mean_field", 0.0,
                                "sup_t ||H(t) - H(0)||_2 / ||H(0)||_2, mean-field scaling"),
}


def summarize_run(metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per seed: sup over t of :data:`SUP_METRICS`, loss ratio, divergence flag.

    ``metrics``: tidy ``seed, step, t, metric, value`` from one training job.
    """
    wide = metrics.pivot_table(index=["seed", "step"], columns="metric", values="value")
    out = wide[list(SUP_METRICS)].groupby("seed").max()
    loss = wide["loss"].dropna().groupby("seed")
    out["loss_ratio"] = loss.last() / loss.first()
    out["diverged"] = metrics[metrics.metric == "diverged"].groupby("seed")["value"].max()
    return out.reset_index()


def fit_slopes(init: pd.DataFrame, runs: pd.DataFrame, fit_min_width: int) -> pd.DataFrame:
    """Fitted slopes of the seed-mean quantities against width, with the predicted slope.

    ``init``: ``activation, n, width, seed, error``; ``runs``: ``scheme, activation, width,
    seed`` + :data:`SUP_METRICS`. ||H(0) - H*|| is fitted over every width; trained
    quantities over widths >= ``fit_min_width`` (the narrowest nets are not yet lazy).
    Returns tidy ``quantity, description, scheme, activation, value, paper_value``.
    """
    rows = []
    for (act, n), g in init.groupby(["activation", "n"]):
        mean = g.groupby("width")["error"].mean()
        rows.append(dict(quantity=f"init_error (n={n})", scheme="ntk", activation=act,
                         value=loglog_slope(mean.index, mean.values)))
    fit = runs[runs.width >= fit_min_width]
    for (scheme, act), g in fit.groupby(["scheme", "activation"]):
        mean = g.groupby("width")[list(SUP_METRICS)].mean()
        for q in SUP_METRICS:
            name = q if scheme == "ntk" else f"{q}_mean_field"
            if name not in PREDICTED:
                continue
            rows.append(dict(quantity=name, scheme=scheme, activation=act,
                             value=loglog_slope(mean.index, mean[q].values)))
    df = pd.DataFrame(rows)
    base = df["quantity"].str.replace(r" \(n=\d+\)", "", regex=True)
    df["description"] = base.map(lambda q: PREDICTED[q][2])
    df["paper_value"] = base.map(lambda q: PREDICTED[q][1])
    return df[["quantity", "description", "scheme", "activation", "value", "paper_value"]]
