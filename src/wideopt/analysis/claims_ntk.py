"""Claims D1-D5 (section D, the NTK of a wide two-layer network), evaluated from
``results/ntk/ntk_slopes.csv`` (``slopes``: log-log slopes of seed means, one row per cell)
and ``results/ntk/runs.csv`` (``runs``: one row per run and seed)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from wideopt.analysis.outcome import Outcome
from wideopt.io import read_csv


def _slopes(inputs: Mapping[str, str]) -> pd.DataFrame:
    return read_csv(inputs["slopes"])


def _listing(df: pd.DataFrame, label) -> str:
    return "; ".join(f"{label(r)} {r.value:+.2f}" for r in df.itertuples())


def d1(inputs: Mapping[str, str]) -> Outcome:
    s = _slopes(inputs)
    s = s[s.quantity.str.startswith("init_error")]
    ok = bool(len(s)) and bool(s.value.between(-0.6, -0.4).all())
    return Outcome(_listing(s, lambda r: f"{r.activation} {r.quantity[12:-1]}"), ok)


def d2(inputs: Mapping[str, str]) -> Outcome:
    s = _slopes(inputs)
    s = s[s.quantity.isin(["kernel_drift", "weight_rel"])]
    ok = bool(len(s)) and bool((s.value <= -0.3).all())
    return Outcome(_listing(s, lambda r: f"{r.quantity} {r.activation}"), ok)


def d3(inputs: Mapping[str, str]) -> Outcome:
    runs = read_csv(inputs["runs"])
    runs = runs[runs.scheme == "ntk"]
    widest = runs[runs.width == runs.width.max()]
    worst = widest.groupby("activation")["loss_ratio"].max()
    ok = bool(len(worst)) and bool((worst < 1e-3).all())
    text = f"m={runs.width.max()}: " + "; ".join(f"{a} {v:.1e}" for a, v in worst.items())
    return Outcome(text, ok)


def d4(inputs: Mapping[str, str]) -> Outcome:
    s = _slopes(inputs)
    s = s[s.quantity == "lin_gap"]
    runs = read_csv(inputs["runs"])
    runs = runs[runs.scheme == "ntk"]
    gap = runs.groupby(["activation", "width"])["lin_gap"].mean().unstack("width")
    shrinks = gap.iloc[:, -1] < gap.iloc[:, 0]
    ok = bool(len(s)) and bool((s.value < 0).all()) and bool(shrinks.all())
    text = _listing(s, lambda r: f"slope {r.activation}") + "; " + "; ".join(
        f"{a} {gap.loc[a].iloc[0]:.2g}->{gap.loc[a].iloc[-1]:.2g}" for a in gap.index)
    return Outcome(text, ok)


def d5(inputs: Mapping[str, str]) -> Outcome:
    s = _slopes(inputs)
    s = s[s.quantity == "kernel_drift_mean_field"]
    ok = bool(len(s)) and bool((s.value > -0.2).all())
    return Outcome(_listing(s, lambda r: f"mean-field {r.activation}"), ok)


EVALUATORS = {"D1": d1, "D2": d2, "D3": d3, "D4": d4, "D5": d5}
