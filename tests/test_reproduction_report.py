"""The reproduction report (wideopt.analysis.publishing.reproduction): our choices read from the
configuration's comments, and the report built from a small fake figures folder."""

import csv
import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import yaml

from wideopt.analysis.publishing.reproduction import (
    SECTIONS,
    config_choices,
    fixed_by_source,
    report_markdown,
)

ROOT = Path(__file__).resolve().parents[1]

CONFIG = """\
# a full-line comment: key: 1 # not an entry
scale: paper # label written on the scorecard
seeds: [0, 1, 2] # catalogue: 3 seeds per configuration
ntk:
  dim: 10 # catalogue: x on S^{d-1}, d = 10
  data_seed: 2026 # one fixed data set
  train: # the trained subset
    lr: 0.25 # "small step": lr * lambda_max <= 1.1
    steps: 600 # Catalogue says t = 150; we keep it
    inner:
      depth: 2 # CATALOGUE: two layers
      tag: "a # b" # quoted hash stays in the value
      bare: 3
  mean_field:
    activation: relu # catalogue; mean-field tanh cannot fit
pinn:
  width: 128 # our choice (paper silent): cost
  lrs: [1.0, 0.1] # paper
  lr: 1.0e-3 # paper: Adam
  problem: poisson2d # paper: problem not stated; same as the lr grid
  activation: tanh # paper allows tanh/softplus; tanh is its first choice
  problems:
    poisson1d: {n_interior: 64, epochs: 10000} # n = 66; paper: 1-d schedule
  list:
    - 1 # block-list items give nothing
"""


def test_config_choices_nested_keys_and_reasons():
    got = config_choices(CONFIG)
    assert got["general"] == [("scale", "paper", "label written on the scorecard")]
    assert got["ntk"] == [
        ("ntk.data_seed", "2026", "one fixed data set"),
        ("ntk.train", "", "the trained subset"),
        ("ntk.train.lr", "0.25", '"small step": lr * lambda_max <= 1.1'),
        ("ntk.train.inner.tag", '"a # b"', "quoted hash stays in the value"),
    ]
    assert got["pinn"] == [
        ("pinn.width", "128", "our choice (paper silent): cost"),
        ("pinn.problem", "poisson2d", "paper: problem not stated; same as the lr grid"),
        ("pinn.activation", "tanh", "paper allows tanh/softplus; tanh is its first choice"),
        ("pinn.problems.poisson1d", "{n_interior: 64, epochs: 10000}",
         "n = 66; paper: 1-d schedule"),
    ]


def test_catalogue_and_paper_comments_are_the_sources():
    for comment in ("catalogue", "catalogue: 3 seeds", "Catalogue says t = 150; we keep it",
                    "CATALOGUE: two layers", "catalogue; mean-field tanh", "paper",
                    "paper: Adam", " paper: 1-d schedule"):
        assert fixed_by_source(comment), comment
    for comment in ("paper silent: torch defaults", "paper: problem not stated",
                    "paper allows tanh", "our choice (paper silent)", "section A's",
                    "n = 66; paper: 1-d schedule", "budget (above)"):
        assert not fixed_by_source(comment), comment


def test_real_config_every_section_has_choices_and_no_catalogue_leaks():
    text = (ROOT / "workflow/config/paper.yaml").read_text()
    got = config_choices(text)
    assert set(got) == {family for _, family in SECTIONS} | {"general"}
    for section, entries in got.items():
        assert entries, section
        for key, _, reason in entries:
            assert key.split(".")[0] == section or section == "general"
            assert not reason.lower().startswith("catalogue"), (key, reason)
            assert reason.lower() != "paper", key
    keys = {k for entries in got.values() for k, _, _ in entries}
    assert {"pinn.width", "pinn.ngd_solver.damping", "open.radius.train",
            "operators.fno.train.epochs", "scale"} <= keys
    assert not keys & {"seeds", "ntk.dim", "pinn.optimizers.SGD", "operators.widths"}
    # every key path names a real config entry
    cfg = yaml.safe_load(text)
    for key in keys:
        node = cfg
        for part in key.split("."):
            node = node[part]


