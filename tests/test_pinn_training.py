"""PINN training through Lightning: NGD converges, divergence is recorded as nan, SGD steps
match plain gradient descent, and the C6 rate fit recovers known orders."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from wideopt.analysis.pinn_summary import (
    catalogue_tables,
    cell_summary,
    collocation_paper,
    convergence_rates,
    damping_paper,
    explain_table,
    frequency_paper,
    gram_spectrum,
    nearest_to_paper,
    per_seed,
    rate_slope,
    schedule_paper,
    tidy_table,
)
from wideopt.config import scale_config
from wideopt.data.pinn_problems import make_collocation
from wideopt.models.pinn_two_layer import TwoLayerPINN
from wideopt.pde import get_problem
from wideopt.training.pinn.module import RunConfig, logging_interval, sweep, train_run
from wideopt.training.pinn.ngd import ngd_direction
from wideopt.training.pinn.residual import Residual


@pytest.fixture(scope="module")
def data1d():
    return make_collocation(get_problem("poisson1d"), 16, 2, 200, seed=0)


def run_summary(df):
    return cell_summary(per_seed(df).assign(cell=0), ["cell"]).iloc[0]


def _metric(df, name):
    return df[df.metric == name].sort_values("step")["value"].to_numpy()


def test_ngd_reduces_loss_and_error(data1d):
    df = train_run(RunConfig("poisson1d", "NGD", 0.2, 128, 40, seed=0, log_every=1,
                             inner_steps=10), data1d)
    loss = _metric(df, "loss")
    # Theory (Thm 4.7): L(k) <= (1 - eta)^k L(0); allow the damping a little slack.
    assert loss[-1] < 10 * 0.8**40 * loss[0]
    assert _metric(df, "final_rel_l2")[0] < 1e-2
    assert _metric(df, "diverged")[0] == 0


def test_divergence_is_recorded_as_nan_not_raised(data1d):
    # ReLU^3 is unbounded: too large a GD step overflows (tanh would saturate instead).
    df = train_run(RunConfig("poisson1d", "SGD", 50.0, 64, 400, seed=0, activation="relu3",
                             log_every=10, inner_steps=50), data1d)
    assert _metric(df, "diverged")[0] == 1
    assert math.isnan(_metric(df, "final_rel_l2")[0])
    assert df[df.metric == "final_rel_l2"]["step"].iloc[0] < 400  # stopped early
    s = run_summary(df.assign(seed=0))
    assert math.isnan(s["value"]) and s["n_diverged"] == 1


def test_sgd_through_lightning_equals_plain_gradient_descent(data1d):
    steps, lr = 7, 1e-3
    df = train_run(RunConfig("poisson1d", "SGD", lr, 16, steps, seed=3, log_every=steps,
                             inner_steps=3), data1d)
    prob = get_problem("poisson1d")
    net = TwoLayerPINN(16, 1, seed=3)
    res = Residual(prob.operator, data1d)
    with torch.no_grad():
        for _ in range(steps):
            _, g = res.with_grad(net)
            net.w.sub_(lr * g)
        r = res(net)
    assert _metric(df, "final_loss")[0] == pytest.approx(0.5 * float(r @ r), rel=1e-12)


def test_lbfgs_runs_and_improves(data1d):
    df = train_run(RunConfig("poisson1d", "LBFGS", 1.0, 32, 60, seed=0, log_every=20,
                             inner_steps=20), data1d)
    loss = _metric(df, "loss")
    assert np.isfinite(loss).all() and loss[-1] < 1e-2 * loss[0]


def test_an_optimizer_is_one_registry_entry(data1d, monkeypatch):
    """A new entry of the registry (here RMSprop, first-order) trains through the module, is
    named in the sweep's output and is planned and priced, with nothing else edited."""
    from wideopt.plan import pinn as pinn_plan
    from wideopt.training.pinn import optimizers

    spec = optimizers.OptimizerSpec(
        "RMSprop", "RMSprop", optimizers.StepKind.FIRST_ORDER,
        lambda params, c: torch.optim.RMSprop(params, lr=c.lr))
    monkeypatch.setitem(optimizers.OPTIMIZERS, "RMSprop", spec)
    base = dict(problem="poisson1d", optimizer="RMSprop", width=16, steps=200, log_every=50,
                inner_steps=50)
    df = sweep(base, [{"lr": 1e-2}], [0], data1d)
    assert set(df.optimizer) == {"RMSprop"}
    loss = df[df.metric == "loss"]["value"].to_numpy()
    assert np.isfinite(loss).all() and loss[-1] < 0.5 * loss[0]
    cfg = scale_config(Path(__file__).resolve().parents[1], "quick")
    cfg["pinn"]["optimizers"]["RMSprop"] = {"lr": 1e-2}
    assert pinn_plan.optimizers(cfg)[-1] == "RMSprop"
    assert pinn_plan.steps(cfg, "poisson1d", "RMSprop") == 300  # the problem's epochs
    assert pinn_plan.sweep_job(cfg, "poisson1d", "RMSprop")["variants"] == [
        {"lr": 0.01, "width": 32}]
    # priced as a first-order method: 100 ns per (point x neuron) + 2 ms per step (n = 18)
    assert pinn_plan.run_seconds(cfg, "poisson1d", "RMSprop", 16, 200) == pytest.approx(
        200 * (1e-7 * 18 * 16 + 2e-3))


