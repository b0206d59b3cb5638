"""Gram matrix H(0) = J J^T of a two-layer PINN's residuals at initialization (seed 002, Sec. 3),
its eigenvalues from the singular values of J, under two normalizations of the residual.

GD on L = 1/2 |r|^2 contracts at (1 - eta lambda_min / 2) per step for eta <= O(1/lambda_max),
NGD at (1 - eta) independently of H. J (n x p, n = n1 + n2, p = m (d+1)) comes from
:class:`~wideopt.training.pinn.residual.Residual` (closed form, float64).

Normalizations (:data:`NORMALIZATIONS`), both with the same net and points:

- ``normalized`` (ours, the training loss; the paper's "normalized by sample size"):
  r = ((L phi(x_i) - f_i) / sqrt(n1), (phi(x_j) - g_j) / sqrt(n2)), L = 1/2 (mean_i r_int^2 +
  mean_j r_bd^2); its Gram H = J J^T has lambda_max bounded independently of n1, n2;
- ``unnormalized``: r~ = (L phi(x_i) - f_i, phi(x_j) - g_j), L~ = 1/2 sum of squares; J~ = D J
  with D = diag(sqrt(n1) (n1 times), sqrt(n2) (n2 times)), so H~ = D H D, whose lambda_max grows
  like n.

Eigenvalues: lambda_k = sigma_k(J)^2 by ``torch.linalg.svdvals`` in float64. A singular value is
computed to an absolute error ~ eps sigma_max, so lambda is resolved down to ~ eps^2 lambda_max;
``eigvalsh(J J^T)`` only to ~ n eps lambda_max (forming J J^T already rounds at eps lambda_max):
it is kept as a contrast (:func:`eigvalsh_gram`).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from wideopt.data.pinn_problems import Collocation
from wideopt.kernels.spectra import gram_eigenvalues
from wideopt.models.pinn_two_layer import TwoLayerPINN
from wideopt.pde import get_problem
from wideopt.training.pinn.residual import Residual

NORMALIZATIONS = ("normalized", "unnormalized")


def row_scales(n1: int, n2: int, normalization: str) -> torch.Tensor:
    """Factors D (n1 + n2,) that turn the rows of the normalized Jacobian into those of
    ``normalization``: ones (normalized), sqrt(n1) then sqrt(n2) (unnormalized)."""
    if normalization == "normalized":
        return torch.ones(n1 + n2, dtype=torch.float64)
    if normalization == "unnormalized":
        return torch.cat([torch.full((n1,), math.sqrt(n1), dtype=torch.float64),
                          torch.full((n2,), math.sqrt(n2), dtype=torch.float64)])
    raise ValueError(f"normalization {normalization!r} not in {NORMALIZATIONS}")


def svd_gram_eigenvalues(jac: torch.Tensor) -> np.ndarray:
    """Eigenvalues of J J^T as sigma(J)^2 (``svdvals``, float64), decreasing: n values when
    n <= p, else p values padded with zeros to n (J J^T has rank <= p)."""
    s = torch.linalg.svdvals(jac.to(torch.float64))
    lam = (s * s).cpu().numpy()
    return np.concatenate([lam, np.zeros(max(jac.shape[0] - lam.size, 0))])


def eigvalsh_gram(jac: torch.Tensor) -> np.ndarray:
    """Eigenvalues of J J^T by ``eigvalsh`` of the formed matrix (the method it replaces)."""
    jac = jac.to(torch.float64)
    return gram_eigenvalues(jac @ jac.T)


def initial_jacobian(problem: str, colloc: Collocation, width: int, seed: int,
                     activation: str = "tanh") -> torch.Tensor:
    """J (n, m (d+1)) of the normalized residual at the initialization of ``seed``."""
    prob = get_problem(problem)
    net = TwoLayerPINN(width, prob.dim, seed, activation)
    return Residual(prob.operator, colloc).with_jacobian(net)[1]


def initial_gram(problem: str, colloc: Collocation, width: int, seed: int,
                 activation: str = "tanh") -> dict[str, dict[str, np.ndarray]]:
    """Per normalization: ``svd`` = sigma(J)^2 and ``eigvalsh`` = eigvalsh(J J^T) (both (n,),
    decreasing) at the initialization of ``seed``."""
    jac = initial_jacobian(problem, colloc, width, seed, activation)
    n1, n2 = colloc.sizes
    out = {}
    for norm in NORMALIZATIONS:
        j = jac * row_scales(n1, n2, norm)[:, None]
        out[norm] = dict(svd=svd_gram_eigenvalues(j), eigvalsh=eigvalsh_gram(j))
    return out


__all__ = ["NORMALIZATIONS", "row_scales", "svd_gram_eigenvalues", "eigvalsh_gram",
           "initial_jacobian", "initial_gram"]
