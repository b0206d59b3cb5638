"""`wideopt compare A B` (src/wideopt/analysis/publishing/compare.py) on the published record.

Each test builds its second record from a copy of the committed paper-scale record with a
known change, and checks that exactly that change is reported (with the expected exit
status): the record vs itself, one table cell edited, one claim evaluator mutated and the
scorecard re-evaluated through it, a quick-like record (scale and widths changed), a commit
read with `git show`, and the unreadable inputs. The integration test compares the record
with a real quick run.
"""

import dataclasses
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, published_files

from wideopt.analysis.judging.claims import CATALOGUE
from wideopt.analysis.publishing import compare as cmp
from wideopt.analysis.publishing.published import reevaluate_with_checks
from wideopt.io import write_csv

TABLE = "figures/pinn_width.csv"
HAS_GIT = shutil.which("git") is not None


def copy_record(dest):
    """The committed record (figures/, results tables) copied under ``dest``."""
    for rel in published_files(ROOT):
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dest / rel)
    return dest


def run(capsys, *argv):
    """(exit status, stdout, stderr) of ``wideopt compare ARGV``."""
    rc = cmp.main([str(a) for a in argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


def edit_cell(path, row, column, factor):
    """Multiply one cell of a CSV in place, keeping every other byte; returns (old, new)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    old = float(df.at[row, column])
    df.at[row, column] = repr(old * factor)
    df.to_csv(path, index=False)
    return old, old * factor


def test_the_record_against_itself_is_an_empty_diff(capsys):
    rc, out, _ = run(capsys, ROOT, ROOT)
    assert rc == 0
    assert "No differences" in out and "Both at scale **paper**" in out
    c = cmp.compare(cmp.open_record(str(ROOT), "A"), cmp.open_record(str(ROOT), "B"),
                    tidy=True)
    assert c.empty and c.claims_shared == len(CATALOGUE) and len(c.tables) >= 30


def test_one_edited_cell_is_exactly_what_is_reported(capsys, tmp_path):
    b = copy_record(tmp_path / "b")
    df = pd.read_csv(ROOT / TABLE)
    row = int(np.flatnonzero((df.optimizer == "NGD") & (df.width == 80))[0])
    old, new = edit_cell(b / TABLE, row, "value", 1.01)
    # Below the tolerance (1e-6): a change in the 9th digit of another cell is no difference.
    edit_cell(b / TABLE, row + 1, "value", 1 + 1e-9)
    rc, out, _ = run(capsys, ROOT, b, "--csv", tmp_path / "diff.csv")
    assert rc == 0, out
    diff = pd.read_csv(tmp_path / "diff.csv", keep_default_na=False)
    assert len(diff) == 1, diff
    d = diff.iloc[0]
    assert (d["kind"], d["item"], d["key"], d["column"]) == (
        "cell", TABLE, "optimizer=NGD, width=80", "value")
    assert float(d.a) == old and float(d.b) == new
    assert d.rel_diff == pytest.approx(0.01 / 1.01, rel=1e-9)   # |a - b| / max(|a|, |b|)
    assert "### figures/pinn_width.csv: 1 cell(s) differ" in out
    assert "1 of " in out and "0 verdict flip(s)" in out
    # A looser tolerance hides it.
    assert run(capsys, ROOT, b, "--rtol", "0.02")[1].count("No differences") == 1


def mutated_d3(original):
    """D3 with its threshold moved from 1e-3 to 1e-12 of the initial loss: every widest-m loss
    ratio now lies above it, so the claim fails."""
    def d3(inputs):
        o = original(inputs)
        checks = [dataclasses.replace(c, upper=1e-12) for c in o.checks]
        return type(o).judge(checks, o.reproduced_value)
    return d3


def test_a_mutated_evaluator_flips_its_verdict(capsys, tmp_path, monkeypatch):
    from wideopt.analysis.judging import claims_ntk

    b = copy_record(tmp_path / "b")
    from wideopt.analysis.judging import claims as engine

    mutant = dataclasses.replace(claims_ntk.D3, evaluator=mutated_d3(claims_ntk.D3.evaluator))
    monkeypatch.setattr(engine, "CATALOGUE",
                        tuple(mutant if c.id == "D3" else c for c in engine.CATALOGUE))
    card, checks = reevaluate_with_checks(b / cmp.CHECKS.replace("checks.csv", "inputs.json"),
                                          b)
    write_csv(card, b / cmp.CARD)
    write_csv(checks, b / cmp.CHECKS)
    committed = pd.read_csv(ROOT / cmp.CARD).set_index("claim_id").verdict
    flipped = {c for c, v in card.set_index("claim_id").verdict.items() if committed[c] != v}
    assert flipped == {"D3"} and committed["D3"] == "pass"   # the mutant's independent effect
    rc, out, _ = run(capsys, ROOT, b, "--csv", tmp_path / "diff.csv")
    assert rc == 1
    assert "1 verdict flip(s)" in out
    assert "| D3 | pass | fail | **flip** |" in out
    diff = pd.read_csv(tmp_path / "diff.csv", keep_default_na=False)
    flips = diff[(diff.kind == "claim") & (diff.column == "verdict")]
    assert list(flips["item"]) == ["D3"] and list(flips.note) == ["flip"]
    # Same data: every check keeps its interval (none of the 3 is disjoint from its old
    # self); the failing check becomes the deciding one, another activation than before.
    d3 = diff[(diff["item"] == "D3") & (diff.column == "interval")].iloc[0]
    assert "disjoint checks: 0 of 3" in d3.note and "deciding group" in d3.note
    assert not (diff.kind == "cell").any()


def test_a_quick_like_record_says_the_scales_differ_and_lists_rows_of_one_side(capsys,
                                                                              tmp_path):
    b = copy_record(tmp_path / "quick")
    card = pd.read_csv(b / cmp.CARD, dtype=str, keep_default_na=False)
    card["scale"] = "quick"
    card.to_csv(b / cmp.CARD, index=False)
    df = pd.read_csv(b / TABLE, dtype=str, keep_default_na=False)
    widest = df.width.astype(int).max()
    df[df.width.astype(int) < widest].to_csv(b / TABLE, index=False)   # fewer widths
    (b / "figures/ntk_slopes.csv").unlink()                             # a table not built
    rc, out, _ = run(capsys, ROOT, b)
    assert rc == 0
    assert out.splitlines()[2].startswith("**The scales differ: A is paper, B is quick.**")
    n_widest = int((df.width.astype(int) == widest).sum())
    assert f"rows only in A: {n_widest}, only in B: 0" in out
    assert f"optimizer=NGD, width={widest}" in out
    assert "Tables only in A: figures/ntk_slopes.csv" in out
    assert "### figures/pinn_width.csv: 0 cell(s) differ" in out


@pytest.mark.skipif(not HAS_GIT, reason="needs git")
def test_a_commit_is_read_with_git_show(capsys, tmp_path):
    repo = copy_record(tmp_path / "repo")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "record"], check=True)
    df = pd.read_csv(repo / TABLE)
    edit_cell(repo / TABLE, 0, "value", 2.0)
    rc, out, _ = run(capsys, "HEAD", repo, "--repo", repo, "--csv", "-")
    assert rc == 0
    diff = pd.read_csv(__import__("io").StringIO(out), keep_default_na=False)
    assert list(diff["item"]) == [TABLE] and list(diff.column) == ["value"]
    assert diff.key[0] == f"optimizer={df.optimizer[0]}, width={df.width[0]}"
    # Nothing is checked out: the working tree keeps the edit.
    assert pd.read_csv(repo / TABLE).value[0] == 2.0 * df.value[0]
    # A commit without a record.
    (tmp_path / "empty").mkdir()
    subprocess.run(["git", "-C", str(tmp_path / "empty"), "init", "-q"], check=True)
    (tmp_path / "empty/x").write_text("x")
    subprocess.run(["git", "-C", str(tmp_path / "empty"), "-c", "user.name=t", "-c",
                    "user.email=t@t", "commit", "-qm", "x", "--allow-empty"], check=True)
    rc, _, err = run(capsys, "HEAD", repo, "--repo", tmp_path / "empty")
    assert rc == 2 and "A: commit" in err and "figures/claims.csv is missing" in err


def test_unreadable_inputs_exit_2_naming_what_is_missing(capsys, tmp_path):
    rc, _, err = run(capsys, ROOT, tmp_path / "nowhere")
    assert rc == 2 and "B: 'nowhere'" not in err and "nowhere" in err
    assert "neither a folder nor a commit" in err
    (tmp_path / "empty").mkdir()
    rc, _, err = run(capsys, tmp_path / "empty", ROOT)
    assert rc == 2 and err.startswith("wideopt compare: A: folder") and "claims.csv" in err
    b = copy_record(tmp_path / "b")
    (b / TABLE).write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    rc, _, err = run(capsys, ROOT, b)
    assert rc == 2 and "pinn_width.csv" in err and "not text" in err
    (b / TABLE).write_text('optimizer,width,value\nNGD,"20\n')
    rc, _, err = run(capsys, ROOT, b)
    assert rc == 2 and "pinn_width.csv is not a readable CSV table" in err
    shutil.copy(ROOT / TABLE, b / TABLE)
    card = pd.read_csv(b / cmp.CARD).drop(columns="verdict")
    card.to_csv(b / cmp.CARD, index=False)
    rc, _, err = run(capsys, ROOT, b)
    assert rc == 2 and "lacks the columns ['verdict']" in err


def test_rel_diff_is_the_stated_formula():
    a = np.array([1.0, 0.0, np.nan, np.nan, 2.0, np.inf, -1.0])
    b = np.array([1.1, 0.0, np.nan, 3.0, -2.0, np.inf, -1.0 - 1e-7])
    expected = [0.1 / 1.1, 0.0, 0.0, np.inf, 2.0, 0.0, 1e-7 / (1 + 1e-7)]
    # rtol 1e-8: the last element carries the rounding of 1 + 1e-7 (~1e-16 / 1e-7).
    np.testing.assert_allclose(cmp.rel_diff(a, b), expected, rtol=1e-8)


def test_the_console_script_is_declared_and_torch_free():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["wideopt"] == "wideopt.cli:main"
    code = ("import sys, wideopt.cli as c; rc = c.main(['compare', '.', '.']); "
            "assert 'torch' not in sys.modules; sys.exit(rc)")
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": ""}
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "No differences" in proc.stdout
    assert time.perf_counter() - t0 < 5
    # The installed script itself, where the package was installed with it (CI's fresh venv).
    exe = shutil.which("wideopt", path=str(Path(sys.executable).parent))
    if exe:
        proc = subprocess.run([exe, "compare", ".", "."], cwd=ROOT, capture_output=True,
                              text=True, env={**env, "PATH": str(Path(sys.executable).parent)})
        assert proc.returncode == 0 and "No differences" in proc.stdout, proc.stderr


@pytest.mark.integration
def test_the_published_record_against_a_quick_run(built_quick):
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "wideopt.cli", "compare", ".", "quick"],
                          cwd=built_quick, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""})
    elapsed = time.perf_counter() - t0
    assert proc.returncode in (0, 1), proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[2].startswith("**The scales differ: A is paper, B is quick.**")
    card_a = pd.read_csv(built_quick / cmp.CARD).set_index("claim_id").verdict
    card_b = pd.read_csv(built_quick / "quick" / cmp.CARD).set_index("claim_id").verdict
    flips = sorted(c for c in card_a.index if card_a[c] != card_b[c])
    assert proc.returncode == (1 if flips else 0)
    assert f"## Claims: {len(flips)} verdict flip(s)" in proc.stdout
    assert "Rows only in A" in proc.stdout          # paper-scale widths quick does not run
    assert elapsed < 5, elapsed
