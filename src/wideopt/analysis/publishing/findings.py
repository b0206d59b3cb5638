"""The reproduction report's section on findings about source C: which of the paper's numbers
follow from the method it states. Gathered, never typed: each paragraph is the computed note
under one of section C's explanation tables (``figures/<id>.md``, written from the tidy
tables by the figure rules) and the measured values of the theorem claims C7 and C8."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

HEADING = "Findings about the source"
# The tables whose notes say whether a paper cell follows from the method as stated.
TABLES = ("pinn_gram_normalization", "pinn_ngd_schedule", "pinn_ngd_solver",
          "pinn_lbfgs_budget")
CLAIMS = ("C7", "C8")  # the two theorems, measured


def table_note(markdown: str) -> str:
    """The paragraphs under a rendered table (its computed note), without the title, the
    table rows and the legends ("Cells: ...", "–: ...", "In parentheses ..."); empty where
    there is none."""
    paras = [p.strip() for p in markdown.split("\n\n")]
    legend = ("#", "|", "Cells:", "–:", "*", "In parentheses")
    keep = [p for p in paras if p and not p.startswith(legend)]
    return " ".join(" ".join(p.split()) for p in keep)


def findings_markdown(figures_dir: Path, rows: Sequence[Mapping[str, str]]) -> list[str]:
    """The section's lines (empty when none of its tables or claims is in the record)."""
    figures_dir = Path(figures_dir)
    items = []
    for ident in TABLES:
        path = figures_dir / f"{ident}.md"
        note = table_note(path.read_text()) if path.is_file() else ""
        if note:
            items.append(f"- **`{ident}`**: {note}")
    for row in rows:
        if row.get("claim_id") in CLAIMS:
            items.append(f"- **{row['claim_id']}** ({row.get('verdict', '')}): "
                         f"{row.get('statement', '')}. Measured: {row.get('reproduced_value', '')}")
    if not items:
        return []
    return [f"## {HEADING}", "",
            "Which of source C's numbers follow from the method the paper states, and which do "
            "not: each item is the computed note of one table (or a theorem claim's measured "
            "value); the catalogue (`docs/catalogue.md`, section C) lists the paper's cells one "
            "by one.", "", *items, ""]