def test_rate_slope_recovers_order():
    r = [1e-1]
    for _ in range(4):
        r.append(3.0 * r[-1] ** 2)  # quadratic: slope 2
    r = np.array(r)
    s, k = rate_slope(r[:-1], r[1:], floor=1e-30)
    assert s == pytest.approx(2.0, abs=1e-12) and k == 4
    lin = 0.5 ** np.arange(10)
    assert rate_slope(lin[:-1], lin[1:], floor=0)[0] == pytest.approx(1.0, abs=1e-12)


def test_gram_spectrum_quantities():
    eig = np.array([1e-35, 1e-3, 2.0, 4.0])  # sigma(J)^2: floor n eps^2 lambda_max = 7.9e-31
    q = gram_spectrum(eig, n=4, ngd_lr=0.1, eig_eigvalsh=np.array([-1e-16, 1e-3, 2.0, 4.0]))
    assert q["inv_lambda_max"] == 0.25 and q["ngd_rate"] == pytest.approx(0.9)
    assert q["below_floor"] == 1.0 and q["roundoff_floor"] == pytest.approx(4 * 4 * 2.0**-104)
    assert q["numerical_rank"] == 3 and q["lambda_min_eigvalsh"] == -1e-16
    assert q["eigvalsh_floor"] == pytest.approx(4 * 4 * 2.0**-52)
    assert q["gd_rate"] == pytest.approx(1 - 0.5e-35 / 4)


def test_run_summary_mean_and_std():
    rows = []
    for seed, err in [(0, 1e-3), (1, 3e-3)]:
        rows += [(seed, 0, "loss", 1.0), (seed, 5, "final_rel_l2", err),
                 (seed, 5, "final_loss", 1e-4), (seed, 5, "diverged", 0.0),
                 (seed, 5, "wall_s", 1.0)]
    s = run_summary(pd.DataFrame(rows, columns=["seed", "step", "metric", "value"]))
    assert s["value"] == pytest.approx(2e-3) and s["std"] == pytest.approx(1e-3)
    assert s["n_diverged"] == 0 and s["steps"] == 5


def _run(errs, diverged=()):
    rows = []
    for seed, err in enumerate(errs):
        div = float(seed in diverged)
        rows += [(seed, 0, "loss", 1.0), (seed, 5, "final_rel_l2", float("nan") if div else err),
                 (seed, 5, "final_loss", 1e-4), (seed, 5, "diverged", div),
                 (seed, 5, "wall_s", 1.0)]
    return pd.DataFrame(rows, columns=["seed", "step", "metric", "value"])


def test_tidy_table_one_row_per_seed_and_damping_cells():
    """One row per (cell, seed), NaN where that seed diverged; a cell's mean is nan when any
    seed diverged; the damping table's reference is the paper's NGD cell."""
    tidy = tidy_table([(dict(problem="poisson1d", damping=0.0), _run([1.0, 3.0], diverged=(1,))),
                       (dict(problem="poisson1d", damping=1e-8), _run([1e-5, 3e-5])),
                       (dict(problem="heat1d", damping=1e-8), _run([2e-4, 4e-4]))])
    assert len(tidy) == 6 and tidy["value"].isna().sum() == 1
    t = damping_paper(cell_summary(tidy, ["problem", "damping"])).set_index(
        ["problem", "damping"])
    assert np.isnan(t.loc[("poisson1d", 0.0), "value"])
    assert t.loc[("poisson1d", 0.0), "n_diverged"] == 1
    assert t.loc[("poisson1d", 1e-8), "value"] == pytest.approx(2e-5)
    assert t.loc[("heat1d", 1e-8), "value"] == pytest.approx(3e-4)
    assert t.loc[("poisson1d", 1e-8), "paper_value"] == pytest.approx(1.67e-5)
    assert t.loc[("heat1d", 1e-8), "paper_value"] == pytest.approx(3.42e-4)


def _sweep_file(display, cells):
    """A sweep file: per (override values, per-seed errors) the rows of _run."""
    return pd.concat([_run(errs).assign(**keys, optimizer=display) for keys, errs in cells],
                     ignore_index=True)


