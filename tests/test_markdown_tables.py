"""Every committed Markdown table renders with its columns in place.

GitHub splits a table row at every ``|`` not escaped by a backslash, inside code spans too;
a row with more cells than its header shifts its cells (the verdict column then shows a
fragment of a norm), one with fewer leaves blanks. Parsers such as markdown-it-py pad or
truncate rows silently, so the rows are counted here by that rule
(:func:`wideopt.markdown.split_row`), in every committed ``.md`` (figures/, docs/, README.md).
The scorecard's rendered cells (claim id, verdict) must equal ``figures/claims.csv``, and the
README's claims table must be the one written from it.
"""

import re
import subprocess

import pandas as pd
import pytest
from conftest import ROOT

from wideopt import markdown as md
from wideopt.analysis.publishing.scorecard import BEGIN, END, read_card, readme_table


def committed_markdown() -> list[str]:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "ls-files", "*.md"], check=True,
                             capture_output=True, text=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        out = [str(p.relative_to(ROOT)) for p in ROOT.glob("**/*.md")]
    keep = [p for p in out if p == "README.md" or p.startswith(("figures/", "docs/"))]
    assert "figures/claims.md" in keep and "README.md" in keep
    return sorted(keep)


def tables(text: str) -> list[list[tuple[int, str]]]:
    """The pipe tables of a Markdown text: lists of (line number, line), header first;
    fenced code blocks skipped."""
    found, current, fenced = [], [], False
    for n, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        is_row = not fenced and line.lstrip().startswith("|")
        if is_row:
            current.append((n, line))
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return [t for t in found if len(t) >= 2 and set(t[1][1].replace(" ", "")) <= set("|:-")]


def test_split_row_follows_github():
    assert md.split_row("| a | b |") == ["a", "b"]
    assert md.split_row(r"| a \| b | c |") == [r"a \| b", "c"]
    assert md.split_row("| `x | y` | c |") == ["`x", "y`", "c"]  # code spans split too
    assert md.split_row("a | b") == ["a", "b"]


def test_cell_escapes_bars_and_writes_norms():
    assert md.cell("||theta_T - theta_0||/||theta_0||") == "‖theta_T - theta_0‖/‖theta_0‖"
    assert md.cell("|r_K|/|r_0|") == r"\|r_K\|/\|r_0\|"
    assert md.cell("a\n  b") == "a b" and md.cell("") == "–" and md.cell(None) == "–"
    row = "| " + " | ".join(md.cell(c) for c in ["x | y", "||v||", r"already \| escaped"]) + " |"
    assert len(md.split_row(row)) == 3
    with pytest.raises(ValueError, match="row 0 has 1 cells for 2 columns"):
        md.table(["a", "b"], [["only one"]])


@pytest.mark.parametrize("path", committed_markdown())
def test_every_row_has_the_headers_cell_count(path):
    text = (ROOT / path).read_text()
    for table in tables(text):
        width = len(md.split_row(table[0][1]))
        bad = [(n, len(md.split_row(line))) for n, line in table
               if len(md.split_row(line)) != width]
        assert not bad, f"{path}: header at line {table[0][0]} has {width} cells; rows " \
                        f"(line, cells): {bad}"


def test_the_check_catches_an_unescaped_bar():
    bad = "| claim | verdict |\n|---|---|\n| A3 | ||x|| pass |\n"
    (table,) = tables(bad)
    assert [len(md.split_row(line)) for _, line in table] == [2, 2, 6]


def test_scorecard_cells_equal_the_csv():
    card = read_card(ROOT / "figures/claims.csv")
    (table,) = tables((ROOT / "figures/claims.md").read_text())
    header = md.split_row(table[0][1])
    assert header[:2] == ["claim", "verdict"]
    rows = pd.DataFrame([md.split_row(line)[:2] for _, line in table[2:]], columns=header[:2])
    assert rows["claim"].tolist() == card["claim_id"].tolist()
    assert rows["verdict"].tolist() == card["verdict"].tolist()


def test_readme_claims_table_is_written_from_the_csv():
    readme = (ROOT / "README.md").read_text()
    block = readme[readme.index(BEGIN) + len(BEGIN):readme.index(END)].strip()
    assert block == readme_table(read_card(ROOT / "figures/claims.csv")), (
        "README.md's claims table is stale: python -m wideopt.analysis.publishing.scorecard "
        "figures/claims.csv --readme README.md")


def test_readme_counts_equal_the_csv():
    readme = " ".join((ROOT / "README.md").read_text().split())
    m = re.search(r"Of (\d+) claims: \*\*pass (\d+), fail (\d+), inconclusive (\d+)\*\*", readme)
    assert m, "README.md states no verdict counts"
    verdicts = read_card(ROOT / "figures/claims.csv")["verdict"]
    assert [int(x) for x in m.groups()] == [len(verdicts), *(int((verdicts == v).sum())
                                                               for v in ("pass", "fail",
                                                                         "inconclusive"))]


def test_long_values_are_cut_at_group_boundaries_and_kept_in_full_below():
    from wideopt.analysis.publishing.scorecard import scorecard_markdown, shorten

    assert shorten("a; b; c", limit=4) == "a; b; … (1 more)"
    assert shorten("a long first part; b", limit=3) == "a long first part; … (1 more)"
    assert shorten("short") == "short"
    long = "; ".join(f"group{i}: rho=-1, slope=-0.5" for i in range(8))
    card = pd.DataFrame([dict(claim_id="A1", experiment="x", statement="s ||v||", paper_value="",
                              reproduced_value=long, uncertainty="[-1, -1]", verdict="pass",
                              why="")])
    text = scorecard_markdown(card, "paper")
    (table,) = tables(text)
    assert md.split_row(table[2][1])[3].endswith("slope=-0.5; … (5 more)")
    assert f"*Ours:* {long}." in text and "s ‖v‖." in text


def test_scorecard_cli_writes_the_pipelines_page(tmp_path):
    """`python -m wideopt.analysis.publishing.scorecard figures/claims.csv` (the README step of
    publishing) rewrites figures/claims.md exactly as the pipeline wrote it, first statements
    included, so regenerating the README's table never drops them."""
    import shutil

    from wideopt.analysis.publishing import scorecard

    for rel in ("figures/claims.csv", "results/claims/first_statements.csv"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    scorecard.main([str(tmp_path / "figures/claims.csv")])
    page = (tmp_path / "figures/claims.md").read_text()
    assert "## First statements of re-specified claims" in page
    assert page == (ROOT / "figures/claims.md").read_text()
