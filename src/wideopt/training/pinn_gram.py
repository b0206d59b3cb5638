"""Gram matrix H(0) = J J^T of a two-layer PINN's normalized residuals at initialization
(seed 002, Sec. 3): GD on L = 1/2 |r|^2 contracts at (1 - eta lambda_min / 2) per step for
eta <= O(1/lambda_max), NGD at (1 - eta) independently of H. J (n x p) from
:class:`~wideopt.training.pinn_residual.Residual`, eigenvalues by
:func:`wideopt.kernels.spectra.gram_eigenvalues` (float64).
"""

from __future__ import annotations

import numpy as np

from wideopt.data.pinn_problems import Collocation
from wideopt.kernels.spectra import gram_eigenvalues
from wideopt.models.pinn_two_layer import TwoLayerPINN
from wideopt.pde import get_problem
from wideopt.training.pinn_residual import Residual


def initial_gram(problem: str, colloc: Collocation, width: int, seed: int,
                 activation: str = "tanh") -> tuple[np.ndarray, int, int]:
    """Eigenvalues of H(0) = J J^T (n x n, decreasing) at the initialization of ``seed``, with
    n and p."""
    prob = get_problem(problem)
    net = TwoLayerPINN(width, prob.dim, seed, activation)
    _, jac = Residual(prob.operator, colloc).with_jacobian(net)
    return gram_eigenvalues(jac @ jac.T), jac.shape[0], jac.shape[1]


__all__ = ["initial_gram"]
