"""kill -9 of a whole Snakemake run, then a rerun: complete outputs, equal to an unbroken run's.

Snakemake marks outputs of running jobs as incomplete (and `--rerun-incomplete` rebuilds
them); our writers (wideopt.io) rename a finished temporary file onto the target, so a killed
job never leaves a truncated target.
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pandas as pd
import pytest
from conftest import QUICK, copy_repo

pytestmark = pytest.mark.integration

# Section D's quick outputs (the DAG: data -> init/train -> aggregate -> table, figures).
# (The quick scale writes under quick/.)
TARGETS = [f"quick/figures/{f}" for f in ("ntk_slopes.csv", "ntk_slopes.md", "ntk_slopes.png",
                                          "ntk_drift.png", "ntk_drift.pdf")]


def _snakemake(work: Path, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "snakemake", "--cores", "2", *TARGETS,
                             "--configfile", QUICK, *args], cwd=work,
                            stdout=kw.pop("stdout"), stderr=subprocess.STDOUT,
                            start_new_session=True, **kw)


def _running(incomplete: Path) -> bool:
    """Whether Snakemake has a started, unfinished job (a marker file in .snakemake/incomplete)."""
    return incomplete.is_dir() and any(p.is_file() and p.name != "migration_underway"
                                       for p in incomplete.rglob("*"))


def test_kill_9_mid_run_then_rerun_completes(tmp_path, built_quick):
    work = copy_repo(tmp_path / "repo")
    log = tmp_path / "first.log"
    with open(log, "w") as fh:
        proc = _snakemake(work, stdout=fh)
        deadline = time.monotonic() + 900
        incomplete = work / ".snakemake/incomplete"
        # Kill once >= 1 job has finished and >= 1 is running. "Running" is read from
        # Snakemake's own markers (one file per output of a started job, removed when it
        # ends), checked right before the kill: the log's "rule ...:" lines can count a job
        # that has already finished by the time the kill lands.
        while True:
            finished = len(re.findall(r"^Finished jobid", log.read_text(), re.M))
            if finished >= 1 and _running(incomplete):
                break
            assert proc.poll() is None, f"run ended before it could be killed:\n{log.read_text()}"
            assert time.monotonic() < deadline, "no job finished in time"
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)  # snakemake and every job it started
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _running(incomplete), "no job was running at the kill"

    # The killed run's lock stays: a rerun needs `--unlock` first (what a user does, too).
    with open(tmp_path / "unlock.log", "w") as fh:
        assert _snakemake(work, "--unlock", stdout=fh).wait(timeout=300) == 0
    with open(tmp_path / "rerun.log", "w") as fh:
        rerun = _snakemake(work, "--rerun-incomplete", stdout=fh)
        assert rerun.wait(timeout=1800) == 0, (tmp_path / "rerun.log").read_text()[-4000:]

    for target in TARGETS:
        assert (work / target).stat().st_size > 0, target
    # Every file the run wrote is whole: pandas reads every CSV, NumPy every npz, images load.
    files = [p for d in ("quick/results", "quick/figures")
             for p in (work / d).rglob("*") if p.is_file()
             and not p.name.startswith(".")]
    for path in files:
        if path.suffix == ".csv":
            assert len(pd.read_csv(path).columns) > 0, path
        elif path.suffix == ".npz":
            with np.load(path) as z:
                assert [z[k].shape for k in z.files], path
        elif path.suffix == ".png":
            assert mpimg.imread(path).size > 0, path
        elif path.suffix == ".pdf":
            assert path.read_bytes().rstrip().endswith(b"%%EOF"), path
    assert any(p.suffix == ".csv" for p in files)
    # And Snakemake agrees nothing is left to do.
    done = subprocess.run([sys.executable, "-m", "snakemake", "-n", *TARGETS, "--configfile",
                           QUICK], cwd=work, capture_output=True, text=True)
    assert "Nothing to be done" in done.stdout + done.stderr, done.stdout[-3000:]

    # ... and equal to an uninterrupted run's: every table of section D, cell by cell (the
    # session's quick build ran the same jobs in one go; metrics are deterministic).
    tables = sorted(p.relative_to(work) for p in (work / "quick/results/ntk").rglob("*.csv"))
    assert tables
    for rel in tables:
        pd.testing.assert_frame_equal(pd.read_csv(work / rel), pd.read_csv(built_quick / rel),
                                      check_exact=True, obj=str(rel))

