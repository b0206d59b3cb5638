"""A sub-DAG of the quick configuration through a real single-node SLURM cluster with the
repo's profile, and the resource mechanics (GPU requests, retry scaling) from dry runs.

The cluster (Debian's slurm-wlm + munge) is installed if missing and started by
workflow/profiles/slurm/local-cluster.sh for the test session, and stopped afterwards (only
the daemons the script started). Skipped, with the reason, only where it cannot be
installed (not root, no apt-get).

Why a sub-DAG and not the whole quick DAG (78 jobs, ~11 min through SLURM on 2 cores): what
the profile can get wrong is per kind of job, not per job. SUBDAG below is chosen to contain
every kind the profile handles, and the test checks that it still does (so a renamed rule
fails loudly here instead of silently shrinking the test):
  - a group job: the "short" group (ntk_data -> ntk_init chains, pinn_data), one submission;
  - a plain CPU job on the default partition (ntk_train);
  - a GPU job (gpu=1: partition `gpu`, `--gpus`), one pinn_train;
  - local rules (localrule: True) run by Snakemake itself (the NTK figure rule).
The whole quick DAG is still built by tests/test_workflow.py (locally).
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import QUICK, ROOT, copy_repo

# The profile's executor; without it every test here would fail on `--profile`, not on SLURM.
pytest.importorskip("snakemake_executor_plugin_slurm",
                    reason="the SLURM executor plugin is the `cluster` extra: "
                           'pip install -c envs/constraints.txt -e ".[dev,cluster]"')

CLUSTER = ROOT / "workflow/profiles/slurm/local-cluster.sh"
PROFILE = "workflow/profiles/slurm"
# Rules whose jobs make up the SLURM sub-DAG (with everything upstream of them): rule name ->
# how many of its jobs (None: all). See the module docstring for why these.
SUBDAG = {"ntk_figures": None, "pinn_train": 1}
# The rules that declare gpu=1 (the GPU convention, workflow/rules/resources.smk).
GPU_RULES = {"operators_train", "pinn_train", "pinn_convergence", "pinn_explain_train",
             "sobolev_train", "open_operators"}
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


@dataclass
class Job:
    rule: str
    local: bool
    output: list[str]
    resources: dict[str, str]


def _local_rules(work: Path) -> set[str]:
    """Rules declared `localrule: True` (a dry run executes everything locally, so its log
    cannot tell; a real run through SLURM logs them as `localrule NAME:`)."""
    names = set()
    for smk in [work / "Snakefile", *sorted((work / "workflow/rules").glob("*.smk"))]:
        for rule in re.finditer(r"^rule (\w+):\n((?:[ \t]+.*\n|\n)*)", smk.read_text(), re.M):
            if re.search(r"^\s+localrule:\s*True", rule.group(2), re.M):
                names.add(rule.group(1))
    return names


def _dry_jobs(work: Path, *args: str) -> list[Job]:
    """The jobs of a dry run with the SLURM profile (`snakemake -n ARGS --profile PROFILE
    --configfile QUICK`; no cluster needed), parsed from its log (group members included)."""
    proc = subprocess.run([sys.executable, "-m", "snakemake", "-n", *args, "--profile", PROFILE,
                           "--configfile", QUICK], cwd=work, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    local, jobs = _local_rules(work), []
    for line in proc.stdout.splitlines():
        if head := re.match(r"\s*(?:local)?rule (\w+):$", line):
            jobs.append(Job(rule=head.group(1), local=head.group(1) in local, output=[],
                            resources={}))
        elif jobs and (out := re.match(r"\s+output: (.*)$", line)):
            jobs[-1].output = out.group(1).split(", ")
        elif jobs and (res := re.match(r"\s+resources: (.*)$", line)):
            jobs[-1].resources = dict(kv.split("=", 1) for kv in res.group(1).split(", "))
    return jobs


def _subdag_targets(work: Path) -> list[str]:
    jobs = _dry_jobs(work, "figures", "--forceall")
    targets = []
    for rule, count in SUBDAG.items():
        outputs = sorted(j.output for j in jobs if j.rule == rule)  # dry-run order varies
        assert outputs, f"no job of rule {rule} in the quick DAG: update SUBDAG in {__file__}"
        targets += [f for o in outputs[:count] for f in o]
    return targets


def _check_subdag_kinds(work: Path, targets: list[str]) -> None:
    """The sub-DAG contains a grouped job, a GPU job, a plain cluster job and a local rule."""
    profile = yaml.safe_load((work / PROFILE / "profile.yaml").read_text())
    jobs = _dry_jobs(work, *targets, "--forceall")
    kinds = {
        "group short": [j.rule for j in jobs if profile["groups"].get(j.rule) == "short"],
        "gpu=1": [j.rule for j in jobs if j.resources.get("gpu") == "1"],
        "local": [j.rule for j in jobs if j.local],
        "plain cluster job": [j.rule for j in jobs if not j.local and j.rule not in
                              profile["groups"] and j.resources.get("gpu") != "1"],
    }
    assert all(kinds.values()), f"the SLURM sub-DAG lacks a kind of job: {kinds}"


@pytest.mark.integration
def test_subdag_through_slurm(slurm_cluster, tmp_path):
    work = copy_repo(tmp_path / "repo")
    targets = _subdag_targets(work)
    _check_subdag_kinds(work, targets)
    log = tmp_path / "snakemake.log"
    t0 = time.monotonic()
    # --verbose: the log then holds each `sbatch call`, so partitions and GPU requests show.
    # Status polls every 3 s, not the profile's 10 s: this cluster's jobs last seconds, and
    # each poll interval is otherwise waited out once per level of the sub-DAG.
    polls = ["--seconds-between-status-checks", "3", "--slurm-init-seconds-before-status-checks",
             "3"]
    rc = _run(work, [*targets, "--profile", PROFILE, "--configfile", QUICK, "--verbose", *polls],
              log, TIMEOUT_S)
    wall = time.monotonic() - t0
    text = log.read_text()
    assert rc == 0, text[-5000:]

    # Every target built: nothing left to do.
    again = subprocess.run([sys.executable, "-m", "snakemake", *targets, "-n", "--configfile",
                            QUICK], cwd=work, capture_output=True, text=True, check=True)
    assert "Nothing to be done" in again.stdout + again.stderr
    assert all((work / f).stat().st_size > 0 for f in targets)

    # Jobs really went through SLURM; grouping made fewer submissions than cluster jobs; the
    # GPU job went to the GPU partition asking for a GPU; the local rules ran here.
    total = int(re.search(r"^total\s+(\d+)$", text, re.M).group(1))
    local = len(re.findall(r"^localrule \w+:", text, re.M))
    submissions = SUBMITTED.findall(text)
    calls = re.findall(r"sbatch call: (.*)", text)
    print(f"SLURM sub-DAG: {wall:.0f} s, {total} jobs ({local} local), "
          f"{len(submissions)} sbatch submissions")
    assert submissions, "no SLURM submissions found in the log"
    assert len(set(submissions)) == len(submissions)
    assert len(submissions) < total - local, (len(submissions), total, local)
    assert "Group job" in text
    assert local >= 1
    gpu_calls = [c for c in calls if re.search(r"-p '?gpu'?(\s|$)", c)]
    assert gpu_calls, calls
    assert all(re.search(r"--gpus?[= ]|--gres[= ]'?gpu", c) for c in gpu_calls), gpu_calls


def _by_output(jobs: list[Job]) -> dict[str, Job]:
    return {j.output[0]: j for j in jobs if j.output}


@pytest.mark.integration
def test_gpu_request_and_retry_scaling(tmp_path):
    """Resources through Snakemake's public interface (workflow/rules/resources.smk), as the
    SLURM profile sees them: exactly the GPU rules ask for gpu=1 unless overridden; every
    cluster job's mem_mb and runtime grow 1.5x per attempt (retry_scaled), attempt 1 unchanged
    (a rule left to the profile's default-resources would not grow, and fails here)."""
    work = copy_repo(tmp_path / "repo")
    first = _by_output(_dry_jobs(work, "figures", "--forceall"))
    third = _by_output(_dry_jobs(work, "figures", "--forceall", "--attempt", "3"))
    scaled = 0
    for out, job in first.items():
        for name in ("mem_mb", "runtime"):
            if job.local or name not in job.resources:
                continue
            base, retry = int(job.resources[name]), int(third[out].resources[name])
            assert retry == int(base * 1.5**2), (job.rule, name, base, retry)
            scaled += 1
    assert scaled > 20
    gpu_rules = {j.rule for j in first.values() if j.resources.get("gpu") == "1"}
    assert gpu_rules == GPU_RULES, gpu_rules
    off = _dry_jobs(work, "figures", "--forceall", "--set-resources", "pinn_train:gpu=0")
    assert not [j for j in off if j.rule == "pinn_train" and j.resources.get("gpu") == "1"]
    assert any(j.resources.get("gpu") == "1" for j in off)
