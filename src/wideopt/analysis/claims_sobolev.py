"""Claims B1-B6 (section B, gradient flow on the sphere with Sobolev targets).

Inputs (``CLAIM_INPUTS["sobolev"]``): ``decay`` = results/sobolev/sobolev_decay_exponents.csv
(per seed; means over seeds taken here),
``runs`` = results/sobolev/runs.csv, ``classical`` = results/sobolev/classical.csv.
Pass rules (catalogue; where it gives no threshold we use the catalogue's convention for
"decreases with": Spearman ρ ≤ −0.8):
B1 |p_ReLU − d/(d−1)| ≤ 0.15 d/(d−1) for d = 3 and 5 (empirical ReLU NTK, mean over seeds);
B2 λ_100/λ_1 of GELU, softplus and tanh < ReLU's, at every d;
B3 per α, final test error vs width: ρ ≤ −0.8;
B4 per width, final test error vs α: ρ ≤ −0.8;
B5 per α, classical slope (error vs parameters) < network slope over the same range;
B6 per α, slope of max_t relative Frobenius weight distance vs width in [−0.7, −0.3].
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from wideopt.analysis.fits import loglog_slope, spearman
from wideopt.analysis.outcome import Outcome
from wideopt.analysis.sobolev_summary import decay_summary, rate_slopes, run_means
from wideopt.io import read_csv


def _decay(inputs: Mapping[str, str]) -> pd.DataFrame:
    return decay_summary(read_csv(inputs["decay"]))


def b1(inputs: Mapping[str, str]) -> Outcome:
    t = _decay(inputs)
    relu = t[(t.quantity == "exponent") & (t.activation == "relu")].set_index("d").value
    parts, ok = [], len(relu) > 0
    for d, p in relu.items():
        target = d / (d - 1)
        rel = abs(p - target) / target
        ok &= bool(rel <= 0.15)
        parts.append(f"d={d}: {p:.3f} vs {target:.3f} ({100 * rel:.0f}%)")
    return Outcome("; ".join(parts), bool(ok))


def b2(inputs: Mapping[str, str]) -> Outcome:
    t = _decay(inputs)
    q = [s for s in t.quantity.unique() if s.startswith("lambda_ratio_k")][0]
    r = t[t.quantity == q].pivot_table(index="activation", columns="d", values="value")
    parts, ok = [], "relu" in r.index
    for d in r.columns:
        smooth = {a: r.loc[a, d] for a in ("gelu", "softplus", "tanh") if a in r.index}
        ok &= len(smooth) == 3 and all(v < r.loc["relu", d] for v in smooth.values())
        parts.append(f"d={d} {q[7:]}: relu {r.loc['relu', d]:.1e}, "
                     + ", ".join(f"{a} {v:.1e}" for a, v in smooth.items()))
    return Outcome("; ".join(parts), bool(ok))


def _runs(inputs: Mapping[str, str]) -> pd.DataFrame:
    return run_means(read_csv(inputs["runs"]))


def b3(inputs: Mapping[str, str]) -> Outcome:
    m = _runs(inputs)
    parts, ok = [], len(m) > 0
    for alpha, g in m.groupby("alpha"):
        rho = spearman(g.width, g.test_l2)
        ok &= bool(rho <= -0.8)
        errs = "/".join(f"{v:.3g}" for v in g.sort_values("width").test_l2)
        parts.append(f"α={alpha:g}: ρ={rho:+.2f} ({errs})")
    t = read_csv(inputs["runs"]).t_final.max()
    widths = sorted(int(w) for w in m.width.unique())
    return Outcome(f"t={t:g}, widths {widths}: " + "; ".join(parts), bool(ok))


def b4(inputs: Mapping[str, str]) -> Outcome:
    m = _runs(inputs)
    parts, ok = [], len(m) > 0
    for width, g in m.groupby("width"):
        rho = spearman(g.alpha, g.test_l2)
        ok &= bool(rho <= -0.8)
        errs = "/".join(f"{v:.2g}" for v in g.sort_values("alpha").test_l2)
        parts.append(f"m={width}: ρ={rho:+.2f} ({errs})")
    alphas = sorted(float(a) for a in m.alpha.unique())
    return Outcome(f"alphas {alphas}: " + "; ".join(parts), bool(ok))


def b5(inputs: Mapping[str, str]) -> Outcome:
    s = rate_slopes(read_csv(inputs["runs"]), read_csv(inputs["classical"]))
    ok = len(s) > 0 and bool((s.classical < s.network).all())
    parts = [f"α={r.alpha:g}: classical {r.classical:+.2f} vs net {r.network:+.2f}"
             for r in s.itertuples()]
    p = f"p in [{s.p_min.min()}, {s.p_max.max()}]: " if len(s) else ""
    return Outcome(p + "; ".join(parts), ok)


def b6(inputs: Mapping[str, str]) -> Outcome:
    m = _runs(inputs)
    parts, ok = [], len(m) > 0
    for alpha, g in m.groupby("alpha"):
        sl = loglog_slope(g.width, g.weight_rel_max)
        spec = loglog_slope(g.width, g.weight_rel_spec_max)
        ok &= bool(-0.7 <= sl <= -0.3)
        parts.append(f"α={alpha:g}: {sl:+.2f} (spectral {spec:+.2f})")
    return Outcome("Frobenius slopes " + "; ".join(parts), bool(ok))


EVALUATORS = {"B1": b1, "B2": b2, "B3": b3, "B4": b4, "B5": b5, "B6": b6}
