"""The published paper-scale record agrees with itself and with the current code.

The repository carries one paper-scale run's outputs (README.md, "Results at a glance";
docs/publishing.md).
These tests read only committed files (seconds, no training):

- every claim, re-evaluated by the current evaluators from the committed `results/` tables
  named in `results/claims/inputs.json`, equals the committed `figures/claims.csv`, cell by
  cell, and the checks behind it `results/claims/checks.csv` (compared, and shown on failure,
  by `wideopt compare`): they fail when evaluators and published results drift apart (then
  republish);
- the record says scale `paper` (scorecard, inputs record, PROVENANCE.md);
- every output id of docs/outputs.md's table has its committed files, and the README's
  Results table and docs/reproduction.md state the scorecard's verdicts;
- every published file has the SHA-256 that `figures/MANIFEST.sha256` (written last by the
  `manifest` rule) lists: a figure edited by hand, or left stale by a partial republish, is
  named.
"""

import io
import re
import subprocess

import pandas as pd
from conftest import ROOT

from wideopt.analysis.judging.claims import CATALOGUE
from wideopt.analysis.publishing import compare, manifest
from wideopt.analysis.publishing.published import (
    card_differences,
    reevaluate,
    reevaluate_with_checks,
)
from wideopt.io import write_csv

CARD = ROOT / "figures/claims.csv"
RECORD = ROOT / "results/claims/inputs.json"


def committed_card() -> pd.DataFrame:
    return pd.read_csv(CARD, dtype=str, keep_default_na=False)


def section(text: str, title: str) -> str:
    """The body of the Markdown section ``## title`` (up to the next ``## ``)."""
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert m, f"no section '## {title}'"
    return m.group(1)


def table_rows(text: str) -> list[list[str]]:
    """Cells of the Markdown table rows in ``text`` (header and rule lines dropped)."""
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("|")]
    return [r for r in rows[2:] if r and not set(r[0]) <= set("-: ")]


def test_scorecard_reproduces_from_the_committed_tables(tmp_path):
    fresh, checks = reevaluate_with_checks(RECORD, ROOT)
    # Claim by claim, as `wideopt compare . <fresh>` shows it (verdict flips, values,
    # intervals), and the checks behind the verdicts cell by cell ...
    write_csv(fresh, tmp_path / compare.CARD)
    write_csv(checks, tmp_path / compare.CHECKS)
    c = compare.compare(compare.open_record(str(ROOT), "A"),
                        compare.open_record(str(tmp_path), "B"), tables=False)
    c.tables = [compare.compare_table(compare.CHECKS, *(
        compare.read_table(compare.FolderRecord(r), compare.CHECKS) for r in (ROOT, tmp_path)))]
    assert c.empty, ("the committed scorecard (A) differs from the current evaluators on the "
                     "committed tables (B); republish (README.md, 'Publishing'):\n"
                     + compare.markdown(c, limit=0))
    # ... and the scorecard's text exactly, cell by cell.
    diffs = card_differences(committed_card(), fresh)
    assert not diffs, ("the committed scorecard differs from the current evaluators on the "
                       "committed tables; republish (docs/publishing.md):\n"
                       + "\n".join(diffs))


def test_a_changed_table_is_caught(tmp_path):
    """The comparison is not blind: one committed table edited -> a difference is reported."""
    import json
    import shutil

    record = json.loads(RECORD.read_text())
    name, rel = next(iter(record["families"]["ntk"]["tables"].items()))
    for fam in record["families"].values():
        for p in fam["tables"].values():
            (tmp_path / p).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / p, tmp_path / p)
    df = pd.read_csv(tmp_path / rel)
    num = [c for c in df.columns if c not in ("width", "seed", "n", "step")
           and pd.api.types.is_float_dtype(df[c])]
    df[num] = df[num] * 10.0 ** (df["width"].rank(method="dense").to_numpy()[:, None])
    df.to_csv(tmp_path / rel, index=False)
    assert card_differences(committed_card(), reevaluate(RECORD, tmp_path)), name


def test_the_record_says_paper_scale():
    card = committed_card()
    assert set(card["scale"]) == {"paper"}
    assert '"scale": "paper"' in RECORD.read_text()
    assert "- Scale: **paper**" in (ROOT / "figures/PROVENANCE.md").read_text()
    assert len(card) == len(CATALOGUE) and set(card.verdict) <= {"pass", "fail", "inconclusive"}


