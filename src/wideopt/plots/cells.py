"""What a table cell says: a number, or a word where there is no number.

Every rendered table (:mod:`wideopt.plots.tables`) asks this module, so a missing number reads
the same everywhere:

- ``ok``: a finite value, in 3 significant digits (``fmt``), ``± sd`` where there is a spread;
- ``diverged``: the run blew up (a non-finite loss or error);
- ``not reached``: a threshold that the run never met, written "not reached (> E epochs)"
  with the run's length E;
- ``not run``: no such run (or the source gives no value), written "–".

The summary CSV ``figures/ID.csv`` keeps the numbers (NaN where there is none) and gains a
``status`` column with one of :data:`STATUSES`; the Markdown shows the words.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

OK, DIVERGED, NOT_REACHED, NOT_RUN = "ok", "diverged", "not reached", "not run"
STATUSES = (OK, DIVERGED, NOT_REACHED, NOT_RUN)
DASH = "–"  # not run, or no value in the source

# What each word means, for the legend under a table (only the words the table uses).
MEANING = {
    DIVERGED: "*diverged*: the run blew up (non-finite loss or error)",
    NOT_REACHED: "*not reached (> E epochs)*: the threshold was not met within the run's E "
                 "epochs",
    NOT_RUN: "–: not run, or no value in the source",
}


def _finite(x) -> bool:
    try:
        return x is not None and not pd.isna(x) and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def fmt(x: float | None, std: float | None = None) -> str:
    """A number in 3 significant digits (scientific below 1e-2 or from 1e3); a missing or
    non-finite number is "–" (a cell's *reason* comes from :func:`ours`, not from here).

    With a finite positive ``std``: ``"x ± s"`` (``s`` in 2 significant digits).
    """
    if not _finite(x):
        return DASH
    x = float(x)
    s = f"{x:.2e}" if (abs(x) < 1e-2 or abs(x) >= 1e3) and x != 0 else f"{x:.3g}"
    if _finite(std) and float(std) > 0:
        s += f" ± {float(std):.1e}"
    return s


def status(row: pd.Series, nan_means: str | Callable[[pd.Series], str] = DIVERGED) -> str:
    """A summary row's status: its own ``status`` if it has one, ``ok`` where ``value`` is
    finite, otherwise what a missing value means in this table (``nan_means``: a status, or a
    function of the row; default ``diverged``)."""
    given = row.get("status")
    if isinstance(given, str) and given in STATUSES:
        return given
    if _finite(row.get("value")):
        return OK
    if "n_seeds" in row and _finite(row["n_seeds"]) and row["n_seeds"] == 0:
        return NOT_RUN
    return nan_means(row) if callable(nan_means) else nan_means


def with_status(summary: pd.DataFrame,
                nan_means: str | Callable[[pd.Series], str] = DIVERGED) -> pd.DataFrame:
    """``summary`` with a ``status`` column (:func:`status` of each row)."""
    out = summary.copy()
    out["status"] = [status(r, nan_means) for _, r in summary.iterrows()] if len(out) else []
    bad = set(out["status"]) - set(STATUSES)
    if bad:
        raise ValueError(f"unknown cell status {sorted(bad)}; expected one of {STATUSES}")
    return out


def ours(row: pd.Series) -> str:
    """Our cell: ``value ± std`` when ``ok``, else the status's word. A ``not reached`` row
    names its run length from its ``limit`` column (epochs)."""
    st = row.get("status", OK if _finite(row.get("value")) else DIVERGED)
    if st == OK:
        return fmt(row["value"], row.get("std"))
    if st == NOT_REACHED:
        limit = row.get("limit")
        return f"not reached (> {int(limit)} epochs)" if _finite(limit) else "not reached"
    return DIVERGED if st == DIVERGED else DASH


def paper(row: pd.Series, reference: str = "paper") -> str:
    """The `` (paper x)`` suffix of a cell: "–" where the source has no such cell,
    "diverged" where it reports the run as diverged (its own "nan"); empty for a table
    without the source's values."""
    if "paper_value" not in row:
        return ""
    reported = bool(row.get("paper_reported", pd.notna(row["paper_value"])))
    if not reported:
        return f" ({reference} {DASH})"
    v = row["paper_value"]
    return f" ({reference} {fmt(v) if _finite(v) else DIVERGED})"


def legend(summary: pd.DataFrame, reference: str | None = None, dash: bool = True,
           sd: bool = True) -> str:
    """One line saying what the table's cells and words mean: mean (± sd, where ``sd``) over
    how many seeds, the source's value in parentheses, and each word the table uses
    (``dash``: whether a "–" appears in it)."""
    parts = []
    if "n_seeds" in summary and "std" in summary and len(summary):
        # cells with a spread (a cell of the seed-mean curve has one "seed" and no sd)
        spread = summary[summary["std"].notna()]
        n = sorted({int(x) for x in spread["n_seeds"] if _finite(x)})
        if n:
            seeds = f"{n[0]}" if len(n) == 1 else f"{n[0]}–{n[-1]}"
            parts.append(f"Cells: mean{' ± sd' if sd else ''} over {seeds} seeds")
    if reference and "paper_value" in summary:
        parts.append(f"in parentheses the {reference} value")
    used = set(summary["status"]) if "status" in summary else set()
    if "paper_value" in summary and "paper_reported" in summary:
        if (summary["paper_reported"].astype(bool) & summary["paper_value"].isna()).any():
            used.add(DIVERGED)
    parts += [MEANING[s] for s in (DIVERGED, NOT_REACHED) if s in used]
    if dash:
        parts.append(MEANING[NOT_RUN])
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "." if text else ""
