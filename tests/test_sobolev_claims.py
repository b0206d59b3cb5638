"""Claims B1-B6 on synthetic aggregated tables with known verdicts."""

import numpy as np
import pandas as pd
import pytest

from wideopt.analysis import claims_sobolev as C


def _inputs(tmp_path, relu_p=(1.5, 1.25), frob_slope=-0.5, err_slope=-0.1):
    decay = []  # tidy, one row per seed, as results/sobolev/sobolev_decay_exponents.csv
    for d, p in zip((3, 5), relu_p, strict=True):
        for seed, e in ((0, -0.01), (1, 0.01)):  # seed means are the stated values
            decay += [dict(quantity="exponent", activation="relu", d=d, seed=seed, value=p + e),
                      dict(quantity="lambda_ratio_k100", activation="relu", d=d, seed=seed,
                           value=1e-3)]
            decay += [dict(quantity="lambda_ratio_k100", activation=a, d=d, seed=seed,
                           value=1e-6) for a in ("gelu", "softplus", "tanh")]
    runs = []
    for alpha in (0.5, 1, 2, 4):
        for m in (32, 64, 128):
            for seed in (0, 1):
                runs.append(dict(d=3, alpha=alpha, width=m, seed=seed, n_params=2 * m * m,
                                 t_final=100.0, test_l2=m**err_slope / (1 + alpha),
                                 weight_rel_max=m**frob_slope, weight_rel_spec_max=m**-0.5,
                                 diverged=0.0))
    p = np.arange(1, 40) ** 2
    classical = pd.concat([pd.DataFrame(dict(alpha=a, method="projection", degree=np.arange(39),
                                             n_params=p * 100, test_l2=(p * 100.0) ** (-a / 2)))
                           for a in (0.5, 1, 2, 4)])
    paths = {k: str(tmp_path / f"{k}.csv") for k in ("decay", "runs", "classical")}
    pd.DataFrame(decay).to_csv(paths["decay"], index=False)
    pd.DataFrame(runs).to_csv(paths["runs"], index=False)
    classical.to_csv(paths["classical"], index=False)
    return paths


def test_all_pass_on_consistent_tables(tmp_path):
    inputs = _inputs(tmp_path)
    for cid, fn in C.EVALUATORS.items():
        out = fn(inputs)
        assert out.passed, (cid, out.reproduced_value)


def test_failures_are_detected(tmp_path):
    inputs = _inputs(tmp_path, relu_p=(1.5, 1.6), frob_slope=-1.0, err_slope=0.1)
    assert not C.b1(inputs).passed  # 1.6 vs 1.25 is 28 % off
    assert not C.b6(inputs).passed  # slope -1 is outside [-0.7, -0.3]
    assert not C.b3(inputs).passed  # error grows with width
    assert C.b4(inputs).passed


def test_decay_summary_means_over_seeds_and_adds_theory():
    from wideopt.analysis.sobolev_summary import decay_summary

    tidy = pd.DataFrame([dict(quantity="exponent", activation="relu", d=3, seed=s, value=v)
                         for s, v in ((0, 1.4), (1, 1.6))])
    s = decay_summary(tidy).set_index("quantity")
    assert s.loc["exponent", "value"] == pytest.approx(1.5)
    assert s.loc["exponent", "std"] == pytest.approx(np.std([1.4, 1.6], ddof=1))
    assert s.loc["theory d/(d-1)", "value"] == 1.5


def test_summary_claims_and_plot_modules_do_not_import_torch():
    """Tables, claims and figures of sections B and D run in processes without torch."""
    import subprocess
    import sys

    mods = ["wideopt.analysis.sobolev_summary", "wideopt.analysis.ntk_summary",
            "wideopt.analysis.claims_sobolev", "wideopt.analysis.claims_ntk",
            "wideopt.analysis.fits", "wideopt.plots.sobolev", "wideopt.plots.ntk"]
    code = "import sys\n" + "".join(f"import {m}\n" for m in mods) + \
        "assert 'torch' not in sys.modules, 'torch imported'\n"
    subprocess.run([sys.executable, "-c", code], check=True)
