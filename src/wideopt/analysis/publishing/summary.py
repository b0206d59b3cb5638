"""The summary that opens ``docs/reproduction.md``, in the structure of reproducibility reports
(the ML Reproducibility Challenge's): scope, what was re-implemented and how, results, what
was easy, what was difficult, compute.

Every number is read from the record: the verdicts from ``figures/claims.csv`` (rows as dicts,
:func:`wideopt.analysis.publishing.reproduction.read_scorecard`), the compute from
``figures/PROVENANCE.md`` (its machine lines and the ``all`` row of its time table). The prose
(``workflow/report/summary.yaml``: ``scope``, ``how``, ``easy``, ``difficult``) states no
number; the lists under "easy" and "difficult" are the record's own: the sources whose claims
all pass, and every claim that does not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from wideopt import markdown as md
from wideopt.analysis.judging.outcome import VERDICTS

PROSE_KEYS = ("scope", "how", "easy", "difficult")


def provenance_compute(text: str) -> dict[str, str]:
    """From ``PROVENANCE.md``: ``cpu``, ``cores``, ``torch`` (machine lines) and, from the
    ``all`` row of the time table, ``jobs``, ``cpu_min``, ``elapsed_min``, ``bound_min``.
    Absent entries are left out (an empty dict for an empty text)."""
    out: dict[str, str] = {}
    for key in ("cpu", "cores", "torch"):
        m = re.search(rf"^- Machine, {key}: (.+)$", text, re.M)
        if m:
            out[key] = m.group(1).strip()
    header = next((line for line in text.splitlines()
                   if line.startswith("| family |") and "CPU (min)" in line), None)
    row = next((line for line in text.splitlines() if line.startswith("| all |")), None)
    if header and row:
        cols = dict(zip(md.split_row(header), md.split_row(row), strict=False))
        for name, col in (("jobs", "jobs"), ("cpu_min", "CPU (min)"),
                          ("elapsed_min", "elapsed (min)"), ("bound_min", "bound (min)")):
            if cols.get(col):
                out[name] = cols[col]
    return out


def compute_text(prov: Mapping[str, str]) -> str:
    """One sentence on the compute, from :func:`provenance_compute`'s entries."""
    if not prov.get("cpu_min"):
        return ("Not recorded: `figures/PROVENANCE.md` has no time table (its benchmark files "
                "were absent).")
    machine = ", ".join(x for x in (prov.get("cpu"), f"{prov['cores']} cores"
                                    if prov.get("cores") else "",
                                    f"torch {prov['torch']}" if prov.get("torch") else "") if x)
    s = (f"{prov.get('jobs', '?')} jobs, {prov['cpu_min']} CPU-minutes in all; "
         f"{prov.get('elapsed_min', '?')} min from the first job's start to the last one's end")
    if prov.get("bound_min"):
        s += f" (an uninterrupted run on idle cores approaches {prov['bound_min']} min)"
    s += f", on one machine ({machine})." if machine else "."
    return s + (" No GPU was used." if "CPU build" in prov.get("torch", "") else "")


def _by_source(rows: Sequence[Mapping[str, str]], family_of, sections) -> list[str]:
    """Per source: ``B: pass 4 of 6, inconclusive 2 (B3, B6)``."""
    out = []
    for letter, family in sections:
        mine = [r for r in rows if family_of(r) == family]
        if not mine:
            continue
        counts = {v: [r["claim_id"] for r in mine if r.get("verdict") == v] for v in VERDICTS}
        parts = [f"pass {len(counts['pass'])} of {len(mine)}"] + [
            f"{v} {len(ids)} ({', '.join(ids)})" for v, ids in counts.items()
            if v != "pass" and ids]
        out.append(f"{letter}: " + ", ".join(parts))
    return out


def summary_markdown(rows: Sequence[Mapping[str, str]], prose: Mapping[str, str] | None,
                     provenance: str, family_of, sections, titles: Mapping[str, str],
                     ) -> list[str]:
    """The summary's lines (``## Summary`` and its paragraphs).

    ``rows``: the scorecard; ``prose``: ``scope``/``how``/``easy``/``difficult`` paragraphs
    (missing ones are skipped); ``provenance``: the text of ``PROVENANCE.md`` ('' if absent);
    ``family_of(row)``: a row's family; ``sections``: (letter, family) pairs in order;
    ``titles``: family -> the source's title.
    """
    prose = prose or {}

    def para(key: str) -> str:
        return " ".join(str(prose.get(key, "")).split())

    n = len(rows)
    counts = {v: sum(r.get("verdict") == v for r in rows) for v in VERDICTS}
    lines = ["## Summary", ""]
    sources = [f"{letter}, *{titles.get(f, f)}*" for letter, f in sections if f in titles]
    lines += ["**Scope.** " + " ".join(x for x in (
        para("scope"), f"Sources: {'; '.join(sources)}." if sources else "",
        f"The scorecard has {n} claims." if n else "") if x), ""]
    if para("how"):
        lines += ["**What we re-implemented and how.** " + para("how"), ""]
    if n:
        lines += ["**Results.** " + ", ".join(f"{v} {counts[v]}" for v in VERDICTS)
                  + f" of {n} claims at the scale of the record. By source: "
                  + "; ".join(_by_source(rows, family_of, sections)) + ".", ""]
    else:
        lines += ["**Results.** `figures/claims.csv` is missing: no verdicts.", ""]
    clean = [letter for letter, f in sections
             if (mine := [r for r in rows if family_of(r) == f])
             and all(r.get("verdict") == "pass" for r in mine)]
    easy = para("easy")
    if clean:
        easy = (easy + " " if easy else "") + (
            f"Every claim of {', '.join(clean)} passes.")
    if easy:
        lines += ["**What was easy.** " + easy, ""]
    hard = [r for r in rows if r.get("verdict") not in ("pass", None)]
    if para("difficult") or hard:
        lines += ["**What was difficult.** " + (para("difficult") or
                  "The claims that do not pass:"), ""]
        lines += [f"- **{r['claim_id']}** ({r['verdict']}): "
                  + md.norms(" ".join(str(r.get("statement", "")).split())) for r in hard]
        lines += [""] if hard else []
    lines += ["**Compute.** " + compute_text(provenance_compute(provenance)), ""]
    return lines


def anchor(title: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped (letters, digits, ``-``,
    ``_`` and spaces kept), spaces as hyphens."""
    s = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return s.replace(" ", "-")
