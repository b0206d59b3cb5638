"""Snakemake's HTML report (`snakemake figures --report report.zip`): every caption is clean
reStructuredText, and the report builds, without a docutils message, holding every output of
the catalogue (docs/catalogue.md) and the scorecard: from the published paper-scale record
(no run needed: Snakemake reads the committed outputs; the job metadata of .snakemake is
absent, so it warns "Missing metadata" and the report has no run times) and, in the
integration suite, from a quick run.
"""

import io
import re
import time
import zipfile
from pathlib import Path

import docutils.core
import pytest
from conftest import QUICK, ROOT, copy_repo, snakemake

CAPTIONS = sorted((ROOT / "workflow/report").glob("*.rst"))
# What docutils prints for a problem in a caption, e.g. "<string>:1: (ERROR/3) Undefined
# substitution referenced", and what it leaves in the HTML around the faulty text.
DOCUTILS_MESSAGE = re.compile(r"\((INFO|WARNING|ERROR|SEVERE)/\d\)")
HTML_MARKS = ('class=\\"system-message\\"', 'class="system-message"',
              'class=\\"problematic\\"', 'class="problematic"')


def catalogue() -> dict[str, str]:
    """``{output id: kind}`` of the catalogue's table (kind: figure, table, table + figure)."""
    rows = re.findall(r"^\| `([a-z0-9_]+)` \| ([a-z +]+) \|", (ROOT / "docs/catalogue.md")
                      .read_text(), re.M)
    assert len(rows) >= 25
    return {i: k.strip() for i, k in rows}


def check_report(proc, report: Path) -> dict[str, list[str]]:
    """Assert the report built without docutils messages and holds every catalogue output;
    return ``{file name: [paths in the zip]}``."""
    output = proc.stdout + proc.stderr
    assert "Report created" in output, output[-2000:]
    messages = [line for line in output.splitlines() if DOCUTILS_MESSAGE.search(line)]
    assert not messages, "docutils messages in a caption:\n" + "\n".join(messages)
    with zipfile.ZipFile(report) as z:
        names = z.namelist()
        html = z.read(next(n for n in names if n.endswith("report.html"))).decode()
    assert not [m for m in HTML_MARKS if m in html]
    inside: dict[str, list[str]] = {}
    for n in names:
        inside.setdefault(Path(n).name, []).append(n)
    for ident, kind in catalogue().items():
        assert f"{ident}.png" in inside, f"{ident} ({kind}) is not in the report"
        if "table" in kind:
            assert f"{ident}.csv" in inside, f"the table {ident}.csv is not in the report"
    assert {"claims.csv", "claims.png"} <= set(inside)
    return inside


@pytest.mark.parametrize("caption", CAPTIONS, ids=lambda p: p.stem)
def test_every_caption_is_clean_restructuredtext(caption):
    warnings = io.StringIO()
    docutils.core.publish_doctree(caption.read_text(), settings_overrides={
        "report_level": 1, "halt_level": 5, "warning_stream": warnings})
    assert warnings.getvalue() == "", f"{caption.name}: {warnings.getvalue()}"


def test_a_substitution_in_a_caption_would_be_caught():
    """The check above is not blind: the caption text that used to break the report."""
    warnings = io.StringIO()
    docutils.core.publish_doctree("NGD: |r_{k+1}| vs |r_k|.", settings_overrides={
        "report_level": 1, "halt_level": 5, "warning_stream": warnings})
    assert DOCUTILS_MESSAGE.search(warnings.getvalue())


def test_the_report_builds_from_the_published_record(tmp_path):
    work = copy_repo(tmp_path / "repo", published=True)
    t0 = time.perf_counter()
    proc = snakemake(work, "figures", "--report", "report.zip")
    elapsed = time.perf_counter() - t0
    inside = check_report(proc, work / "report.zip")
    assert len(inside) >= 44, sorted(inside)
    assert elapsed < 60, elapsed


@pytest.mark.integration
def test_the_report_builds_from_a_quick_run(built_quick, tmp_path):
    proc = snakemake(built_quick, "figures", "--configfile", QUICK, "--report",
                     str(tmp_path / "report.zip"))
    check_report(proc, tmp_path / "report.zip")
    html = (built_quick / "report.html").read_text(errors="replace")
    assert not [m for m in HTML_MARKS if m in html]
