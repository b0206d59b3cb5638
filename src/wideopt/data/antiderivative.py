"""The antiderivative operator u -> s, s(x) = int_0^x u(t) dt on [0, 1] (DeepONet, seed 000).

Inputs u are :class:`~wideopt.data.grf.RBFField` samples (exact polynomials), so both u and
s are evaluated exactly (to round-off) on the sensor grid by the Chebyshev matrices of
:func:`~wideopt.data.grf.chebyshev_operators`.
"""

from __future__ import annotations

import numpy as np

from wideopt.data.grf import RBFField, chebyshev_nodes, chebyshev_operators


def antiderivative(fn_values_at_nodes: np.ndarray, x: np.ndarray) -> np.ndarray:
    """int_0^x p for the polynomial p interpolating the node values.

    Args:
        fn_values_at_nodes: ``(..., n_nodes)`` values at :func:`chebyshev_nodes` ``(n_nodes)``.
        x: evaluation points in [0, 1], shape ``(n_x,)``.

    Returns:
        ``(..., n_x)``; exact for polynomials of degree < n_nodes, spectrally accurate for
        analytic functions.
    """
    n_nodes = fn_values_at_nodes.shape[-1]
    _, int_mat = chebyshev_operators(n_nodes, x)
    return fn_values_at_nodes @ int_mat.T


def generate(
    n_train: int, n_test: int, n_points: int, seed: int, length_scale: float = 0.2,
    n_nodes: int = 64,
) -> tuple[dict[str, np.ndarray], dict]:
    """Draw ``n_train + n_test`` pairs (u, s) on the grid x_j = j/(n_points-1).

    Returns:
        ``(arrays, meta)`` with arrays ``x (n_points,)``, ``u, s (n_train+n_test, n_points)``;
        the first ``n_train`` rows are the training set.
    """
    _check_counts(n_train, n_test, n_points)
    field = RBFField(length_scale, n_nodes)
    rng = np.random.default_rng(seed)
    nodes_u = field.sample_nodes(n_train + n_test, rng)
    x = np.linspace(0.0, 1.0, n_points)
    eval_mat, int_mat = chebyshev_operators(n_nodes, x)
    arrays = dict(x=x, u=nodes_u @ eval_mat.T, s=nodes_u @ int_mat.T)
    meta = dict(problem="antiderivative", n_train=n_train, n_test=n_test, n_points=n_points,
                seed=seed, length_scale=length_scale, n_nodes=n_nodes,
                representation="Chebyshev interpolant (exact polynomial samples)")
    return arrays, meta


def _check_counts(n_train: int, n_test: int, n_points: int) -> None:
    if n_train < 1 or n_test < 1:
        raise ValueError(f"need n_train >= 1 and n_test >= 1, got {n_train}, {n_test}")
    if n_points < 2:
        raise ValueError(f"n_points must be >= 2, got {n_points}")


__all__ = ["antiderivative", "chebyshev_nodes", "generate"]