def test_catalogue_tables_pick_their_cells_from_the_sweeps():
    """Each table reads its own cells of the sweep files: the optimizer table the main (lr,
    width) cell, the lr table every lr (optimizers alphabetical, lr from large to small), the
    width table NGD's widths, the damping table the main NGD cell at the tables' damping."""
    ngd = _sweep_file("NGD", [(dict(lr=0.1, width=32), [1e-4, 3e-4]),
                              (dict(lr=0.01, width=32), [1e-2, 1e-2]),
                              (dict(lr=0.1, width=8), [0.5, 0.7])])
    adam = _sweep_file("Adam", [(dict(lr=0.1, width=32), [0.2, 0.4]),
                                (dict(lr=0.01, width=32), [0.3, 0.3])])
    damping = _sweep_file("NGD", [(dict(damping=0.0), [0.9, 0.9])])
    t = catalogue_tables({("p", "NGD"): ngd, ("p", "Adam"): adam}, {"p": damping},
                         problems=["p"], optimizers=["NGD", "Adam"],
                         default_lr={"NGD": 0.1, "Adam": 0.01}, main_width=32,
                         lr_grid=dict(problem="p", lrs=[0.01, 0.1], optimizers=["NGD", "Adam"]),
                         width_ablation=dict(problem="p", widths=[32, 8]),
                         dampings=[0.0, 1e-8], chosen_damping=1e-8)
    opt = cell_summary(t["optimizers"], ["problem", "optimizer"]).set_index("optimizer")
    assert opt.loc["NGD", "value"] == pytest.approx(2e-4)
    assert opt.loc["Adam", "value"] == pytest.approx(0.3)
    assert list(zip(t["lr"].optimizer, t["lr"].lr, strict=True))[::2] == [
        ("Adam", 0.1), ("Adam", 0.01), ("NGD", 0.1), ("NGD", 0.01)]
    assert cell_summary(t["width"], ["optimizer", "width"])["value"].tolist() == pytest.approx(
        [0.6, 2e-4])
    assert cell_summary(t["damping"], ["problem", "damping"])["value"].tolist() == pytest.approx(
        [0.9, 2e-4])
    assert set(t["curves"].optimizer) == {"NGD", "Adam"}
    # the schedule table: the paper's epochs from the reused lr-table sweep, the longer run's own
    longer = _sweep_file("NGD", [(dict(lr=0.1, width=32), [1e-6, 3e-6]),
                                 (dict(lr=0.01, width=32), [1e-3, 1e-3])])
    sched = explain_table("pinn_ngd_schedule", longer,
                          dict(problem="p", lrs=[0.01, 0.1], epochs=[20, 60]),
                          {"NGD": 0.1}, 32, [ngd], [])
    assert cell_summary(sched, ["epochs", "lr"])["value"].tolist() == pytest.approx(
        [2e-4, 1e-2, 2e-6, 1e-3])
    with pytest.raises(ValueError, match="unknown explanation table"):
        explain_table("pinn_nothing", longer, {}, {}, 32, [], [])


def test_sweep_returns_overrides_as_columns(data1d):
    base = dict(problem="poisson1d", optimizer="NGD", lr=0.1, width=8, steps=3, log_every=100,
                inner_steps=3)
    df = sweep(base, [{"ngd.damping": 0.0}, {"ngd.damping": 1e-4}], [0], data1d)
    assert list(df.columns) == ["damping", "optimizer", "seed", "step", "metric", "value"]
    assert set(df["damping"]) == {0.0, 1e-4} and set(df["optimizer"]) == {"NGD"}
    fin = df[df.metric == "final_rel_l2"].set_index("damping")["value"]
    assert fin.loc[0.0] != fin.loc[1e-4]
    assert logging_interval(100, 20) == 1 and logging_interval(50, 300) == 3
    with pytest.raises(ValueError, match="unknown run settings"):
        sweep(base, [{"bogus": 1}], [0], data1d)


