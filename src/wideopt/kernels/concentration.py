"""Concentration of the NTK at initialization: ||H(0) - H*||_2 against width m.

H(0) averages m i.i.d. rank-one terms whose mean is H*, so ||H(0) - H*||_2 = O(m^{-1/2})
(seed 003: "H(0) concentrates on H* as the width grows").
"""

from __future__ import annotations

import pandas as pd
import torch

from wideopt.kernels.ntk_two_layer import h_star, two_layer_ntk_gram
from wideopt.models.two_layer import TwoLayerNet


def init_concentration(x: torch.Tensor, activation: str, widths: list[int], seeds: list[int],
                       nodes: int) -> pd.DataFrame:
    """Rows ``width, seed, error, h_star_norm`` with error = ||H(0) - H*||_2 (spectral)."""
    hs = h_star(x, activation, nodes)
    hs_norm = torch.linalg.matrix_norm(hs, ord=2).item()
    rows = []
    for width in widths:
        net = TwoLayerNet.init(width, x.shape[1], seeds, activation)
        err = torch.linalg.matrix_norm(two_layer_ntk_gram(net, x) - hs, ord=2)
        for seed, e in zip(seeds, err.tolist(), strict=True):
            rows.append(dict(width=width, seed=seed, error=e, h_star_norm=hs_norm))
    return pd.DataFrame(rows)
