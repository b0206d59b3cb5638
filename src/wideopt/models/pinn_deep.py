"""Deep PINN net (section E, ``open_ngd_depth``; seed 002, limitation 1).

With x~ = (x, 1), width m, L hidden layers, a_r = +-1 fixed:

    h_1 = sigma(W_1 x~),   h_{k+1} = sigma(W_{k+1} h_k / sqrt(m)),   phi(x) = a . h_L / sqrt(m),

W_1 in R^{m x (d+1)} (as the two-layer net: no 1/sqrt(d+1)), W_k in R^{m x m}, every entry
N(0, 1), all trained, flattened into one parameter w (p = m (d+1) + (L-1) m^2) so that the
section C optimizers (NGD, Adam, L-BFGS on one tensor) apply unchanged. L = 1 is seed 002's
two-layer net with the same W_1 and a (:func:`wideopt.models.pinn_two_layer.init_weights`).

The net owns its derivatives in x (:func:`apply_operator`: L phi_w at one point by
``torch.func``); the residual and its Jacobian are assembled in
:mod:`wideopt.training.pinn.deep`. Shapes: x (n, d) -> phi (n,); float64.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.func import jacfwd, jacrev, vmap

from wideopt.activations import get_activation
from wideopt.models.pinn_two_layer import PINN_ACTIVATION_NAMES, init_weights
from wideopt.pde import LinearOperator

Tensor = torch.Tensor


class DeepPINN(nn.Module):
    """phi above; parameter ``w`` (p,) flat, buffer ``a`` (m,); ``forward(x (n, d)) -> (n,)``."""

    def __init__(self, width: int, dim: int, seed: int, depth: int = 2,
                 activation: str = "tanh"):
        super().__init__()
        if depth < 1:
            raise ValueError(f"depth must be >= 1, got {depth}")
        self.sigma = get_activation(activation, PINN_ACTIVATION_NAMES).psi
        w1, a = init_weights(width, dim, seed)
        state = np.random.SeedSequence([seed, width, dim, depth]).generate_state(1)[0]
        gen = torch.Generator().manual_seed(int(state))
        rest = [torch.randn(width * width, generator=gen, dtype=torch.float64)
                for _ in range(depth - 1)]
        self.w = nn.Parameter(torch.cat([w1.reshape(-1), *rest]))
        self.register_buffer("a", a)
        self.width, self.dim, self.depth = width, dim, depth

    def phi(self, w: Tensor, x: Tensor) -> Tensor:
        """phi_w(x) for one point x (d,): a scalar (the function ``torch.func`` transforms)."""
        m, d = self.width, self.dim
        h = self.sigma(w[: m * (d + 1)].reshape(m, d + 1) @ torch.cat([x, x.new_ones(1)]))
        for k in range(self.depth - 1):
            start = m * (d + 1) + k * m * m
            h = self.sigma(w[start:start + m * m].reshape(m, m) @ h / math.sqrt(m))
        return h @ self.a / math.sqrt(m)

    def forward(self, x: Tensor) -> Tensor:
        return vmap(self.phi, (None, 0))(self.w, x)


def apply_operator(op: LinearOperator, phi, w: Tensor, x: Tensor) -> Tensor:
    """L phi_w at one point x (d,) by torch.func: gradient and Hessian in x."""
    grad = jacrev(phi, argnums=1)(w, x)
    hess = jacfwd(jacrev(phi, argnums=1), argnums=1)(w, x)
    b = torch.tensor(op.b, dtype=x.dtype, device=x.device)
    c = torch.tensor(op.c, dtype=x.dtype, device=x.device)
    return op.c0 * phi(w, x) + grad @ b + torch.diagonal(hess) @ c
