"""What a republish changed: the section "Changes since the last published run" of
``docs/reproduction.md``.

Two inputs, both committed with the record:

- ``results/claims/changes.csv``: every difference between the previous published record and
  this one, as written by ``wideopt compare <previous commit> . --csv results/claims/changes.csv``
  (columns ``kind, item, key, column, a, b, rel_diff, note``; A is the previous record, B this
  one; :func:`wideopt.analysis.publishing.compare.rows`). Its numbers are never typed by hand.
- ``workflow/report/changes.yaml``: ``previous`` (the commit compared against), ``date`` (of
  its run) and ``reasons`` (claim id -> one sentence: why the verdict flipped, or why the claim
  is new). The only prose.

The section lists every verdict flip (before, after, the deciding value before -> after, the
reason), every new claim (its verdict from the scorecard, the reason), the claims
whose value changed with the same verdict, and the tables that are new or whose cells differ.
:func:`missing_reasons` names every flip or new claim without a reason
(``tests/test_published.py`` requires none); :func:`stale_claims` names every claim whose
verdict in the comparison differs from the scorecard (the comparison predates the record).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from wideopt.markdown import table as _md_table

CHANGES_HEADING = "Changes since the last published run"
NO_REASON = "*(no reason recorded in workflow/report/changes.yaml)*"


def _claims(diff: pd.DataFrame) -> pd.DataFrame:
    """One row per claim on both sides: ``verdict_a, verdict_b, flip, value_a, value_b,
    interval_a, interval_b, note`` indexed by claim id (order of the comparison)."""
    rows = diff[diff["kind"] == "claim"]
    out: dict[str, dict] = {}
    for r in rows.itertuples(index=False):
        d = out.setdefault(r.item, {})
        if r.column == "verdict":
            d.update(verdict_a=r.a, verdict_b=r.b, flip=r.note == "flip")
        elif r.column == "deciding value":
            d.update(value_a=r.a, value_b=r.b)
        elif r.column == "interval":
            d.update(interval_a=r.a, interval_b=r.b, note=r.note)
    return pd.DataFrame.from_dict(out, orient="index")


def new_claims(diff: pd.DataFrame) -> list[str]:
    """Claim ids only in this record (B)."""
    only = diff[(diff["kind"] == "claim only") & (diff["note"] == "only in B")]
    return list(only["item"])


def flips(diff: pd.DataFrame) -> list[str]:
    """Claim ids whose verdict differs between the two records."""
    c = _claims(diff)
    return list(c.index[c["flip"].astype(bool)]) if len(c) else []


def missing_reasons(diff: pd.DataFrame, notes: Mapping) -> list[str]:
    """Flipped or new claims that ``notes['reasons']`` does not explain."""
    reasons = notes.get("reasons") or {}
    return [cid for cid in flips(diff) + new_claims(diff) if not str(reasons.get(cid, "")).strip()]


def stale_claims(diff: pd.DataFrame, card: pd.DataFrame) -> list[str]:
    """Claims the comparison gives a B-side verdict for that is not the scorecard's, and new
    claims the scorecard lacks: the comparison was made against another record than this one.
    (Claims the comparison does not list are unchanged and cannot be checked here.)"""
    c = _claims(diff)
    ours = dict(zip(card["claim_id"], card["verdict"], strict=True))
    stale = [cid for cid in c.index if ours.get(cid) != c.at[cid, "verdict_b"]]
    return sorted(stale + [cid for cid in new_claims(diff) if cid not in ours])


def table(header, rows) -> list[str]:
    """A Markdown table's lines (:func:`wideopt.markdown.table`)."""
    return _md_table(header, rows).splitlines()


def _cell(x) -> str:
    return "" if pd.isna(x) else str(x)


def _arrow(a, b) -> str:
    a, b = _cell(a) or "–", _cell(b) or "–"
    return a if a == b else f"{a} → {b}"


def changes_markdown(diff: pd.DataFrame, notes: Mapping, card: pd.DataFrame,
                     csv_link: str = "../results/claims/changes.csv") -> list[str]:
    """The section's Markdown lines (module doc). ``card``: this record's scorecard
    (``figures/claims.csv``), for the new claims' verdicts."""
    reasons = notes.get("reasons") or {}
    previous = str(notes.get("previous", "?"))
    date = f", run {notes['date']}" if notes.get("date") else ""
    c = _claims(diff)
    flipped, new = flips(diff), new_claims(diff)
    changed = [cid for cid in c.index if cid not in flipped
               and "changed:" in _cell(c.at[cid, "note"])
               and _cell(c.at[cid, "note"]).split("changed:", 1)[1].strip()]
    cells = diff[diff["kind"] == "cell"].groupby("item", sort=True).size()
    new_tables = list(diff[(diff["kind"] == "table only") & (diff["note"] == "only in B")]["item"])
    gone_tables = list(diff[(diff["kind"] == "table only") & (diff["note"] == "only in A")]["item"])
    gone_claims = list(diff[(diff["kind"] == "claim only") & (diff["note"] == "only in A")]["item"])
    lines = [f"## {CHANGES_HEADING}", "",
             f"This record against the previous published one (commit `{previous}`{date}), "
             f"compared by `wideopt compare {previous} .`; every difference is in "
             f"[`results/claims/changes.csv`]({csv_link}). **{len(flipped)} verdict flip(s), "
             f"{len(new)} new claim(s)**, {len(changed)} claim(s) with the same verdict and a "
             f"changed value or reason; {len(new_tables)} new table(s), {len(cells)} table(s) "
             f"with differing cells.", ""]
    if flipped:
        lines += ["### Verdict flips", ""] + table(
            ["claim", "before", "after", "deciding value", "why it changed"],
            [[cid, c.at[cid, "verdict_a"], c.at[cid, "verdict_b"],
              _arrow(c.at[cid, "value_a"], c.at[cid, "value_b"]),
              str(reasons.get(cid, "")).strip() or NO_REASON] for cid in flipped]) + [""]
    if new:
        by_id = card.set_index("claim_id")
        lines += ["### New claims", ""] + table(
            ["claim", "verdict", "why it is new"],
            [[cid, by_id.at[cid, "verdict"] if cid in by_id.index else "–",
              str(reasons.get(cid, "")).strip() or NO_REASON] for cid in new]) + [""]
    if gone_claims:
        lines += ["Claims no longer in the catalogue: " + ", ".join(gone_claims) + ".", ""]
    if changed:
        lines += ["### Same verdict, changed value or reason", ""] + table(
            ["claim", "verdict", "deciding value", "intervals overlap", "what changed"],
            [[cid, c.at[cid, "verdict_b"], _arrow(c.at[cid, "value_a"], c.at[cid, "value_b"]),
              _cell(c.at[cid, "note"]).split("overlap:", 1)[-1].split(";", 1)[0].strip(),
              _cell(c.at[cid, "note"]).split("changed:", 1)[1].strip()
              + (f" ({reasons[cid]})" if reasons.get(cid) else "")] for cid in changed]) + [""]
    if new_tables or gone_tables or len(cells):
        lines += ["### Tables", ""]
        if new_tables:
            lines += ["- New: " + ", ".join(f"`{t}`" for t in new_tables) + "."]
        if gone_tables:
            lines += ["- No longer written: " + ", ".join(f"`{t}`" for t in gone_tables) + "."]
        lines += [f"- `{t}`: {n} cell(s) differ." for t, n in cells.items()] + [""]
    return lines
