"""The publishing helpers on synthetic inputs: run ledger, per-family times, PROVENANCE.md
(with its environment: packages against the lock, torch build, BLAS, CPU, determinism), and
the scorecard comparison behind tests/test_published.py."""

import datetime as dt
import os
import subprocess

import pandas as pd

from wideopt.analysis.publishing.provenance import (
    family_runs,
    installed,
    lock_pins,
    package_rows,
    provenance_markdown,
    read_ledger,
    record_run,
)
from wideopt.analysis.publishing.published import card_differences, inputs_record
from wideopt.analysis.publishing.run_times import read, summarize

T0 = dt.datetime(2026, 12, 5, 10, 0, tzinfo=dt.UTC)


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def bench(results, family, job, wall, cpu, end):
    """A Snakemake benchmark file that ended at ``end`` (a datetime)."""
    f = results / "benchmarks" / family / f"{job}.tsv"
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_text(f"s\th:m:s\tmax_rss\tcpu_time\n{wall}\t0:00:00\t1\t{cpu}\n")
    os.utime(f, (end.timestamp(), end.timestamp()))


def test_ledger_records_commit_dirty_flag_and_command(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "a.txt").write_text("1")
    git(repo, "add", "a.txt")
    git(repo, "-c", "user.email=x@y", "-c", "user.name=x", "commit", "-q", "-m", "one")
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    ledger = tmp_path / "results/runs.csv"
    record_run(ledger, repo, "paper", ["snakemake", "--cores", "2", "figures"], now=T0)
    (repo / "a.txt").write_text("2")
    record_run(ledger, repo, "paper", ["snakemake", "figures"], now=T0 + dt.timedelta(hours=1))
    runs = read_ledger(ledger)
    assert list(runs.commit) == [head, head]
    assert list(runs.dirty) == [False, True]
    assert runs.command[0] == "snakemake --cores 2 figures"
    assert runs.t[1] - runs.t[0] == 3600
    record_run(tmp_path / "other.csv", tmp_path / "not-a-repo", "quick", ["snakemake"], now=T0)
    assert read_ledger(tmp_path / "other.csv").commit[0] == "unknown"


def test_times_and_runs_per_family(tmp_path):
    results = tmp_path / "results"
    h = dt.timedelta(hours=1)
    bench(results, "ntk", "train_a", 600, 540, T0 + 0.5 * h)      # run 0
    bench(results, "ntk", "figures", 60, 30, T0 + 0.6 * h)        # run 0
    bench(results, "pinn", "train_b", 1200, 1100, T0 + 3 * h)     # run 1
    pd.DataFrame(dict(start=["2026-12-05T10:00:00Z", "2026-12-05T12:00:00Z"],
                      commit=["a" * 40, "b" * 40], dirty=[False, False],
                      scale=["paper"] * 2, command=["snakemake figures"] * 2)
                 ).to_csv(results / "runs.csv", index=False)
    jobs = read(results)
    table = summarize(jobs, cores=2).set_index("family")
    assert table.at["ntk", "cpu_sum_s"] == 570 and table.at["ntk", "jobs"] == 2
    # first start 10:30 - 600 s = 10:20, last end 10:36: 16 min
    assert abs(table.at["ntk", "elapsed_s"] - 960) < 1e-6
    assert abs(table.at["all", "elapsed_s"] - (3 * 3600 - 1200)) < 1e-6
    assert family_runs(jobs, read_ledger(results / "runs.csv")) == {"ntk": [0], "pinn": [1]}
    text = provenance_markdown(results, tmp_path, "paper", {"seeds": [0, 1]}, cores=2, now=T0)
    assert "- Scale: **paper**" in text
    assert "| ntk | 2 | 9.5 | 11.0 | 16.0 |" in text          # CPU, summed wall, elapsed (min)
    assert "| pinn | 1 | 18.3 |" in text and "| 1 |" in text.split("| pinn |")[1].split("\n")[0]
    assert f"`{'b' * 12}`" in text


def test_config_hash_changes_with_the_config(tmp_path):
    a = provenance_markdown(tmp_path, tmp_path, "paper", {"seeds": [0, 1]}, cores=2, now=T0)
    b = provenance_markdown(tmp_path, tmp_path, "paper", {"seeds": [0, 2]}, cores=2, now=T0)
    line = [s for s in a.splitlines() if "SHA-256" in s][0]
    assert line not in b and "(no benchmark files)" in a


def test_card_differences_name_each_cell():
    card = pd.DataFrame(dict(claim_id=["A1", "B1"], verdict=["pass", "fail"],
                             reproduced_value=[0.5, 1e-3], why=["", "x"]))
    assert card_differences(card, card.copy()) == []
    other = card.copy()
    other.loc[1, "verdict"] = "pass"
    other.loc[0, "reproduced_value"] = 0.5000000001
    assert card_differences(card, other) == [
        "A1 reproduced_value: '0.5' != '0.50000000010000001'", "B1 verdict: 'fail' != 'pass'"]
    assert "claims only in the committed card: ['B1']" in card_differences(card, other[:1])


def test_inputs_record_separates_tables_from_settings():
    text = inputs_record({"ntk": {"runs": "results/ntk/runs.csv", "fit_min_width": 100}},
                         {"ntk": ["runs"]}, "paper")
    assert '"fit_min_width": 100' in text and '"runs": "results/ntk/runs.csv"' in text
    assert '"scale": "paper"' in text


def test_packages_are_flagged_against_the_lock(tmp_path):
    lock = tmp_path / "constraints.txt"
    lock.write_text("# header\nnumpy==2.4.6\ntorch==2.13.0\nTyping_Extensions==4.1\n"
                    "gone==1.0\n")
    pins = lock_pins(lock)
    assert pins == {"numpy": "2.4.6", "torch": "2.13.0", "typing-extensions": "4.1",
                    "gone": "1.0"}
    dists = {"numpy": ("numpy", "2.4.5"), "torch": ("torch", "2.13.0+cpu"),
             "typing-extensions": ("typing_extensions", "4.1"), "extra": ("Extra", "1")}
    assert package_rows(pins, dists) == [
        ("Extra", "1", "", "not in the lock"),
        ("gone", "", "1.0", "locked, not installed"),
        ("numpy", "2.4.5", "2.4.6", "differs"),
        ("torch", "2.13.0+cpu", "2.13.0", ""),            # a local build label is no difference
        ("typing_extensions", "4.1", "4.1", ""),
    ]


def test_provenance_records_the_environment(tmp_path):
    from importlib.metadata import distributions

    import torch

    (tmp_path / "envs").mkdir()
    (tmp_path / "envs/constraints.txt").write_text("numpy==0.0.1\n")
    before = (torch.are_deterministic_algorithms_enabled(), torch.get_num_threads())
    text = provenance_markdown(tmp_path, tmp_path, "paper", {}, cores=2, now=T0)
    assert (torch.are_deterministic_algorithms_enabled(), torch.get_num_threads()) == before
    for heading in ("## Environment", "### torch build (`torch.__config__.show()`)",
                    "## Installed distributions"):
        assert heading in text
    assert torch.__config__.show().strip() in text
    assert "BLAS/LAPACK: " in text and "`torch.are_deterministic_algorithms_enabled()` = True" \
        in text
    table = text.split("## Installed distributions")[1]
    names = {d.metadata["Name"] for d in distributions()}
    assert all(f"| {n} | " in table for n in names)
    assert "| numpy | " in table and "| 0.0.1 | **differs** |" in table
    assert set(installed()) >= {"numpy", "pandas", "torch"}
