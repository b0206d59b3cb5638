"""The quick DAG through a real single-node SLURM cluster with the repo's profile.

The cluster (Debian's slurm-wlm + munge) is installed if missing and started by
workflow/profiles/slurm/local-cluster.sh for the test session, and stopped afterwards (only
the daemons the script started). Skipped, with the reason, only where it cannot be
installed (not root, no apt-get).
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import QUICK, ROOT, copy_repo

CLUSTER = ROOT / "workflow/profiles/slurm/local-cluster.sh"
PROFILE = "workflow/profiles/slurm"
# A hang (the status-check pitfall) shows up as this timeout, not as a stuck CI job.
TIMEOUT_S = int(os.environ.get("WIDEOPT_SLURM_TEST_TIMEOUT", "3600"))
SUBMITTED = re.compile(r"has been submitted with SLURM jobid (\d+)")


def _cluster(cmd: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(CLUSTER), cmd], capture_output=True, text=True, **kw)


@pytest.fixture(scope="session")
def slurm_cluster(tmp_path_factory):
    """A running single-node SLURM cluster (started here unless one already runs)."""
    conf = Path(os.environ.get("WIDEOPT_SLURM_DIR", "/tmp/wideopt-slurm")) / "slurm.conf"
    if _cluster("status").returncode == 0:
        os.environ.setdefault("SLURM_CONF", str(conf))
        yield  # someone else's: leave it running
        return
    have = all(shutil.which(b) for b in ("slurmctld", "slurmd", "munged", "sbatch"))
    if not have and (os.geteuid() != 0 or shutil.which("apt-get") is None):
        pytest.skip("SLURM is not installed and cannot be: installing slurm-wlm and munge "
                    "needs root and apt-get")
    start = _cluster("start", timeout=900)
    if start.returncode == 3:
        pytest.skip(f"SLURM could not be installed: {start.stderr.strip()}")
    assert start.returncode == 0, f"local cluster failed to start:\n{start.stderr}"
    old = os.environ.get("SLURM_CONF")
    os.environ["SLURM_CONF"] = str(conf)  # clients (sbatch, squeue) find this cluster
    try:
        yield
    finally:
        _cluster("stop", timeout=120)
        if old is None:
            os.environ.pop("SLURM_CONF", None)
        else:
            os.environ["SLURM_CONF"] = old


def _run(workdir: Path, args: list[str], log: Path, timeout: float) -> int:
    """Run snakemake in its own process group; kill the whole group on timeout."""
    with open(log, "w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "snakemake", *args], cwd=workdir,
                                stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            ids = SUBMITTED.findall(log.read_text())
            if ids:  # cancel what this run submitted, nothing else
                subprocess.run(["scancel", *ids], capture_output=True)
            pytest.fail(f"snakemake through SLURM hung (> {timeout:.0f} s); log: {log}")


def _job_count(dry_run_output: str) -> tuple[int, int]:
    """(all jobs, jobs run locally) from a run's log: its job table and `localrule` headers."""
    total = int(re.search(r"^total\s+(\d+)$", dry_run_output, re.M).group(1))
    local = len(re.findall(r"^localrule \w+:", dry_run_output, re.M))
    return total, local


@pytest.mark.integration
def test_quick_dag_through_slurm(slurm_cluster, tmp_path):
    work = copy_repo(tmp_path / "repo")
    log = tmp_path / "snakemake.log"
    t0 = time.monotonic()
    rc = _run(work, ["figures", "--profile", PROFILE, "--configfile", QUICK], log, TIMEOUT_S)
    wall = time.monotonic() - t0
    text = log.read_text()
    assert rc == 0, text[-5000:]

    # Every output built: nothing left to do, and every figure/table target exists.
    again = subprocess.run([sys.executable, "-m", "snakemake", "figures", "-n", "--configfile",
                            QUICK], cwd=work, capture_output=True, text=True, check=True)
    assert "Nothing to be done" in again.stdout + again.stderr
    assert (work / "figures/claims.csv").stat().st_size > 0

    # Jobs really went through SLURM, and grouping made fewer submissions than jobs.
    total, local = _job_count(text)
    remote = total - local
    submissions = SUBMITTED.findall(text)
    assert submissions, "no SLURM submissions found in the log"
    assert len(set(submissions)) == len(submissions)
    print(f"quick DAG via SLURM: {wall:.0f} s, {total} jobs ({remote} cluster, {local} local), "
          f"{len(submissions)} sbatch submissions")
    assert len(submissions) < remote, (len(submissions), remote)
    assert "Group job" in text


def _dry_resources(work: Path, target: str, *args: str) -> dict[str, str]:
    out = subprocess.run([sys.executable, "-m", "snakemake", "-n", "--forcerun", target,
                          "--configfile", QUICK, *args], cwd=work, capture_output=True,
                         text=True, check=True).stdout
    # The resources of the job that writes `target`: its upstream jobs are in the dry run too,
    # in an order that can change between runs, so the first "resources:" line is not it.
    for block in re.split(r"\n(?=\S)", out):
        if re.search(rf"^\s+output: .*{re.escape(target)}", block, re.M):
            line = re.search(r"^\s+resources: (.*)$", block, re.M).group(1)
            return dict(kv.split("=", 1) for kv in line.split(", "))
    raise AssertionError(f"no job in the dry run writes {target}:\n{out}")


@pytest.mark.integration
def test_gpu_request_and_retry_scaling(tmp_path):
    """workflow/rules/cluster.smk: GPU rules ask for gpu=1 unless overridden; mem_mb and
    runtime grow 1.5x per attempt, attempt 1 unchanged."""
    work = copy_repo(tmp_path / "repo")
    target = "results/ntk/train/ntk/relu.csv"
    first = _dry_resources(work, target)
    third = _dry_resources(work, target, "--attempt", "3")
    assert "gpu" not in first
    assert int(third["mem_mb"]) == int(int(first["mem_mb"]) * 1.5**2)
    assert int(third["runtime"]) == int(int(first["runtime"]) * 1.5**2)
    out = subprocess.run([sys.executable, "-m", "snakemake", "-n", "figures", "--configfile",
                          QUICK, "--forceall"], cwd=work, capture_output=True, text=True,
                         check=True).stdout
    blocks = re.findall(r"^rule (\w+):\n(?:\s+.*\n)*?\s+resources: (.*)$", out, re.M)
    gpu_rules = {r for r, res in blocks if "gpu=1" in res}
    assert gpu_rules and gpu_rules <= {"operators_train_deeponet", "operators_train_fno",
                                       "pinn_train", "pinn_convergence_run"}, gpu_rules
    off = subprocess.run([sys.executable, "-m", "snakemake", "-n", "figures", "--configfile",
                          QUICK, "--forceall", "--set-resources", "pinn_train:gpu=0"],
                         cwd=work, capture_output=True, text=True, check=True).stdout
    assert not any(r == "pinn_train" and "gpu=1" in res for r, res in
                   re.findall(r"^rule (\w+):\n(?:\s+.*\n)*?\s+resources: (.*)$", off, re.M))
