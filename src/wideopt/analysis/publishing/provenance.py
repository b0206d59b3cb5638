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
  ended in: a job belongs to the latest ledger run started before it ended. Then the
  environment a reviewer needs to repeat it (:func:`environment_markdown`): the torch build
  with its BLAS/LAPACK (``torch.__config__.show()``) and threads
  (``torch.__config__.parallel_info()``), numpy's BLAS (``numpy.show_config``), the CPU model
  and flags (``/proc/cpuinfo``), the deterministic settings every torch job runs under
  (:func:`wideopt.jobs.configure_torch`), CUDA/cuDNN and the GPU when one is visible or a job's
  log says Lightning used one, and every installed distribution with its version
  (``importlib.metadata``), each that differs from the lock ``envs/constraints.txt`` flagged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import re
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
    env = environment_markdown(repo, results)
    if jobs.empty:
        lines.append("(no benchmark files)")
        return "\n".join(lines) + "\n\n" + env
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
    return "\n".join(lines) + "\n\n" + env


# ----------------------------------------------------------------------------- environment

def _norm(name: str) -> str:
    """A distribution name normalized as PEP 503 does (case, runs of -_. are one '-')."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins(constraints: str | Path) -> dict[str, str]:
    """``{normalized name: version}`` of the ``name==version`` lines of a constraints file."""
    pins = {}
    path = Path(constraints)
    for line in path.read_text().splitlines() if path.is_file() else []:
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = (x.strip() for x in line.split("==", 1))
            pins[_norm(name)] = version
    return pins


def installed() -> dict[str, tuple[str, str]]:
    """``{normalized name: (name, version)}`` of every installed distribution."""
    from importlib.metadata import distributions

    out = {}
    for d in distributions():
        name = d.metadata["Name"]
        if name:
            out.setdefault(_norm(name), (name, d.version))
    return out


def package_rows(pins: dict[str, str], dists: dict[str, tuple[str, str]]
                 ) -> list[tuple[str, str, str, str]]:
    """``(name, installed, locked, flag)`` per distribution, installed or locked, by name.
    ``flag``: "" when the installed version is the lock's (a local build label such as
    ``+cpu`` ignored, as pip's ``==`` does), else "differs", "not in the lock" or
    "locked, not installed"."""
    rows = []
    for key in sorted(set(pins) | set(dists)):
        name, version = dists.get(key, (key, ""))
        pin = pins.get(key, "")
        if not version:
            flag = "locked, not installed"
        elif not pin:
            flag = "not in the lock"
        else:
            flag = "" if version.split("+")[0] == pin.split("+")[0] else "differs"
        rows.append((name, version, pin, flag))
    return rows


def cpu_info(cpuinfo: str | Path = "/proc/cpuinfo") -> tuple[str, str]:
    """``(model name, flags)`` of the first CPU in ``/proc/cpuinfo`` ("unknown" elsewhere)."""
    model, flags = platform.processor() or platform.machine() or "unknown", "unknown"
    try:
        for line in Path(cpuinfo).read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and model in (platform.processor(),
                                                          platform.machine(), "unknown"):
                model = value.strip()
            elif key.strip() == "flags" and flags == "unknown":
                flags = value.strip()
    except OSError:
        pass
    return model, flags


def numpy_blas() -> str:
    """numpy's BLAS and LAPACK (name, version, configuration) from ``numpy.show_config``."""
    import numpy as np

    try:
        deps = np.show_config(mode="dicts")["Build Dependencies"]
    except (TypeError, KeyError, ValueError):
        return "unknown"
    return "; ".join(f"{k}: {v.get('name', '?')} {v.get('version', '')} "
                     f"({v.get('openblas configuration', '').strip() or 'no details'})".strip()
                     for k, v in deps.items() if k in ("blas", "lapack"))


def gpu_jobs(results: str | Path) -> int:
    """How many job logs under ``results/logs`` say Lightning used a GPU."""
    logs = Path(results) / "logs"
    return sum("used: True" in p.read_text(errors="replace") for p in logs.rglob("*.log")
               ) if logs.is_dir() else 0


