"""Eigenvalues of symmetric positive semi-definite Gram matrices (NTK Grams, J J^T)."""

from __future__ import annotations

import numpy as np
import torch


def gram_eigenvalues(h: np.ndarray | torch.Tensor, per_point: bool = False) -> np.ndarray:
    """Eigenvalues of the symmetric n x n matrix ``h`` in decreasing order, float64 numpy.

    With ``per_point``, of ``h / n``: the empirical integral operator's spectrum, whose
    eigenvalues approximate the kernel's Mercer eigenvalues (seed 001). ``eigvalsh`` reads
    the lower triangle only.
    """
    h = torch.as_tensor(h, dtype=torch.float64)
    if per_point:
        h = h / h.shape[0]
    return torch.linalg.eigvalsh(h).flip(0).cpu().numpy()