def test_explanation_tables_carry_the_papers_cells_and_nearest_frequency():
    """The frequency table puts the paper's helmholtz2d cell of each optimizer beside every a and
    names the a nearest to it in log10; the schedule table joins the lr table's NGD cell on lr;
    the collocation table the optimizer table's NGD cell of the problem."""
    freq = pd.DataFrame(dict(a=[1.0, 2.0, 4.0, 1.0, 2.0, 4.0],
                             optimizer=["NGD"] * 3 + ["Adam"] * 3,
                             value=[1e-4, 5e-3, 0.9, 1e-3, 0.5, 1.0]))
    t = frequency_paper(freq)
    assert t[t.optimizer == "NGD"]["paper_value"].tolist() == pytest.approx([6.67e-3] * 3)
    near = nearest_to_paper(t, "a", "optimizer").set_index("optimizer")
    assert near.loc["NGD", "a"] == 2.0 and near.loc["Adam", "a"] == 4.0
    assert near.loc["NGD", "decades"] == pytest.approx(abs(np.log10(5e-3 / 6.67e-3)))
    sched = schedule_paper(pd.DataFrame(dict(epochs=[200, 2000], lr=[0.001, 0.001],
                                             value=[1e-2, 1e-4])))
    assert sched["paper_value"].tolist() == pytest.approx([1.68e-4, 1.68e-4])
    col = collocation_paper(pd.DataFrame(dict(problem=["poisson10d", "poisson2d"], n=[768, 192],
                                              width=[308, 528], optimizer="NGD",
                                              value=[1e-3, 1e-4])))
    assert col["paper_value"].tolist() == pytest.approx([9.91e-4, 1.12e-4])


def _tidy_norms(norms: dict[int, np.ndarray], metric: str = "residual_norm") -> pd.DataFrame:
    return pd.DataFrame([dict(seed=s, step=k, metric=metric, value=float(v))
                         for s, r in norms.items() for k, v in enumerate(r)])


def test_convergence_rates_recover_quadratic_order():
    """r_{k+1} = c r_k^2 (c differs per seed) on the eta = 1 path, and full steps probed with
    the same law: both fitted slopes are 2, the seed range is [2, 2]."""
    eta1 = {}
    for seed, c in enumerate((0.5, 3.0)):
        r = [1e-1]
        for _ in range(4):
            r.append(c * r[-1] ** 2)
        eta1[seed] = np.array(r)
    # Probe: a slowly decreasing path |r_k| = 0.9^k, each with its full step 2 |r_k|^2.
    path = {s: 0.05 * 0.9 ** np.arange(8) for s in (0, 1)}
    probe = pd.concat([_tidy_norms(path),
                       _tidy_norms({s: 2 * v**2 for s, v in path.items()},
                                   "full_step_residual_norm")])
    out = convergence_rates(_tidy_norms(eta1), probe, "synthetic", floor_rel=1e-30)
    assert out["eta1_slope"] == pytest.approx(2.0, abs=1e-10)
    assert out["eta1_slope_lo"] == pytest.approx(2.0, abs=1e-10)
    assert out["eta1_slope_hi"] == pytest.approx(2.0, abs=1e-10)
    assert out["eta1_pairs"] == 8 and out["probe_pairs"] == 16
    assert out["probe_slope"] == pytest.approx(2.0, abs=1e-10)
    # A precision floor removes the pairs below it: the last pair of the c=3 seed
    # (r_4 = 3 r_3^2 ~ 6e-8 < 1e-6 r_0) is left out.
    assert convergence_rates(_tidy_norms(eta1), probe, "s", floor_rel=1e-6)["eta1_pairs"] < 8


def test_probe_full_step_equals_residual_after_a_hand_computed_step(data1d):
    """The probe's |r(w_0 - d_0)| equals the residual after the NGD direction d_0 computed by
    hand from the closed-form Jacobian at the initial weights (the optimizer's own solver
    settings), while the run itself moves by eta d_0 only."""
    cfg = RunConfig("poisson1d", "NGD", 0.1, 32, 1, seed=3, log_every=1, inner_steps=1,
                    probe_full_step=True)
    df = train_run(cfg, data1d)
    problem = get_problem("poisson1d")
    net = TwoLayerPINN(32, problem.dim, 3)
    res = Residual(problem.operator, data1d)
    r, jac = res.with_jacobian(net)
    d, _ = ngd_direction(jac, r, **cfg.ngd)
    with torch.no_grad():
        net.w.sub_(d.reshape(net.w.shape))
        expected = float(torch.linalg.vector_norm(res(net)))
    got = _metric(df, "full_step_residual_norm")
    assert got[0] == pytest.approx(expected, rel=1e-10)
    assert _metric(df, "residual_norm")[0] == pytest.approx(float(torch.linalg.vector_norm(r)),
                                                            rel=1e-12)


def test_gd_rate_is_exact_for_a_known_condition_number():
    """gd_rate = 1 - lambda_min / (2 lambda_max): lambda_min / lambda_max = 0.2 gives 0.9."""
    q = gram_spectrum(np.array([0.4, 1.0, 2.0]), n=3, ngd_lr=0.5)
    assert q["gd_rate"] == pytest.approx(0.9, abs=1e-15)
    assert q["ngd_rate"] == pytest.approx(0.5, abs=1e-15)
    assert q["below_floor"] == 0.0