def environment_markdown(repo: str | Path, results: str | Path) -> str:
    """The environment sections of ``PROVENANCE.md`` (module doc)."""
    import numpy as np
    import torch  # here, not at import: the ledger hook must stay cheap

    from wideopt.jobs import configure_torch

    default_threads = (torch.get_num_threads(), torch.get_num_interop_threads())
    parallel = torch.__config__.parallel_info().strip()   # before configure_torch
    # What every torch job runs under, read back after applying it; then restored, so that
    # calling this leaves the process as it was.
    saved = (torch.are_deterministic_algorithms_enabled(),
             os.environ.get("CUBLAS_WORKSPACE_CONFIG"))
    try:
        configure_torch(1)
        deterministic = (torch.are_deterministic_algorithms_enabled(),
                         os.environ.get("CUBLAS_WORKSPACE_CONFIG"))
    finally:
        torch.use_deterministic_algorithms(saved[0])
        torch.set_num_threads(default_threads[0])
        if saved[1] is None:
            os.environ.pop("CUBLAS_WORKSPACE_CONFIG", None)
    model, flags = cpu_info()
    cuda = torch.cuda.is_available()
    used = gpu_jobs(results)
    lines = [
        "## Environment", "",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.release()} {platform.machine()}",
        f"- CPU: {model}; flags: {flags}",
        f"- numpy {np.__version__}, BLAS/LAPACK: {numpy_blas()}",
        f"- torch {torch.__version__}: intra-op threads {default_threads[0]}, inter-op "
        f"{default_threads[1]} by default in this process; every job that imports torch sets "
        "intra-op threads to its rule's `threads:` (`wideopt.jobs.configure_torch`)",
        "- Deterministic settings every torch job runs under (`wideopt.jobs.configure_torch`, "
        "read back here after applying it): "
        f"`torch.are_deterministic_algorithms_enabled()` = {deterministic[0]}, "
        f"`CUBLAS_WORKSPACE_CONFIG` = `{deterministic[1]}`, "
        f"`torch.backends.cudnn.deterministic` = {torch.backends.cudnn.deterministic}, "
        f"`torch.backends.cudnn.benchmark` = {torch.backends.cudnn.benchmark}; Lightning "
        "trainers take `deterministic=True`; seeds are set per run from the configuration",
        "- Thread variables: " + ", ".join(
            f"`{k}` = {os.environ.get(k, 'not set')}"
            for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                      "WIDEOPT_ACCELERATOR")),
        f"- CUDA: torch built with CUDA {torch.version.cuda or 'none (CPU build)'}; cuDNN "
        f"{torch.backends.cudnn.version() if cuda else 'n/a'}; GPU visible here: "
        + (torch.cuda.get_device_name(0) if cuda else "none")
        + f"; job logs saying Lightning used a GPU: {used}",
        "", "### torch build (`torch.__config__.show()`)", "", "```",
        torch.__config__.show().strip(), "```", "",
        "### torch threads in this process (`torch.__config__.parallel_info()`)", "", "```",
        parallel, "```", "",
    ]
    rows = package_rows(lock_pins(Path(repo) / "envs/constraints.txt"), installed())
    flagged = [r for r in rows if r[3]]
    lines += ["## Installed distributions", "",
              f"Every distribution installed in the environment that wrote this file "
              f"(`importlib.metadata`), {sum(1 for r in rows if r[1])} in all, beside its pin "
              f"in the lock `envs/constraints.txt`; {len(flagged)} flagged (a version that "
              "differs from the lock, one the lock does not list, or a locked one missing; a "
              "local build label such as `+cpu` is not a difference).", "",
              "| distribution | installed | lock | flag |", "|---|---|---|---|",
              *(f"| {n} | {v or '–'} | {p or '–'} | {f and f'**{f}**'} |"
                for n, v, p, f in rows)]
    return "\n".join(lines) + "\n"
