"""Wall and CPU time of a pipeline run by family, from Snakemake's ``benchmark:`` files.

Every compute rule writes ``results/benchmarks/<family>/<job>.tsv`` (columns ``s`` = wall
seconds, ``cpu_time`` = user + system seconds). Per family this sums them and estimates the
critical path: the slowest job of each stage (data -> training -> aggregation/figures), i.e.
the wall time with unlimited cores. On ``--cores`` cores the run cannot finish faster than
``max(critical path, total CPU / cores)``; that bound is what a run on an idle machine
approaches. Each job's end is its benchmark file's modification time (Snakemake writes the file
when the job ends) and its start that minus its wall time, so a family's elapsed time is the
span from its first job's start to its last job's end. Usage:

    python -m wideopt.analysis.publishing.run_times [RESULTS_DIR] [--cores 2]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

# Stage of a job from its benchmark file name (the rules' naming: data_*, train_*, ...).
STAGES = (("data", 0), ("spectrum", 1), ("init", 1), ("train", 1), ("classical", 1),
          ("gram", 1), ("convergence", 1))


def stage(name: str) -> int:
    return next((s for prefix, s in STAGES if name.startswith(prefix)), 2)


def read(results: Path) -> pd.DataFrame:
    """One row per job: family, job, stage, wall_s, cpu_s, start and end (Unix seconds)."""
    rows = []
    for f in sorted((results / "benchmarks").glob("*/*.tsv")):
        b = pd.read_csv(f, sep="\t").iloc[-1]
        end = f.stat().st_mtime
        rows.append(dict(family=f.parent.name, job=f.stem, stage=stage(f.stem),
                         wall_s=float(b["s"]), cpu_s=float(b["cpu_time"]),
                         start=end - float(b["s"]), end=end))
    return pd.DataFrame(rows)


def summarize(jobs: pd.DataFrame, cores: int) -> pd.DataFrame:
    """Per family, then ``all``: jobs, summed wall and CPU, slowest job, critical path, the
    ``cores``-core bound, and the elapsed time (first start to last end; for ``all`` it spans
    every run, pauses between runs included)."""
    out = []
    for fam, g in jobs.groupby("family"):
        # wall of a job on an idle machine ~ its CPU time (one thread per job)
        per_stage = g.groupby("stage")["cpu_s"].max()
        crit = float(per_stage.sum())
        slow = g.loc[g.cpu_s.idxmax()]
        out.append(dict(family=fam, jobs=len(g), wall_sum_s=g.wall_s.sum(),
                        cpu_sum_s=g.cpu_s.sum(), slowest_job=slow.job,
                        slowest_cpu_s=slow.cpu_s, critical_path_s=crit,
                        idle_wall_bound_s=max(crit, g.cpu_s.sum() / cores),
                        elapsed_s=g.end.max() - g.start.min()))
    df = pd.DataFrame(out)
    total = dict(family="all", jobs=int(df.jobs.sum()), wall_sum_s=df.wall_sum_s.sum(),
                 cpu_sum_s=df.cpu_sum_s.sum(), slowest_job="", slowest_cpu_s=df.slowest_cpu_s.max(),
                 critical_path_s=df.critical_path_s.max(),
                 idle_wall_bound_s=max(df.critical_path_s.max(), df.cpu_sum_s.sum() / cores),
                 elapsed_s=jobs.end.max() - jobs.start.min())
    return pd.concat([df, pd.DataFrame([total])], ignore_index=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", nargs="?", type=Path, default=Path("results"))
    ap.add_argument("--cores", type=int, default=2)
    args = ap.parse_args()
    print(summarize(read(args.results), args.cores).to_markdown(index=False, floatfmt=".0f"))


if __name__ == "__main__":
    main()
