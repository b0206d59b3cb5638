"""Claims B1-B6 on synthetic aggregated tables with known verdicts."""

import numpy as np
import pandas as pd

from wideopt.analysis import claims_sobolev as C


def _inputs(tmp_path, relu_p=(1.5, 1.25), frob_slope=-0.5, err_slope=-0.1):
    decay = []
    for d, p in zip((3, 5), relu_p, strict=True):
        decay += [dict(quantity="exponent", activation="relu", d=d, value=p),
                  dict(quantity="lambda_ratio_k100", activation="relu", d=d, value=1e-3)]
        decay += [dict(quantity="lambda_ratio_k100", activation=a, d=d, value=1e-6)
                  for a in ("gelu", "softplus", "tanh")]
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
