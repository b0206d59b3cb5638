"""Deep operator network (DON) in the NTK parameterization (seed 000, catalogue section A).

    G_theta(u)(y) = (1/sqrt(K)) sum_{k=1}^K f_k(u) g_k(y) + b_0,

branch f: R^{n_sensors} -> R^K and trunk g: R -> R^K, each an MLP n_in -> m -> m -> K whose
layers are :class:`~wideopt.models.ntk_linear.NTKLinear` with a smooth activation sigma after
each hidden layer (the last layer is linear), and K = m (catalogue). Evaluated on the
Cartesian product of functions and query points:

    u: (batch, n_sensors), y: (n_query,)  ->  G: (batch, n_query).
"""

from __future__ import annotations

import math

import torch
from torch import nn

from wideopt.activations import get_activation
from wideopt.models.ntk_linear import NTKLinear

# Smooth activations only: the theory (seed 000) needs a twice-differentiable sigma.
ACTIVATIONS = ("tanh", "gelu")


def mlp(n_in: int, width: int, n_out: int, activation: str, depth: int = 2) -> nn.Sequential:
    """``depth`` hidden layers of ``width`` with activation, then a linear map to ``n_out``."""
    layers: list[nn.Module] = []
    d = n_in
    for _ in range(depth):
        layers += [NTKLinear(d, width), get_activation(activation, choices=ACTIVATIONS).module()]
        d = width
    layers.append(NTKLinear(d, n_out))
    return nn.Sequential(*layers)


class DeepONet(nn.Module):
    """Unstacked DeepONet with branch and trunk MLPs 100 -> m -> m -> K, 1 -> m -> m -> K."""

    def __init__(self, n_sensors: int, width: int, activation: str = "tanh",
                 n_basis: int | None = None):
        super().__init__()
        if width < 1:
            raise ValueError(f"width must be >= 1, got {width}")
        self.n_basis = n_basis or width
        self.branch = mlp(n_sensors, width, self.n_basis, activation)
        self.trunk = mlp(1, width, self.n_basis, activation)
        self.bias = nn.Parameter(torch.zeros(()))

    def forward(self, u: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """``u (batch, n_sensors)``, query points ``y (n_query,)`` -> ``(batch, n_query)``."""
        f = self.branch(u)  # (batch, K)
        g = self.trunk(y.to(u.dtype)[:, None])  # (n_query, K)
        return f @ g.T / math.sqrt(self.n_basis) + self.bias


def build(n_sensors: int, width: int, **options) -> DeepONet:
    """The operator registry's constructor (``wideopt.models.<arch>.build``): a DeepONet
    with ``n_sensors`` branch inputs and hidden width ``width``."""
    return DeepONet(n_sensors, width, **options)
