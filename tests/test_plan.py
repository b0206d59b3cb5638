"""The plan modules (wideopt.plan.<family>) from the config dicts alone, without a dry run:
job grids, sweeps, collocation sets, width groups and cost estimates against hand counts, the
config's own comments and the measurements the estimates cite; and that they load no torch."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wideopt.config import scale_config
from wideopt.plan import ntk as ntk_plan
from wideopt.plan import open as open_plan
from wideopt.plan import operators as ops_plan
from wideopt.plan import pinn as pinn_plan
from wideopt.plan import sobolev as sob_plan
from wideopt.training.pinn.optimizers import OPTIMIZERS, StepKind

ROOT = Path(__file__).resolve().parents[1]
PAPER = scale_config(ROOT)
QUICK = scale_config(ROOT, "quick")


# --- section A -----------------------------------------------------------------------------------

def test_width_group_is_parsed_and_named_in_one_place():
    g = ops_plan.WidthGroup.parse("10-30-100")
    assert g.widths == (10, 30, 100) and g.label == "10-30-100"
    assert ops_plan.WidthGroup.parse("500").widths == (500,)
    for bad in ("10-", "a-b", "", "10--30"):
        with pytest.raises(ValueError, match="not a width group label"):
            ops_plan.WidthGroup.parse(bad)


def test_operator_jobs_per_scale():
    assert ops_plan.width_groups(QUICK) == [ops_plan.WidthGroup((10, 30, 100))]
    assert [g.label for g in ops_plan.width_groups(PAPER)] == ["10", "50", "100", "200", "500"]
    quick = ops_plan.run_files(QUICK, "metrics")
    assert len(quick) == 2 * 3  # architectures x problems, one group
    assert "results/operators/runs/fno/burgers/w10-30-100.metrics.csv" in quick
    assert len(ops_plan.run_files(PAPER, "summary")) == 2 * 3 * 5


def test_width_groups_must_cover_every_width_once():
    cfg = {"operators": {"widths": [10, 30, 100], "width_groups": [[10, 30], [30, 100]]}}
    with pytest.raises(ValueError, match="exactly once"):
        ops_plan.width_groups(cfg)


def test_operator_estimates():
    # a group's runtime is the sum over its widths
    parts = [ops_plan.width_runtime(QUICK, "fno", "burgers", m) for m in (10, 30, 100)]
    assert ops_plan.runtime(QUICK, "fno", "burgers", "10-30-100") == sum(parts)
    # FNO at m = 500, Lanczos phase: measured max RSS 5.6 GB (benchmarks/hessian_init.py); the
    # estimate must cover it without asking for much more
    assert 5600 <= ops_plan.mem_mb(PAPER, "500") <= 7000
    assert ops_plan.mem_mb(PAPER, "10-500") == ops_plan.mem_mb(PAPER, "500")


# --- section C -----------------------------------------------------------------------------------

def test_collocation_sets_of_the_quick_scale():
    sets = pinn_plan.datasets(QUICK)
    assert list(sets) == ["poisson1d", "poisson2d", "heat1d", "helmholtz2d", "poisson10d",
                          "helmholtz2d-a1", "poisson2d-n8x9", "poisson10d-n128x64"]
    assert sets["helmholtz2d-a1"] == dict(problem="helmholtz2d-a1", config="helmholtz2d",
                                          n_interior=6, n_boundary=7)
    assert pinn_plan.explain_datasets(QUICK) == ["helmholtz2d-a1", "poisson2d-n8x9",
                                                 "poisson10d-n128x64"]


@pytest.mark.parametrize(("name", "n", "d"), [
    # the counts paper.yaml's comments give for each set
    ("poisson1d", 66, 1), ("poisson2d", 192, 2), ("heat1d", 181, 2), ("helmholtz2d", 320, 2),
    ("poisson10d", 768, 10), ("poisson2d-n36x37", 1440, 2), ("poisson10d-n2048x1024", 3072, 10),
])
def test_point_counts_of_the_paper_sets(name, n, d):
    assert pinn_plan.points(PAPER, name) == (n, d)


def test_collocation_width_keeps_p_above_n():
    """m = max(width, ceil(1.1 n_max / (d + 1))): p = m (d + 1) >= 1.1 n_max at every count."""
    for problem, n_max, d in (("poisson2d", 1440, 2), ("poisson10d", 3072, 10)):
        m = pinn_plan.collocation_width(PAPER, problem)
        assert m * (d + 1) >= 1.1 * n_max and (m - 2) * (d + 1) < 1.1 * n_max


def test_step_counts_follow_the_optimizer_spec():
    assert pinn_plan.steps(PAPER, "poisson2d", "NGD") == 200  # ngd_epochs
    assert pinn_plan.steps(PAPER, "heat1d", "NGD") == 100
    assert pinn_plan.steps(PAPER, "heat1d", "Adam") == 10000  # epochs
    assert pinn_plan.steps(PAPER, "poisson2d", "LBFGS") == 2000  # its own iterations
    assert pinn_plan.steps(PAPER, "helmholtz2d-a2", "SGD") == 20000  # helmholtz2d's epochs
    assert pinn_plan.steps(QUICK, "poisson2d-n8x9", "NGD") == 20


def test_every_configured_optimizer_is_a_registry_entry_with_its_step_key():
    for cfg in (PAPER, QUICK):
        for name in pinn_plan.optimizers(cfg):
            where, key = OPTIMIZERS[name].steps
            entries = ([cfg["pinn"]["optimizers"][name]] if where == "optimizer"
                       else list(cfg["pinn"]["problems"].values()))
            assert all(key in e for e in entries), (name, where, key)
    assert OPTIMIZERS["NGD"].uses_jacobian and not OPTIMIZERS["LBFGS"].uses_jacobian
    assert OPTIMIZERS["LBFGS"].step is StepKind.LINE_SEARCH
    with pytest.raises(ValueError, match="unknown optimizer"):
        pinn_plan.optimizers({"pinn": {"optimizers": {"Newton": {}}}})


def test_sweeps_of_the_quick_scale():
    ngd = pinn_plan.sweep_job(QUICK, "poisson2d", "NGD")
    assert ngd["base"]["steps"] == 20 and ngd["base"]["problem"] == "poisson2d"
    # the main cell, the lr grid's (deduplicated) and the width ablation's (NGD only)
    assert [(v["lr"], v["width"]) for v in ngd["variants"]] == [
        (0.1, 32), (1.0, 32), (0.5, 32), (0.05, 32), (0.01, 32), (0.005, 32), (0.001, 32),
        (0.1, 8), (0.1, 128)]
    lbfgs = pinn_plan.sweep_job(QUICK, "heat1d", "LBFGS")
    assert lbfgs["variants"] == [{"lr": 1.0, "width": 32}] and lbfgs["base"]["steps"] == 100
    damping = pinn_plan.sweep_job(QUICK, "heat1d", "damping")
    assert damping["variants"] == [{"ngd.damping": 0.0}, {"ngd.damping": 1e-4}]
    assert (damping["base"]["lr"], damping["base"]["width"]) == (0.1, 32)


def test_explanation_tables_of_the_quick_scale():
    freq = pinn_plan.explain_sweeps(QUICK, "pinn_helmholtz_frequency")
    # a = 4 is helmholtz2d itself, reused from the optimizer table
    assert [(s["dataset"], s["base"]["optimizer"], s["base"]["steps"]) for s in freq] == [
        ("helmholtz2d-a1", "Adam", 300), ("helmholtz2d-a1", "NGD", 20)]
    assert pinn_plan.explain_inputs(QUICK, "pinn_helmholtz_frequency")["reused"] == [
        "results/pinn/runs/helmholtz2d_Adam.csv", "results/pinn/runs/helmholtz2d_NGD.csv"]
    (sched,) = pinn_plan.explain_sweeps(QUICK, "pinn_ngd_schedule")
    assert sched["base"]["steps"] == 20 * 3 and len(sched["variants"]) == 7
    assert pinn_plan.explain_cells(QUICK, "pinn_ngd_schedule")["epochs"] == [20, 60]
    colloc = pinn_plan.explain_inputs(QUICK, "pinn_collocation")
    assert colloc["data"] == [pinn_plan.data_file(d) for d in (
        "poisson2d", "poisson2d-n8x9", "poisson10d", "poisson10d-n128x64")]
    with pytest.raises(ValueError, match="unknown explanation table"):
        pinn_plan.explain_sweeps(QUICK, "pinn_nothing")


def test_pinn_costs_by_step_kind():
    n, m, steps = 192, 128, 1000
    sgd = pinn_plan.run_seconds(PAPER, "poisson2d", "SGD", m, steps)
    # a line-search step costs one more gradient (~100 ns per point x neuron)
    lbfgs = pinn_plan.run_seconds(PAPER, "poisson2d", "LBFGS", m, steps)
    assert lbfgs - sgd == pytest.approx(steps * 1e-7 * n * m)
    ngd = pinn_plan.run_seconds(PAPER, "poisson2d", "NGD", m, steps)
    assert ngd - sgd == pytest.approx(steps * pinn_plan.gauss_newton_seconds(n, m, 2))
    # measured: poisson2d m = 2560 (n = 192): Jacobian ~90 ms + Gram ~60 ms per NGD step;
    # the estimate covers it, within a factor 3
    assert 0.15 <= pinn_plan.gauss_newton_seconds(192, 2560, 2) <= 0.45
    # the width ablation's widest NGD run sets the sweep's memory
    assert pinn_plan.train_mem_mb(PAPER, "poisson2d", "NGD") == pinn_plan.mem_mb(
        PAPER, "poisson2d", 2560)


# --- sections B, D, E --------------------------------------------------------------------------

def test_open_operator_jobs_and_widths():
    assert open_plan.operator_runs(QUICK) == [
        ("relu", "deeponet", "antiderivative"), ("relu", "deeponet", "burgers"),
        ("relu", "fno", "burgers"), ("frozen", "fno", "burgers")]
    assert open_plan.operator_widths(PAPER, "relu", "deeponet") == [10, 50, 100, 200, 500]
    assert open_plan.operator_widths(PAPER, "relu", "fno") == [10, 50, 100, 200]  # cap 200
    assert open_plan.operators_mem_mb(PAPER, "relu", "deeponet") == 2000
    # the FNO training phase only (no Hessians): below section A's estimate at the same width
    assert open_plan.operators_mem_mb(PAPER, "frozen", "fno") < ops_plan.mem_mb(PAPER, "200")


def test_ntk_and_sobolev_plans():
    assert ntk_plan.train_runs(PAPER) == (
        [("ntk", a) for a in PAPER["ntk"]["activations"]]
        + [("mean_field", PAPER["ntk"]["mean_field"]["activation"])])
    assert ntk_plan.train_runtime(QUICK) == 2 + (10 + 100 + 1000 + 3000) * 300 // 100_000
    # the kernel flow's (n_test x n) matrix and (n_test x m) activations grow with m
    assert sob_plan.train_mem_mb(QUICK, "32") > sob_plan.train_mem_mb(QUICK, "8") >= 1000
    assert sob_plan.spectrum_runtime(QUICK) >= 2


def test_plan_modules_load_no_torch():
    """Importing every plan module (and what they read: wideopt.domains, the optimizer
    registry), in one fresh interpreter, leaves torch and Lightning out of sys.modules."""
    modules = ["wideopt.plan." + p.stem for p in (ROOT / "src/wideopt/plan").glob("*.py")
               if p.stem != "__init__"]
    assert {"wideopt.plan.pinn", "wideopt.plan.operators"} <= set(modules)
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules)
            + "print(','.join(m for m in ('torch', 'lightning', 'pytorch_lightning') "
              "if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"importing {modules} loads {out.stdout.strip()}"
