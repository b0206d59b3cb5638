"""Gram matrix H = J J^T of the two-layer PINN's normalized residuals (seed 002, Sec. 3).

J = dr/dW (n x p) with r the stacked residuals normalized by sqrt(n1), sqrt(n2); GD on
L = 1/2 |r|^2 contracts at (1 - eta lambda_min / 2) per step for eta <= O(1/lambda_max), NGD
at (1 - eta) independently of H. Eigenvalues by ``torch.linalg.eigvalsh`` in float64.
"""

from __future__ import annotations

import numpy as np
import torch

from wideopt.data.pinn_problems import get_problem
from wideopt.models.pinn_two_layer import TwoLayerPINN


def gram_eigenvalues(problem: str, data: dict[str, torch.Tensor], width: int, seed: int,
                     activation: str = "tanh") -> tuple[np.ndarray, int, int]:
    """Eigenvalues of H(0) = J J^T (ascending), n and p, for one initialization."""
    prob = get_problem(problem)
    net = TwoLayerPINN(width, prob.dim, seed, activation)
    with torch.no_grad():
        _, jac = net.residuals_and_jacobian(prob, data)
        eig = torch.linalg.eigvalsh(jac @ jac.T)
    return eig.numpy(), jac.shape[0], jac.shape[1]


__all__ = ["gram_eigenvalues"]
