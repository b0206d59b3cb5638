"""Operator training loop (with the Hessian norms at initialization), aggregation and claims
(section A). The Hessian norms themselves: tests/test_hessian.py."""

import numpy as np
import pandas as pd
import pytest

from wideopt.analysis.operators_summary import (
    collect_curves,
    final_loss_table,
    first_step_below,
)
from wideopt.io import write_csv, write_npz
from wideopt.models.deeponet import DeepONet
from wideopt.training.operators.regression import TrainSettings, train_operator


@pytest.fixture
def tiny_data(tmp_path):
    rng = np.random.default_rng(0)
    x = np.linspace(0, 1, 12)
    u = rng.standard_normal((40, 12))
    s = np.cumsum(u, axis=1) / 12  # a linear operator, easy to learn
    path = tmp_path / "antiderivative.npz"
    write_npz(path, dict(n_train=30, n_test=10), x=x, u=u, s=s)
    return str(path)


def test_train_operator_records_metrics_and_learns(tiny_data):
    settings = TrainSettings(epochs=12, batch_size=10, eval_every=4, hessian_batch=10)
    metrics, summary = train_operator(lambda n, w: DeepONet(n, w), tiny_data,
                                      "antiderivative", 16, 0, settings)
    loss = metrics[metrics.metric == "train_loss"].value.to_numpy()
    assert len(loss) == 12 and loss[-1] < 0.7 * loss[0]
    assert list(metrics[metrics.metric == "test_rel_l2"].step) == [4, 8, 12]
    assert summary["epochs_run"] == 12 and not summary["diverged"]
    assert summary["rel_param_distance"] == pytest.approx(
        summary["param_distance"] / summary["param_norm0"])
    # both Hessian norms at initialization, converged to the tolerance on the measured residual
    for h in ("hessian", "net_hessian"):
        assert summary[f"{h}_converged"] == 1 and summary[f"{h}_norm"] > 0
        assert summary[f"{h}_residual"] <= settings.hessian_tol
        assert summary[f"{h}_norm"] == pytest.approx(abs(summary[f"{h}_eigenvalue"]))
    # Same seed, same machine: identical metrics (deterministic job).
    metrics2, _ = train_operator(lambda n, w: DeepONet(n, w), tiny_data, "antiderivative", 16,
                                 0, settings)
    pd.testing.assert_frame_equal(metrics, metrics2)


def test_diverged_run_is_recorded_not_raised(tiny_data):
    settings = TrainSettings(epochs=5, batch_size=10, lr=1e30, eval_every=5, hessian_batch=5)
    metrics, summary = train_operator(lambda n, w: DeepONet(n, w), tiny_data,
                                      "antiderivative", 8, 0, settings)
    assert summary["diverged"]
    assert not np.isfinite(summary["final_train_loss"])
    assert summary["epochs_run"] < 5  # stopped at the first non-finite epoch
    assert len(metrics[metrics.metric == "train_loss"]) == summary["epochs_run"]


def _synthetic(tmp_path, wider_is_better=True):
    """Summary/curves with a known answer: loss ~ c / width (or the reverse)."""
    rows, curves = [], []
    for arch in ("deeponet", "fno"):
        for problem in ("antiderivative", "burgers"):
            for width in (10, 50, 100, 200, 500):
                for seed in (0, 1):
                    f = width if wider_is_better else 1000 / width
                    final = 1.0 / f
                    rows.append(dict(arch=arch, problem=problem, width=width, seed=seed,
                                     final_train_loss=final, final_test_rel_l2=0.1,
                                     target_mean_square=1.0, hessian_norm=1 / np.sqrt(f),
                                     param_distance=np.sqrt(f), param_norm0=f,
                                     rel_param_distance=1 / np.sqrt(f)))
                    for e in range(1, 101):
                        curves.append(dict(arch=arch, problem=problem, width=width, seed=seed,
                                           step=e, metric="train_loss",
                                           value=final * 100 / e))
    paths = dict(summary=tmp_path / "summary.csv", curves=tmp_path / "curves.csv",
                 final_loss=tmp_path / "operators_final_loss.csv")
    write_csv(pd.DataFrame(rows), paths["summary"])
    write_csv(pd.DataFrame(curves), paths["curves"])
    write_csv(final_loss_table(pd.DataFrame(curves), pd.DataFrame(rows), 1e-3),
              paths["final_loss"])
    return {k: str(v) for k, v in paths.items()}


