"""The reproduction report (``docs/reproduction.md``): one page for a reader who will never run
anything.

It puts together what the pipeline already wrote: the scorecard ``figures/claims.csv``, each
family's figures (``figures/ID.png``) and rendered tables (``figures/ID.md``), the reasons on
the lines of ``workflow/config/paper.yaml``, and per family a short description of what was
rebuilt (``workflow/report/sources.yaml``). Nothing is recomputed and nothing is invented: a
claim row, an output or a file that is absent is named as missing.

- :func:`config_choices`: our choices where the sources are silent, read from the
  configuration's comments;
- :func:`report_markdown`: the whole report as Markdown.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from pathlib import Path

from wideopt import markdown as md
from wideopt.analysis.judging.claims import CATALOGUE
from wideopt.analysis.judging.first_statements import HEADING as FIRST_HEADING
from wideopt.analysis.judging.first_statements import first_statements_markdown
from wideopt.analysis.judging.outcome import VERDICTS
from wideopt.analysis.publishing.changes import CHANGES_HEADING, changes_markdown
from wideopt.analysis.publishing.findings import HEADING as FINDINGS_HEADING
from wideopt.analysis.publishing.findings import findings_markdown
from wideopt.analysis.publishing.summary import anchor, summary_markdown
from wideopt.io import read_csv

# Sections of the report, in order: (letter, family = output prefix = config section).
SECTIONS = (("A", "operators"), ("B", "sobolev"), ("C", "pinn"), ("D", "ntk"), ("E", "open"))
GENERAL = "general"  # config_choices' section for top-level scalar keys (scale, seeds)

_KEY = re.compile(r"^(?P<indent> *)(?P<key>[^\s#:\-\[\]{},'\"][^:]*?)\s*:(?:\s+(?P<value>.*))?$")


# --- configuration comments -----------------------------------------------------------------
def _split_comment(line: str) -> tuple[str, str]:
    """``(code, comment)`` of one YAML line: the comment starts at the first ``#`` that is
    outside quotes and preceded by whitespace (YAML's rule); ``comment`` is stripped."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip(), line[i + 1:].strip()
    return line.rstrip(), ""


def fixed_by_source(comment: str) -> bool:
    """Whether a config comment marks a value the catalogue or the paper fixes (not ours).

    ``catalogue...`` in any case (``catalogue``, ``catalogue: ...; we ...``, ``Catalogue B2``),
    a bare ``paper``, and ``paper: <what the paper says>`` are the source's; ``paper: ... not
    stated``, ``paper silent: ...``, ``paper allows ...`` and every other comment are ours.
    """
    c = comment.strip().lower()
    if c.startswith("catalogue"):
        return True
    if c == "paper" or c.startswith("paper:"):
        return not ("not stated" in c or "silent" in c)
    return False


def config_choices(config_text: str) -> dict[str, list[tuple[str, str, str]]]:
    """Our choices in a configuration: ``{section: [(dotted key, value as written, reason)]}``.

    A small line parser for the block-style YAML of ``paper.yaml`` (PyYAML drops comments):
    every ``key: value  # comment`` line whose comment is not the source's
    (:func:`fixed_by_source`) gives one entry; a ``key:  # comment`` line that opens a nested
    block gives one with an empty value. The dotted path follows the indentation
    (``pinn.optimizers.SGD``). Sections are the top-level blocks (``ntk``, ``pinn``, ...);
    top-level scalar keys (``scale``, ``seeds``) go to ``general``. Values are kept as written
    (flow lists and mappings included); a ``#`` inside quotes is part of the value. Lines
    without a comment, full-line comments and block-list items (``- x``) give nothing.
    """
    out: dict[str, list[tuple[str, str, str]]] = {}
    stack: list[tuple[int, str]] = []  # (indent, key) of the open blocks
    for raw in config_text.splitlines():
        code, comment = _split_comment(raw)
        m = _KEY.match(code)
        if not m:
            continue
        indent, key, value = len(m["indent"]), m["key"].strip(), (m["value"] or "").strip()
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = [k for _, k in stack] + [key]
        if not value:
            stack.append((indent, key))
        section = path[0] if len(path) > 1 or not value else GENERAL
        if comment and not fixed_by_source(comment):
            out.setdefault(section, []).append((".".join(path), value, comment))
    return out


# --- the report -----------------------------------------------------------------------------
def _table(header: list[str], rows: list[list]) -> list[str]:
    """A Markdown table's lines (:func:`wideopt.markdown.table`: ``|`` escaped, norms as
    ``‖·‖``, empty cells as a dash)."""
    return md.table(header, rows).splitlines()


def _demote(markdown: str, levels: int) -> str:
    """Shift every ATX heading of ``markdown`` down by ``levels`` (at most ``######``);
    fenced code blocks are left alone."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            hashes = len(line) - len(line.lstrip("#"))
            line = "#" * min(6, hashes + levels) + line[hashes:]
        out.append(line)
    return "\n".join(out)


def read_scorecard(path: Path) -> list[dict[str, str]]:
    """The rows of ``claims.csv`` as dicts of strings (empty list if the file is absent)."""
    if not path.is_file():
        return []
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def _family_of(row: Mapping[str, str]) -> str:
    """A scorecard row's family: the catalogue's, else the prefix of its experiment id."""
    known = {c.id: c.family for c in CATALOGUE}
    return known.get(row.get("claim_id", ""), row.get("experiment", "").split("_")[0])


def family_outputs(figures_dir: Path, family: str, order=()) -> dict[str, set[str]]:
    """``{output id: {file suffixes present}}`` for the files ``<family>_*`` in
    ``figures_dir``, ordered as ``order`` (ids not in it follow, alphabetically)."""
    found: dict[str, set[str]] = {}
    if figures_dir.is_dir():
        for p in figures_dir.glob(f"{family}_*.*"):
            found.setdefault(p.stem, set()).add(p.suffix.lstrip("."))
    rank = {i: n for n, i in enumerate(order)}
    return {i: found[i] for i in sorted(found, key=lambda i: (rank.get(i, len(rank)), i))}


def _output_block(ident: str, files: set[str], figures_dir: Path, prefix: str,
                  caption: str) -> list[str]:
    """One output: a figure embedded with its caption, a table inlined from its ``.md``."""
    table, figure = "md" in files, "pdf" in files or ("png" in files and "md" not in files)
    kind = " + ".join(k for k, on in (("table", table), ("figure", figure)) if on) or "files"
    lines = [f"#### `{ident}` ({kind})", ""]
    if caption:
        lines += [caption, ""]
    if figure and "png" in files:
        lines += [f"![{ident}]({prefix}{ident}.png)", ""]
    elif figure:
        lines += [f"Figure: [{ident}.pdf]({prefix}{ident}.pdf) (no PNG).", ""]
    if table:
        links = [f"[{ext}]({prefix}{ident}.{ext})" for ext in ("csv",) if ext in files]
        if "png" in files and not figure:
            links.insert(0, f"[heatmap]({prefix}{ident}.png)")
        if links:
            lines += ["Also: " + ", ".join(links) + ".", ""]
        lines += [_demote((figures_dir / f"{ident}.md").read_text().strip(), 4), ""]
    return lines


def _claims_block(rows: list[dict[str, str]], family: str, have_card: bool) -> list[str]:
    mine = [r for r in rows if _family_of(r) == family]
    expected = [c.id for c in CATALOGUE if c.family == family]
    lines = ["### Claims", ""]
    if not have_card:
        return lines + ["The scorecard `figures/claims.csv` is missing: no verdicts.", ""]
    if mine:
        lines += [f"- **{r.get('claim_id')}**: "
                  + md.norms(" ".join(str(r.get("statement", "")).split())) for r in mine] + [""]
        lines += _table(["id", "verdict", "paper", "ours", "uncertainty", "why"], [
            [r.get("claim_id"), r.get("verdict"), r.get("paper_value"),
             r.get("reproduced_value"), r.get("uncertainty"), r.get("why")] for r in mine]
        ) + [""]
    absent = [c for c in expected if c not in {r.get("claim_id") for r in mine}]
    if absent:
        lines += [f"No scorecard row for claim(s) {', '.join(absent)}.", ""]
    return lines


def _choices_block(choices: list[tuple[str, str, str]], family: str) -> list[str]:
    lines = ["### Our choices where the source is silent", ""]
    if not choices:
        return lines + [f"No commented choice under `{family}:` in the configuration.", ""]
    rows = [[f"`{k}`", f"`{v}`" if v else "*(group)*", r] for k, v, r in choices]
    return lines + _table(["key", "value", "reason"], rows) + [""]


def _header(rows, figures_dir: Path, prefix: str) -> list[str]:
    """The verdict section's opening: scale, provenance, counts and what the verdicts mean."""
    scales = sorted({r["scale"] for r in rows if r.get("scale")})
    scale = ", ".join(scales) if scales else "not stated (claims.csv has no `scale` column)"
    counts = {v: sum(r.get("verdict") == v for r in rows) for v in VERDICTS}
    prov = (f"[`figures/PROVENANCE.md`]({prefix}PROVENANCE.md)"
            if (figures_dir / "PROVENANCE.md").is_file()
            else "`figures/PROVENANCE.md` (absent when this report was written)")
    lines = [
        f"- Scale: **{scale}**. "
        + ("This is the scale at which the claims are judged." if scales == ["paper"] else
           "Claims are judged at paper scale; at another scale verdicts may fail."),
        f"- Provenance (code version, configuration, environment): {prov}.",
    ]
    if rows:
        lines.append("- Scorecard: " + ", ".join(f"{v} {counts[v]}" for v in VERDICTS)
                     + f" (of {len(rows)} claims; `figures/claims.csv`).")
    else:
        lines.append("- Scorecard: `figures/claims.csv` is missing, so no verdicts.")
    lines += [
        "", "Verdicts: `pass` (the whole 90 % interval of the measured value meets the "
        "claim's threshold), `fail` (it lies wholly outside, or a run diverged where "
        "convergence is expected), `inconclusive` (the threshold lies inside the interval, or "
        "evidence is missing), `not-run` (the family was not built). In a claims table, "
        "*paper* is the source's value, *ours* what we measured, *why* the cause of any "
        "verdict other than a clean pass.", ""]
    return lines


def _verdict_table(rows) -> list[str]:
    """Every claim in one table: id, verdict, source section, statement."""
    letter = dict((f, L) for L, f in SECTIONS)
    return _table(["claim", "verdict", "source", "statement"], [
        [r.get("claim_id"), r.get("verdict"), letter.get(_family_of(r), "?"),
         r.get("statement")] for r in rows]) + [""]


def report_markdown(figures_dir: Path, config_text: str, sources: Mapping,
                    link_prefix: str = "../figures/", card: Path | None = None,
                    summary: Mapping | None = None,
                    first_statements: Path | None = None,
                    changes: tuple[Path, Mapping] | None = None) -> str:
    """The reproduction report as Markdown.

    ``figures_dir`` holds the outputs and the scorecard (``card``, by default
    ``figures_dir/claims.csv``); ``config_text`` is the configuration's YAML text (read by
    :func:`config_choices`); ``sources`` maps each family to ``title``, ``seed``,
    ``reproduced`` (a paragraph), optional ``reference`` and ``captions`` (output id -> one
    line; their order is the order of the outputs). Figures and links point to
    ``link_prefix + file`` (the figures folder seen from where the report is written).
    ``summary``: the summary's prose (``scope``, ``how``, ``easy``, ``difficult``; see
    :mod:`wideopt.analysis.publishing.summary`, which adds every number from the record).

    The report opens with the summary, a contents list and the verdict table (every claim).
    Sections A-E follow; each gives the source, what was reproduced, its claims
    (verdict, paper, ours, uncertainty, why), every output found by prefix (figures embedded,
    tables inlined with their headings demoted) and our choices from the configuration.
    Top-level choices (``scale``, ``seeds``) close the report. Missing files are named, never
    filled in. ``first_statements`` (results/claims/first_statements.csv, optional): the first
    statements of re-specified claims, judged on the same data, under their own heading
    after section E (:mod:`wideopt.analysis.judging.first_statements`). ``changes``
    (optional): ``(results/claims/changes.csv, the parsed workflow/report/changes.yaml)``, the
    section "Changes since the last published run" (:mod:`wideopt.analysis.publishing.changes`)
    before the shared settings; omitted when the CSV is absent (a scale never published).
    """
    figures_dir = Path(figures_dir)
    card = figures_dir / "claims.csv" if card is None else Path(card)
    rows = read_scorecard(card)
    choices = config_choices(config_text)
    titles = {f: (sources.get(f) or {}).get("title", f) for _, f in SECTIONS}
    prov = figures_dir / "PROVENANCE.md"
    heads = [f"{letter}. {titles[f]}" for letter, f in SECTIONS]
    lines = [
        "# Reproduction report", "",
        "What this pipeline rebuilt from four works on why wide neural networks are easy to "
        "optimize, claim by claim, with the paper's value beside ours. Every number, figure "
        "and table below was written by the pipeline; this page only gathers them. Section E "
        "turns open questions of the sources into experiments of our own.", ""]
    lines += summary_markdown(rows, summary, prov.read_text() if prov.is_file() else "",
                              _family_of, SECTIONS, {f: titles[f] for _, f in SECTIONS[:4]})
    firsts = (read_csv(first_statements) if first_statements is not None
              and Path(first_statements).is_file() else None)
    findings = findings_markdown(figures_dir, rows)
    diff = (read_csv(changes[0]) if changes is not None and Path(changes[0]).is_file()
            else None)
    tail = ([FINDINGS_HEADING] if findings else []) + (
        [FIRST_HEADING] if firsts is not None and len(firsts) else []) + (
        [CHANGES_HEADING] if diff is not None else [])
    lines += ["## Contents", ""] + [f"- [{h}](#{anchor(h)})" for h in
                                    ["Verdicts", *heads, *tail,
                                     "Settings shared by every section"]]
    lines += ["", "## Verdicts", ""] + _header(rows, figures_dir, link_prefix)
    lines += _verdict_table(rows) if rows else []
    for letter, family in SECTIONS:
        src = sources.get(family, {}) or {}
        captions = src.get("captions", {}) or {}
        lines += [f"## {letter}. {titles[family]}", ""]
        ref = ", ".join(str(x) for x in (
            f"source {letter}" if family != "open" else "", src.get("reference", "")) if x)
        lines += [f"Family `{family}`" + (f"; {ref}" if ref else "") + ".", ""]
        if src.get("reproduced"):
            lines += ["**What was reproduced.** " + " ".join(str(src["reproduced"]).split()), ""]
        lines += _claims_block(rows, family, card.is_file())
        outputs = family_outputs(figures_dir, family, order=list(captions))
        expected = list(captions) + [c.experiment for c in CATALOGUE if c.family == family]
        missing = sorted(set(expected) - set(outputs), key=expected.index)
        lines += ["### Outputs", ""]
        if not outputs:
            lines += ["No output of this family was found in `figures/`"
                      + (f"; missing: {', '.join(f'`{m}`' for m in missing)}." if missing
                         else "."), ""]
        elif missing:
            lines += ["Missing from `figures/`: " + ", ".join(f"`{m}`" for m in missing)
                      + ".", ""]
        for ident, files in outputs.items():
            lines += _output_block(ident, files, figures_dir, link_prefix,
                                   " ".join(str(captions.get(ident, "")).split()))
        lines += _choices_block(choices.get(family, []), family)
    lines += findings
    if firsts is not None and len(firsts):
        lines += first_statements_markdown(firsts).splitlines() + [""]
    if diff is not None:
        csv_link = Path(link_prefix).parent.as_posix() + "/results/claims/changes.csv"
        lines += changes_markdown(diff, changes[1], read_csv(card), csv_link)
    lines += ["## Settings shared by every section", ""]
    lines += _choices_block(choices.get(GENERAL, []), GENERAL)[2:]
    return "\n".join(lines).rstrip() + "\n"
