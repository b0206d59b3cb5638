"""Findings about the source (seed 002): the table ``pinn_gram_normalization``, which traces
the paper's two Gram numbers for poisson1d (lambda_min = 3.47e-11, 1/lambda_max = 5.78e-5) to
a setting.

For H = J J^T at initialization (:mod:`wideopt.training.pinn.gram`) under our normalized and
the unnormalized residual, n collocation points and width m (p = 2m parameters in 1-d):

- ``lambda_max``, ``inv_lambda_max`` from sigma(J)^2 (``svdvals``, float64);
- ``lambda_min``: sigma_min(J)^2 when n <= p; when n > p, H has rank <= p < n and is singular
  *by rank* (``singular_by_rank`` = 1, ``lambda_min`` = 0: not a measurement);
- ``eigvalsh_floor`` = n eps lambda_max: the resolution of ``eigvalsh(J J^T)``; a smallest
  eigenvalue reported by eigvalsh at about that size is round-off (``paper_at_floor`` compares
  the paper's 3.47e-11 with this floor of each setting).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from wideopt.analysis.tables import paper_values

EPS = float(np.finfo(np.float64).eps)
QUANTITIES = ["lambda_max", "inv_lambda_max", "lambda_min", "singular_by_rank",
              "eigvalsh_floor", "lambda_min_over_floor"]
MATCH = 0.1  # a setting "matches" a paper number when within 10 % of it (log distance)


def normalization_quantities(eig: np.ndarray, n: int, p: int) -> dict:
    """The table's quantities of one Gram matrix from its eigenvalues ``eig`` = sigma(J)^2
    (length n, zero-padded beyond rank p when n > p)."""
    eig = np.asarray(eig, float)
    lmax = float(eig.max())
    by_rank = n > p
    lmin = 0.0 if by_rank else float(eig.min())
    floor = n * EPS * lmax
    return dict(lambda_max=lmax, inv_lambda_max=1 / lmax, lambda_min=lmin,
                singular_by_rank=float(by_rank), eigvalsh_floor=floor,
                lambda_min_over_floor=math.nan if by_rank else lmin / floor)


def paper_numbers() -> dict[str, float]:
    """The paper's poisson1d ``lambda_min`` and ``inv_lambda_max``."""
    pv = paper_values("pinn_gram_spectrum").query("problem == 'poisson1d'")
    return dict(zip(pv["quantity"], pv["paper_value"].astype(float), strict=True))


def settings_summary(tidy: pd.DataFrame) -> pd.DataFrame:
    """Mean over seeds per (normalization, n, width, quantity); columns ``normalization, n,
    width, quantity, value, n_seeds``."""
    g = tidy.groupby(["normalization", "n", "width", "quantity"], sort=False)["value"]
    return g.agg(value="mean", n_seeds="size").reset_index()


def matches(summary: pd.DataFrame) -> pd.DataFrame:
    """Per setting (normalization, n, width): log10 distance of its 1/lambda_max to the paper's
    (``decades_inv_lambda_max``) and of its eigvalsh floor to the paper's lambda_min
    (``decades_floor``); ``inv_match`` / ``floor_match`` within :data:`MATCH` decades."""
    paper = paper_numbers()
    w = summary.pivot_table(index=["normalization", "n", "width"], columns="quantity",
                            values="value", sort=False).reset_index()
    w["decades_inv_lambda_max"] = np.abs(np.log10(w["inv_lambda_max"])
                                         - math.log10(paper["inv_lambda_max"]))
    w["decades_floor"] = np.abs(np.log10(w["eigvalsh_floor"]) - math.log10(paper["lambda_min"]))
    w["inv_match"] = w["decades_inv_lambda_max"] <= MATCH
    w["floor_match"] = w["decades_floor"] <= MATCH
    return w


def finding(summary: pd.DataFrame) -> str:
    """One paragraph: which setting, if any, gives the paper's 1/lambda_max, and whether the
    paper's lambda_min is the eigvalsh round-off floor of that setting."""
    paper = paper_numbers()
    w = matches(summary)
    best = w.loc[w["decades_inv_lambda_max"].idxmin()]
    name = (f"{best['normalization']} residual, n = {int(best['n'])}, m = {int(best['width'])}")
    head = (f"The paper's 1/lambda_max = {paper['inv_lambda_max']:.3g} "
            + (f"matches the {name} ({best['inv_lambda_max']:.3g})" if best["inv_match"] else
               f"matches none of our settings; nearest: the {name} "
               f"({best['inv_lambda_max']:.3g}, {best['decades_inv_lambda_max']:.2f} decades)"))
    floor = best["eigvalsh_floor"]
    tail = (f"; that setting's eigvalsh round-off floor n eps lambda_max = {floor:.3g} "
            + ("equals" if best["floor_match"] else "is not")
            + f" the paper's lambda_min = {paper['lambda_min']:.3g}"
            + (" (singular by rank there: n > p)" if best.get("singular_by_rank", 0) >= 0.5
               else f" (our svd lambda_min there: {best['lambda_min']:.3g})"))
    others = w[w["floor_match"] & ~w.index.isin([best.name])]
    more = ("; the paper's lambda_min also equals the floor of " + ", ".join(
        f"{r.normalization} n = {int(r.n)} m = {int(r.width)}" for r in others.itertuples())
        if len(others) else "")
    return head + tail + more + "."


def table_cell(r: pd.Series) -> str:
    """A cell of the table: "singular by rank (n > p)" for lambda_min where n > p, else the
    number (3 significant digits)."""
    if r["quantity"] == "lambda_min" and r.get("by_rank", 0) >= 0.5:
        return "singular by rank (n > p)"
    if r["quantity"] == "singular_by_rank":
        return "yes" if r["value"] >= 0.5 else "no"
    v = r["value"]
    return "nan" if not np.isfinite(v) else f"{v:.3g}"


__all__ = ["QUANTITIES", "normalization_quantities", "paper_numbers", "settings_summary",
           "matches", "finding", "table_cell"]
