"""Provenance of a scale's outputs: which code, configuration, machine and runs made them.

Two pieces:

- :func:`record_run`, called by the workflow's ``onstart`` handler (so only by a Snakemake
  invocation that runs jobs, never by a dry run), appends one line to the run ledger
  ``<root>/results/runs.csv``: ``start`` (UTC, ISO 8601), ``commit`` (``git rev-parse HEAD``),
  ``dirty`` (uncommitted changes to tracked files), ``scale`` and ``command`` (the exact
  command line).
- :func:`provenance_markdown` writes ``<root>/figures/PROVENANCE.md``: the commit it was
  written at, a SHA-256 of the resolved configuration, the machine (CPU, cores, memory, torch
  build), the date, the exact command of each run, and per family the time from its
  ``benchmark:`` files (:mod:`wideopt.analysis.publishing.run_times`) with the run(s) its jobs
  ended in: a job belongs to the latest ledger run started before it ended.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from wideopt.analysis.publishing.run_times import read, summarize

LEDGER_COLUMNS = ["start", "commit", "dirty", "scale", "command"]


def git_state(repo: str | Path) -> tuple[str, bool]:
    """``(commit, dirty)`` of the checkout at ``repo``; ``("unknown", False)`` outside git."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                              check=True).stdout.strip()
    try:
        return git("rev-parse", "HEAD"), bool(git("status", "--porcelain",
                                                  "--untracked-files=no"))
    except (OSError, subprocess.CalledProcessError):
        return "unknown", False


def record_run(ledger: str | Path, repo: str | Path, scale: str, argv: Sequence[str],
               now: dt.datetime | None = None) -> None:
    """Append this invocation (start time, commit, dirty flag, scale, command) to ``ledger``."""
    ledger = Path(ledger)
    commit, dirty = git_state(repo)
    now = now or dt.datetime.now(dt.UTC)
    row = pd.DataFrame([dict(start=now.strftime("%Y-%m-%dT%H:%M:%SZ"), commit=commit,
                             dirty=dirty, scale=scale, command=" ".join(argv))],
                       columns=LEDGER_COLUMNS)
    ledger.parent.mkdir(parents=True, exist_ok=True)
    row.to_csv(ledger, mode="a", header=not ledger.exists(), index=False)


def read_ledger(ledger: str | Path) -> pd.DataFrame:
    """The ledger with ``start`` as Unix seconds in ``t``; empty if there is none."""
    ledger = Path(ledger)
    if not ledger.is_file():
        return pd.DataFrame(columns=[*LEDGER_COLUMNS, "t"])
    runs = pd.read_csv(ledger, dtype={"commit": str, "command": str})
    runs["t"] = pd.to_datetime(runs["start"], utc=True).map(lambda x: x.timestamp())
    return runs.sort_values("t", ignore_index=True)


def config_hash(config: Mapping) -> str:
    """SHA-256 of the resolved configuration (canonical JSON: sorted keys)."""
    return hashlib.sha256(json.dumps(config, sort_keys=True, default=str).encode()).hexdigest()


def machine() -> dict[str, str]:
    """CPU model, core count, memory, OS, Python and the torch build of this machine."""
    cpu = platform.processor() or platform.machine()
    meminfo = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        meminfo = dict(line.split(":", 1) for line in
                       Path("/proc/meminfo").read_text().splitlines() if ":" in line)
    except OSError:
        pass
    mem = meminfo.get("MemTotal", "").strip()
    mem = f"{int(mem.split()[0]) / 2**20:.1f} GiB" if mem else "unknown"
    import torch  # here, not at import: the ledger hook must stay cheap

    build = f"CUDA {torch.version.cuda}" if torch.version.cuda else "CPU"
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": mem,
            "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(),
            "torch": f"{torch.__version__} ({build} build, "
                     f"{torch.get_num_threads()} intra-op threads)"}


def _when(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def family_runs(jobs: pd.DataFrame, runs: pd.DataFrame) -> dict[str, list[int]]:
    """Per family, the ledger rows (indices into ``runs``) its jobs ended in."""
    if runs.empty:
        return {fam: [] for fam in jobs.family.unique()}
    idx = runs["t"].searchsorted(jobs["end"].to_numpy(), side="right") - 1
    out: dict[str, list[int]] = {}
    for fam, i in zip(jobs.family, idx, strict=True):
        if i >= 0 and int(i) not in out.setdefault(fam, []):
            out[fam].append(int(i))
    return {fam: sorted(v) for fam, v in out.items()}


def provenance_markdown(results: str | Path, repo: str | Path, scale: str, config: Mapping,
                        cores: int, now: dt.datetime | None = None) -> str:
    """The text of ``PROVENANCE.md`` for the outputs under ``results`` (see module doc)."""
    results = Path(results)
    commit, dirty = git_state(repo)
    runs = read_ledger(results / "runs.csv")
    jobs = read(results)
    lines = [
        "# Provenance", "",
        f"- Scale: **{scale}**",
        f"- Written: {(now or dt.datetime.now(dt.UTC)).strftime('%Y-%m-%d %H:%M UTC')}, "
        f"at commit `{commit}`" + (" (with uncommitted changes)" if dirty else ""),
        f"- Configuration SHA-256 (resolved, canonical JSON): `{config_hash(config)}`",
        *(f"- Machine, {k}: {v}" for k, v in machine().items()), "",
        "## Runs", "",
        "Every Snakemake invocation that ran jobs for this scale (the run ledger "
        "`results/runs.csv`):", "",
    ]
    if runs.empty:
        lines.append("(no run recorded)")
    else:
        lines += ["| run | start | commit | uncommitted changes | command |",
                  "|---|---|---|---|---|"]
        lines += [f"| {i} | {r.start} | `{r.commit[:12]}` | {'yes' if r.dirty else 'no'} | "
                  f"`{r.command}` |" for i, r in runs.iterrows()]
    lines += ["", "## Time per family", "",
              "From the `benchmark:` files of every job "
              "(`python -m wideopt.analysis.publishing.run_times"
              f" results --cores {cores}`). *Elapsed* spans the family's first job start to its "
              "last job end, pauses between runs included; the *bound* max(critical path, "
              f"CPU / {cores}) is what one uninterrupted run on {cores} idle cores approaches.",
              ""]
    if jobs.empty:
        lines.append("(no benchmark files)")
        return "\n".join(lines) + "\n"
    table = summarize(jobs, cores)
    in_runs = family_runs(jobs, runs)
    lines += ["| family | jobs | CPU (min) | summed job wall (min) | elapsed (min) | bound (min) | "
              "first start | last end | run(s) |", "|---|---|---|---|---|---|---|---|---|"]
    for _, r in table.iterrows():
        g = jobs if r.family == "all" else jobs[jobs.family == r.family]
        ids = sorted({i for v in in_runs.values() for i in v}) if r.family == "all" else \
            in_runs.get(r.family, [])
        lines.append(
            f"| {r.family} | {r.jobs} | {r.cpu_sum_s / 60:.1f} | {r.wall_sum_s / 60:.1f} | "
            f"{r.elapsed_s / 60:.1f} | {r.idle_wall_bound_s / 60:.1f} | "
            f"{_when(g.start.min())} | {_when(g.end.max())} | "
            f"{', '.join(str(i) for i in ids) or '–'} |")
    return "\n".join(lines) + "\n"
