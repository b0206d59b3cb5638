"""The scorecard as text: ``figures/claims.md`` and the README's results table, both written
from ``figures/claims.csv`` (never typed by hand).

- :func:`scorecard_markdown`: a header (scale, what the verdicts mean, the counts), one short
  table row per claim (id, verdict, paper, ours cut to its first groups, interval), then a
  numbered list with each claim's statement, its experiment, ours in full where the row cut
  it, and why it is not a clean pass;
- :func:`readme_table`: the README's compact table (claim, verdict, statement);
- :func:`update_readme`: replace the README's table between the ``<!-- claims -->`` markers.

Cells go through :func:`wideopt.markdown.cell` (norms ``||x||`` as ``‖x‖``, ``|`` escaped), so
each row has as many cells as its header wherever it is rendered.

``python -m wideopt.analysis.publishing.scorecard figures/claims.csv`` rewrites
``figures/claims.md`` beside the CSV, first statements included (:func:`scorecard_page`, as
the pipeline writes it; add ``--readme README.md`` for the README's table).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

from wideopt import markdown as md
from wideopt.analysis.judging.first_statements import first_statements_markdown
from wideopt.analysis.judging.outcome import VERDICTS
from wideopt.io import read_csv

BEGIN, END = "<!-- claims: begin (generated from figures/claims.csv) -->", "<!-- claims: end -->"


def read_card(path: str | Path) -> pd.DataFrame:
    """``claims.csv`` as strings (an empty cell stays empty, never NaN)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def counts_text(card: pd.DataFrame, sep: str = ": ") -> str:
    """``pass: 20, fail: 4, inconclusive: 3, not-run: 0``."""
    counts = card["verdict"].value_counts().to_dict()
    return ", ".join(f"{k}{sep}{counts.get(k, 0)}" for k in VERDICTS)


SHORT = 90  # characters of `ours` shown in the table row; the full value is in the list below


def shorten(text: str, limit: int = SHORT) -> str:
    """``text`` cut at a ``"; "`` boundary so that it stays within ``limit`` characters (the
    first part is always kept whole), with ``"; … (k more)"`` naming what was cut."""
    parts = " ".join(str(text).split()).split("; ")
    kept = parts[:1]
    for part in parts[1:]:
        if len("; ".join(kept + [part])) > limit:
            break
        kept.append(part)
    rest = len(parts) - len(kept)
    return "; ".join(kept) + (f"; … ({rest} more)" if rest else "")


def scorecard_markdown(card: pd.DataFrame, scale: str) -> str:
    """The scorecard page: header, one short row per claim, then statements and reasons."""
    card = card.fillna("")
    head = [
        "# Claims scorecard",
        "",
        f"Scale: **{scale}**. "
        + (
            "Claims are judged at paper scale; at this scale verdicts may fail and that is "
            "expected."
            if scale != "paper"
            else "This is the scale at which the claims are judged."
        ),
        "",
        "Verdicts: `pass` (the whole 90 % interval meets the threshold), `fail` (it lies "
        "wholly outside, or a run diverged where convergence is expected), `inconclusive` "
        "(the threshold lies inside the interval, or evidence is missing), `not-run`. "
        "*paper*: the source's value; *ours*: what we measured; *interval*: the deciding "
        "check's 90 % interval; –: none.",
        "",
        counts_text(card),
        "",
    ]
    rows = [[r.claim_id, r.verdict, r.paper_value, shorten(r.reproduced_value), r.uncertainty]
            for r in card.itertuples()]
    body = [md.table(["claim", "verdict", "paper", "ours", "interval"], rows), "",
            "## Statements and reasons", ""]
    for n, r in enumerate(card.itertuples(), 1):
        statement = md.norms(" ".join(str(r.statement).split())).rstrip(".")
        why = md.norms(" ".join(str(r.why).split()))
        ours = " ".join(str(r.reproduced_value).split())
        body.append(f"{n}. **{r.claim_id}** ({r.experiment}): {statement}."
                    + (f" *Ours:* {md.norms(ours)}." if ours != shorten(ours) else "")
                    + (f" *Why {r.verdict}:* {why}" if why else ""))
    return "\n".join(head + body) + "\n"


def readme_table(card: pd.DataFrame) -> str:
    """The README's results table: claim, verdict (bold unless pass), statement."""
    rows = [[r.claim_id, r.verdict if r.verdict == "pass" else f"**{r.verdict}**",
             r.statement] for r in card.fillna("").itertuples()]
    return md.table(["claim", "verdict", "statement"], rows)


def update_readme(readme: str, card: pd.DataFrame) -> str:
    """``readme`` with the text between :data:`BEGIN` and :data:`END` replaced by
    :func:`readme_table` (the markers must be there)."""
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    if not pattern.search(readme):
        raise ValueError(f"the README has no block {BEGIN} ... {END}")
    return pattern.sub(lambda _: f"{BEGIN}\n{readme_table(card)}\n{END}", readme)


def scorecard_page(card_path: Path, first_statements: Path | None = None) -> str:
    """``figures/claims.md``: :func:`scorecard_markdown` of the card (its scale from the CSV's
    column), then the first statements of re-specified claims judged on the same data
    (``first_statements``, results/claims/first_statements.csv, where it exists;
    :mod:`wideopt.analysis.judging.first_statements`)."""
    card = read_card(card_path)
    scale = card["scale"].iloc[0] if "scale" in card and len(card) else "unknown"
    firsts = (first_statements_markdown(read_csv(first_statements))
              if first_statements is not None and Path(first_statements).is_file() else "")
    return (scorecard_markdown(card.drop(columns="scale", errors="ignore"), scale)
            + ("\n" + firsts if firsts else ""))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("card", type=Path, help="figures/claims.csv")
    ap.add_argument("--readme", type=Path, help="also rewrite this README's claims table")
    args = ap.parse_args(argv)
    # The same page as the pipeline's claims_markdown rule, first statements included.
    first = args.card.resolve().parent.parent / "results/claims/first_statements.csv"
    args.card.with_suffix(".md").write_text(scorecard_page(args.card, first))
    if args.readme:
        args.readme.write_text(update_readme(args.readme.read_text(), read_card(args.card)))


if __name__ == "__main__":
    main()