def test_final_loss_table_threshold(tmp_path):
    inputs = _synthetic(tmp_path)
    table = final_loss_table(pd.read_csv(inputs["curves"]), pd.read_csv(inputs["summary"]),
                             1e-3)
    cell = table[(table.arch == "fno") & (table.problem == "burgers") & (table.width == 500)]
    # Tidy: one row per seed for the per-run quantities, one per cell for the threshold epoch
    # (a property of the seed-mean curve).
    assert list(cell.groupby("quantity", sort=False).size()) == [2, 2, 1]
    assert list(cell[cell.quantity == "final train loss"].seed) == [0, 1]
    epochs = cell[cell.quantity == "epochs to threshold"]
    # 1/500 * 100/e <= 1e-3  <=>  e >= 200: never within 100 epochs.
    assert np.isnan(epochs.value.iloc[0]) and pd.isna(epochs.seed.iloc[0])
    at_1e2 = final_loss_table(pd.read_csv(inputs["curves"]), pd.read_csv(inputs["summary"]),
                              1e-1)
    # 1/500 * 100/e <= 0.1  <=>  e >= 2.
    assert at_1e2[(at_1e2.arch == "fno") & (at_1e2.problem == "burgers") & (at_1e2.width == 500)
                  & (at_1e2.quantity == "epochs to threshold")].value.iloc[0] == 2
    curve = pd.DataFrame(dict(step=[1, 2, 3], value=[3.0, 1.0, 2.0]))
    assert first_step_below(curve, 1.5) == 2


def test_collect_curves_of_single_and_grouped_jobs(tmp_path):
    """A job writes one width (w10) or a group of widths (w10-30, config width_groups):
    either way the curves carry arch, problem and width from the file's own columns (never
    from its path), and a file without them is a clear error."""
    row = dict(step=1, metric="train_loss", value=1.0, seed=0, arch="fno", problem="burgers")
    write_csv(pd.DataFrame([dict(row, width=10), dict(row, width=30)]),
              tmp_path / "a.metrics.csv")
    write_csv(pd.DataFrame([dict(row, width=100, problem="antiderivative")]),
              tmp_path / "b.metrics.csv")
    curves = collect_curves([tmp_path / "a.metrics.csv", tmp_path / "b.metrics.csv"])
    assert list(curves.width) == [10, 30, 100]
    assert set(curves.arch) == {"fno"}
    assert list(curves.problem) == ["burgers", "burgers", "antiderivative"]
    write_csv(pd.DataFrame([dict(step=1, metric="train_loss", value=1.0, seed=0, width=10)]),
              tmp_path / "old.metrics.csv")
    with pytest.raises(ValueError, match="lack the columns"):
        collect_curves([tmp_path / "old.metrics.csv"])


@pytest.mark.integration
def test_editing_a_model_or_generator_reruns_only_its_jobs(tmp_path):
    """Code inputs of the wildcard rules stay exact: DeepONet jobs never list models/fno.py,
    FNO jobs always do; each data job lists its own generator only."""
    from conftest import QUICK, copy_repo, snakemake

    work = copy_repo(tmp_path / "repo")
    out = snakemake(work, "-n", "-p", "quick/figures/operators_lazy.png", "--configfile",
                    QUICK).stdout
    blocks = out.split("\nrule ")
    train = [b for b in blocks if b.startswith("operators_train:")]
    don = [b for b in train if "arch=deeponet" in b]
    fno = [b for b in train if "arch=fno" in b]
    assert don and fno and len(don) + len(fno) == len(train)
    assert all("models/fno.py" not in b.split("output:")[0] for b in don)
    assert all("models/deeponet.py" in b.split("output:")[0] for b in don)
    assert all("models/fno.py" in b.split("output:")[0] for b in fno)
    assert all("models/deeponet.py" not in b.split("output:")[0] for b in fno)
    data = [b for b in blocks if b.startswith("operators_data:")]
    assert len(data) == 3
    for b in data:
        inputs = b.split("output:")[0]
        problem = b.split("problem=")[1].split()[0].rstrip(",")
        generators = {g for g in ("antiderivative", "diffusion_reaction", "burgers")
                      if f"data/{g}.py" in inputs}
        assert generators == {problem}, (problem, generators)