def test_sources_yaml_covers_every_family_and_figure():
    sources = yaml.safe_load((ROOT / "workflow/report/sources.yaml").read_text())
    assert set(sources) == {family for _, family in SECTIONS}
    outputs = (ROOT / "docs/outputs.md").read_text()  # the list of every output id
    for family, src in sources.items():
        assert src["title"] and src["seed"] and src["reproduced"]
        assert 2 <= len(re.findall(r"[.!?](?:\s|$)", src["reproduced"])) <= 4, family
        for ident, caption in src["captions"].items():
            assert ident.startswith(family + "_") and f"`{ident}`" in outputs
            assert "\n" not in caption and len(caption) < 160, ident


def _fake_figures(tmp_path: Path) -> Path:
    fig = tmp_path / "figures"
    fig.mkdir()
    rows = [
        dict(claim_id="A1", experiment="operators_final_loss", statement="loss falls",
             paper_value="wider | lower", reproduced_value="rho=-1", uncertainty="[-1, -1]",
             verdict="pass", why="", scale="paper"),
        dict(claim_id="A2", experiment="operators_loss_curves", statement="faster",
             paper_value="wider converges faster", reproduced_value="0.7",
             uncertainty="[0.6, 0.8]", verdict="fail",
             why="DON/burgers: fraction 0.7 > 0.5 (figures/operators_loss_curves)",
             scale="paper"),
        dict(claim_id="D1", experiment="ntk_init_concentration", statement="slope -1/2",
             paper_value="-1/2", reproduced_value="", uncertainty="", verdict="not-run",
             why="the ntk family was not run", scale="paper"),
    ]
    with (fig / "claims.csv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    for ext in ("png", "pdf"):
        (fig / f"operators_loss_curves.{ext}").write_bytes(b"x")
    for ext in ("csv", "png"):
        (fig / f"operators_final_loss.{ext}").write_bytes(b"x")
    (fig / "operators_final_loss.md").write_text(
        "# Final training loss\n\n| width | loss |\n|---:|---:|\n| 10 | 0.5 |\n")
    (fig / "sobolev_ntk_spectrum.png").write_bytes(b"x")
    return fig


SOURCES = {
    "operators": {"title": "Neural Operators Benefit", "seed": "000",
                  "reproduced": "DeepONet and FNO at widths 10 to 500.",
                  "captions": {"operators_loss_curves": "Loss vs epoch.",
                               "operators_final_loss": "Final losses.",
                               "operators_lazy": "Distances."}},
    "ntk": {"title": "Lecture notes", "seed": "003", "reproduced": "H(0) vs H*.",
            "captions": {"ntk_drift": "Drift."}},
}


def test_report_from_a_small_figures_folder(tmp_path):
    fig = _fake_figures(tmp_path)
    md = report_markdown(fig, CONFIG, SOURCES)
    assert "Scale: **paper**" in md and "pass 1, fail 1, inconclusive 0, not-run 1" in md
    assert "PROVENANCE.md" in md
    # summary, contents and verdicts first, then sections in order A..E
    heads = [line for line in md.splitlines() if line.startswith("## ")]
    assert heads[:3] == ["## Summary", "## Contents", "## Verdicts"]
    assert [h[3] for h in heads[3:8]] == ["A", "B", "C", "D", "E"]
    summary = md[md.index("## Summary"):md.index("## Contents")]
    assert "pass 1, fail 1, inconclusive 0, not-run 1 of 3 claims" in summary
    assert "A: pass 1 of 2, fail 1 (A2)" in summary and "D: pass 0 of 1, not-run 1 (D1)" in summary
    assert "- **A2** (fail): faster" in summary and "Not recorded" in summary
    assert "- [A. Neural Operators Benefit](#a-neural-operators-benefit)" in md
    assert "| A2 | fail | A | faster |" in md
    # every claim row with its verdict and why, `|` escaped
    assert "| A1 | pass | wider \\| lower | rho=-1 | [-1, -1] | – |" in md
    assert ("| A2 | fail | wider converges faster | 0.7 | [0.6, 0.8] | DON/burgers: fraction "
            "0.7 > 0.5 (figures/operators_loss_curves) |") in md
    assert "| D1 | not-run |" in md and "the ntk family was not run" in md
    assert "No scorecard row for claim(s) A3, A4, A5, A6." in md
    # figures embedded with their caption; a figure without a caption still embedded
    assert "![operators_loss_curves](../figures/operators_loss_curves.png)" in md
    assert "Loss vs epoch." in md
    assert "![sobolev_ntk_spectrum](../figures/sobolev_ntk_spectrum.png)" in md
    # the table inlined, its heading demoted, its heatmap linked; outputs in caption order
    assert "\n##### Final training loss\n" in md and "| 10 | 0.5 |" in md
    assert "[heatmap](../figures/operators_final_loss.png)" in md
    assert "![operators_final_loss]" not in md
    assert md.index("`operators_loss_curves` (figure)") < md.index("`operators_final_loss`")
    assert "Missing from `figures/`: `operators_lazy`, `operators_gd`." in md
    # families without files say what is missing, and never crash
    section_d = md[md.index("## D."):md.index("## E.")]
    assert "No output of this family was found" in section_d and "`ntk_drift`" in section_d
    assert "`ntk_init_concentration`" in section_d
    section_c = md[md.index("## C."):md.index("## D.")]
    assert "No output of this family was found" in section_c and "`pinn_optimizers`" in section_c
    # our choices, per section; the catalogue's values are not among them
    assert "| `ntk.train.lr` | `0.25` |" in section_d
    assert "| `pinn.width` | `128` |" in section_c
    assert "ntk.dim" not in md and "`seeds`" not in md
    assert "| `scale` | `paper` | label written on the scorecard |" in md


def test_report_without_scorecard_or_figures(tmp_path):
    md = report_markdown(tmp_path / "nothing", "", {}, link_prefix="figs/")
    assert "`figures/claims.csv` is missing" in md
    assert md.count("No output of this family was found") == 5
    assert "## A. operators" in md and "## E. open" in md


def test_wrapper_script_writes_the_report_with_relative_links(tmp_path):
    """workflow/scripts/reproduction_report.py with a stand-in for Snakemake's object."""
    fig = _fake_figures(tmp_path)
    out = tmp_path / "docs" / "reproduction.md"
    smk = SimpleNamespace(
        input=SimpleNamespace(card=str(fig / "claims.csv"), first=str(fig / "absent.csv"),
                              config=str(ROOT / "workflow/config/paper.yaml"),
                              sources=str(ROOT / "workflow/report/sources.yaml")),
        params=SimpleNamespace(figures_dir=str(fig)), output=SimpleNamespace(md=str(out)),
        log=[str(tmp_path / "report.log")], threads=1, rule="reproduction_report",
        wildcards={})
    runpy.run_path(str(ROOT / "workflow/scripts/reproduction_report.py"),
                   init_globals={"snakemake": smk})
    md = out.read_text()
    assert "![operators_loss_curves](../figures/operators_loss_curves.png)" in md
    assert "## A. Optimization for Neural Operators can Benefit from Width" in md
    assert "| `pinn.width` | `128` |" in md


def test_first_statement_lines_follow_the_tables(tmp_path):
    """The first statements' lines are computed: editing a table changes the line, in the
    scorecard's Markdown and in the report under its own heading."""
    import pandas as pd

    from wideopt.analysis.judging.first_statements import (
        HEADING,
        evaluate_first,
        first_statements_markdown,
    )

    rows = []
    for alpha in (0.5, 1.0, 2.0, 4.0):
        for m in (16, 28, 49, 84, 147, 256):
            for s in (0, 1, 2):
                rows.append(dict(d=3, alpha=alpha, width=m, seed=s, n_params=2 * m * m,
                                 t_final=1500.0, test_l2=m**-0.3 * (1 + 0.01 * s),
                                 weight_rel_max=m**-1.0, weight_rel_spec_max=m**-0.5,
                                 kernel_gap=m**-0.5, diverged=0.0))
    runs = tmp_path / "runs.csv"
    pd.DataFrame(rows).to_csv(runs, index=False)
    inputs = {"sobolev": {"runs": str(runs), "classical": str(runs), "decay": str(runs)}}
    before = first_statements_markdown(evaluate_first(inputs))
    assert HEADING in before
    assert "**B3** first stated: at fixed training time, the test L2 error" in before
    assert "`pass`" in before
    # the test error now rises with width: B3's first statement fails, the line says so
    df = pd.read_csv(runs)
    df["test_l2"] = df.width**0.3 * (1 + 0.01 * df.seed)
    df.to_csv(runs, index=False)
    table = evaluate_first(inputs)
    after = first_statements_markdown(table)
    assert after != before
    b3 = table.set_index("claim_id").loc["B3"]
    assert b3.verdict == "fail" and "alpha=0.5: ρ=1" in b3.value
    assert "**B6** first stated" in after  # Frobenius slope -1: outside [-0.7, -0.3]
    assert table.set_index("claim_id").loc["B6"].verdict == "fail"
    first = tmp_path / "first.csv"
    table.to_csv(first, index=False)
    fig = tmp_path / "figures"
    fig.mkdir()
    md = report_markdown(fig, "", {}, first_statements=first)
    assert f"## {HEADING}" in md and "alpha=0.5: ρ=1" in md
    assert f"- [{HEADING}](#" in md  # the contents list shows it


PROVENANCE = """# Provenance

- Machine, cpu: AMD EPYC
- Machine, cores: 2
- Machine, torch: 2.13.0+cpu (CPU build, 1 intra-op threads)

| family | jobs | CPU (min) | summed job wall (min) | elapsed (min) | bound (min) | first start |
|---|---|---|---|---|---|---|
| ntk | 9 | 5.9 | 7.5 | 58.3 | 3.0 | 2026-12-05 11:21 UTC |
| all | 91 | 142.8 | 167.6 | 88.9 | 71.4 | 2026-12-05 11:21 UTC |
"""


def test_summary_reads_compute_from_provenance(tmp_path):
    from wideopt.analysis.publishing.summary import compute_text, provenance_compute

    got = provenance_compute(PROVENANCE)
    assert got == {"cpu": "AMD EPYC", "cores": "2",
                   "torch": "2.13.0+cpu (CPU build, 1 intra-op threads)", "jobs": "91",
                   "cpu_min": "142.8", "elapsed_min": "88.9", "bound_min": "71.4"}
    text = compute_text(got)
    assert text.startswith("91 jobs, 142.8 CPU-minutes") and "88.9 min" in text
    assert "71.4 min" in text and text.endswith("No GPU was used.")
    fig = _fake_figures(tmp_path)
    (fig / "PROVENANCE.md").write_text(PROVENANCE)
    md = report_markdown(fig, CONFIG, SOURCES, summary={"how": "Our own code.", "easy": "E."})
    assert "**What we re-implemented and how.** Our own code." in md
    assert "**Compute.** 91 jobs, 142.8 CPU-minutes" in md
    assert "**What was easy.** E." in md  # no source has every claim passing here


def test_findings_about_the_source_come_from_the_tables(tmp_path):
    """The section gathers each explanation table's computed note: a changed note changes it,
    the table and legend lines stay out, and without the tables there is no section."""
    from wideopt.analysis.publishing.findings import HEADING, findings_markdown

    assert findings_markdown(tmp_path, []) == []
    table = ("# NGD by solver\n\n| problem | 1.0 |\n|:---|---:|\n| poisson2d | 1e-3 |\n\n"
             "Variants within 10x of the paper: {}.\n\nCells: mean over 3 seeds.\n")
    (tmp_path / "pinn_ngd_solver.md").write_text(table.format("line search (pinv)"))
    rows = [{"claim_id": "C7", "verdict": "fail", "statement": "s", "reproduced_value": "2.64"}]
    first = "\n".join(findings_markdown(tmp_path, rows))
    assert first.startswith(f"## {HEADING}")
    assert "line search (pinv)" in first and "Cells:" not in first and "| poisson2d" not in first
    assert "**C7** (fail)" in first and "Measured: 2.64" in first
    (tmp_path / "pinn_ngd_solver.md").write_text(table.format("none"))
    assert "within 10x of the paper: none" in "\n".join(findings_markdown(tmp_path, rows))


def test_changes_since_the_last_published_run_come_from_the_comparison(tmp_path):
    """The section is built from `wideopt compare` rows and the reasons file: a changed value
    changes its line, a flip without a reason is named, and the heading is in the contents."""
    import pandas as pd

    from wideopt.analysis.publishing.changes import (
        CHANGES_HEADING,
        NO_REASON,
        changes_markdown,
        missing_reasons,
        stale_claims,
    )

    fig = _fake_figures(tmp_path)
    rows = [dict(kind="claim", item="A1", column="verdict", a="fail", b="pass", note="flip"),
            dict(kind="claim", item="A1", column="deciding value", a="0.8", b="-1"),
            dict(kind="claim", item="A1", column="interval", a="[0.7, 0.9]", b="[-1, -1]",
                 note="overlap: no; disjoint checks: 1 of 1; changed: verdict"),
            dict(kind="claim", item="A2", column="verdict", a="fail", b="fail", note=""),
            dict(kind="claim", item="A2", column="deciding value", a="0.6", b="0.7"),
            dict(kind="claim", item="A2", column="interval", a="[0.5, 0.7]", b="[0.6, 0.8]",
                 note="overlap: yes; disjoint checks: 0 of 1; changed: reproduced_value"),
            dict(kind="claim only", item="D1", note="only in B"),
            dict(kind="table only", item="figures/new_table.csv", note="only in B"),
            dict(kind="cell", item="figures/old.csv", key="w=1", column="value", a="1", b="2")]
    diff = pd.DataFrame(rows)
    csv_path = tmp_path / "changes.csv"
    diff.to_csv(csv_path, index=False)
    notes = {"previous": "abc1234", "date": "2026-01-01",
             "reasons": {"A1": "Judged on six widths now."}}
    card = pd.read_csv(fig / "claims.csv")
    md = report_markdown(fig, CONFIG, SOURCES, changes=(csv_path, notes))
    assert f"- [{CHANGES_HEADING}](#changes-since-the-last-published-run)" in md
    section = md[md.index(f"## {CHANGES_HEADING}"):md.index("## Settings shared")]
    assert "`wideopt compare abc1234 .`" in section
    assert "**1 verdict flip(s), 1 new claim(s)**" in section
    assert "| A1 | fail | pass | 0.8 → -1 | Judged on six widths now. |" in section
    assert "| D1 | not-run | " + NO_REASON + " |" in section
    assert "| A2 | fail | 0.6 → 0.7 | yes | reproduced_value |" in section
    assert "New: `figures/new_table.csv`" in section and "`figures/old.csv`: 1 cell(s)" in section
    assert missing_reasons(diff, notes) == ["D1"]
    # the comparison's B side is this scorecard's: A1 passes there, A2 fails
    assert stale_claims(diff, card) == []
    # a changed value changes the line; a comparison against another record is stale
    diff.loc[(diff["item"] == "A2") & (diff["column"] == "deciding value"), "b"] = "0.75"
    assert "| A2 | fail | 0.6 → 0.75 |" in "\n".join(changes_markdown(diff, notes, card))
    diff.loc[(diff["item"] == "A1") & (diff["column"] == "verdict"), "b"] = "inconclusive"
    assert stale_claims(diff, card) == ["A1"]
    # without the comparison (a scale never published) there is no such section
    assert CHANGES_HEADING not in report_markdown(fig, CONFIG, SOURCES)