def test_every_listed_output_has_its_committed_files():
    rows = table_rows(section((ROOT / "docs/outputs.md").read_text(), "Figures and tables"))
    assert len(rows) >= 25
    tracked = None
    try:
        tracked = set(subprocess.run(["git", "-C", str(ROOT), "ls-files", "figures"],
                                     capture_output=True, text=True, check=True
                                     ).stdout.split())
    except (OSError, subprocess.CalledProcessError):
        pass  # not a git checkout: existence is checked below
    for ident, kind, *_ in rows:
        ident = ident.strip("`")
        exts = (("csv", "md", "png") if "table" in kind else ()) + (
            ("png", "pdf") if "figure" in kind else ())
        assert exts, (ident, kind)
        for ext in exts:
            rel = f"figures/{ident}.{ext}"
            assert (ROOT / rel).is_file(), f"{rel} is not in the published record"
            assert tracked is None or rel in tracked, f"{rel} exists but is not committed"


def test_readme_results_and_report_state_the_scorecard():
    card = committed_card()
    verdicts = dict(zip(card.claim_id, card.verdict, strict=True))
    rows = table_rows(section((ROOT / "README.md").read_text(), "Results at a glance"))
    stated = {r[0].strip("`* "): r[1].strip("`* ") for r in rows if len(r) > 1}
    assert stated == verdicts, "README.md's Results table differs from figures/claims.csv"
    report = (ROOT / "docs/reproduction.md").read_text()
    for cid, verdict in verdicts.items():
        assert re.search(rf"^\| {cid} \| {verdict} \|", report, re.M), (cid, verdict)


def test_record_names_only_committed_tables():
    paths = re.findall(r'"(results/[^"]+)"', RECORD.read_text())
    assert paths
    for path in paths:
        assert (ROOT / path).is_file(), path


def test_every_published_file_matches_the_manifest():
    problems = manifest.verify(ROOT)
    assert not problems, ("the published files differ from figures/MANIFEST.sha256; republish "
                          "(README.md, 'Publishing'):\n" + "\n".join(problems))
    listed = manifest.parse((ROOT / manifest.MANIFEST).read_text())
    assert "figures/claims.csv" in listed and "docs/reproduction.md" in listed
    assert manifest.MANIFEST not in listed and len(listed) >= 100


def test_a_one_byte_change_in_a_figure_is_caught_with_its_name(tmp_path):
    import shutil

    for rel in [*manifest.published_files(ROOT), manifest.MANIFEST]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    assert manifest.verify(tmp_path) == []
    figure = tmp_path / "figures/ntk_drift.png"
    data = bytearray(figure.read_bytes())
    data[len(data) // 2] ^= 0x01                                  # one bit of one byte
    figure.write_bytes(bytes(data))
    assert manifest.verify(tmp_path) == [
        "figures/ntk_drift.png: changed since figures/MANIFEST.sha256 was written "
        "(SHA-256 differs)"]
    (tmp_path / "figures/claims.md").unlink()
    (tmp_path / "figures/extra.png").write_bytes(b"x")
    assert [p.split(":")[0] for p in manifest.verify(tmp_path)] == [
        "figures/claims.md", "figures/ntk_drift.png", "figures/extra.png"]


def test_changes_since_the_last_published_run_are_this_records():
    """results/claims/changes.csv is `wideopt compare <previous> .` of this record: its B side
    is the committed scorecard, every flip and new claim has its reason, the report shows the
    section, and (in a git checkout holding the previous commit) recomputing the comparison
    gives the committed claim rows."""
    import yaml

    from wideopt.analysis.publishing import changes

    diff = pd.read_csv(ROOT / "results/claims/changes.csv", dtype=str)
    notes = yaml.safe_load((ROOT / "workflow/report/changes.yaml").read_text())
    card = committed_card()
    assert changes.stale_claims(diff, card) == [], "republish: rerun wideopt compare"
    assert changes.missing_reasons(diff, notes) == [], "workflow/report/changes.yaml lacks reasons"
    report = (ROOT / "docs/reproduction.md").read_text()
    body = section(report, changes.CHANGES_HEADING)
    for cid in changes.flips(diff):
        assert re.search(rf"^\| {cid} \| \w+ \| {card.set_index('claim_id').verdict[cid]} \|",
                         body, re.M), cid
    for cid in changes.new_claims(diff):
        assert f"| {cid} |" in body, cid
    try:
        a = compare.open_record(str(notes["previous"]), "A", ROOT)
    except compare.CompareError:
        return  # not a git checkout, or a shallow one: the rows were checked against the card
    fresh = compare.rows(compare.compare(a, compare.open_record(str(ROOT), "B")))
    fresh = pd.read_csv(io.StringIO(fresh.to_csv(index=False)), dtype=str)  # as committed
    kinds = ["claim", "claim only", "table only"]

    def claim_rows(df):
        df = df[df["kind"].isin(kinds)][["kind", "item", "column", "a", "b", "note"]]
        return df.fillna("").reset_index(drop=True)

    pd.testing.assert_frame_equal(claim_rows(diff), claim_rows(fresh))
