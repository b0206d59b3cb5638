"""Fully connected net with 3 hidden layers, frozen first and last layers (section B, seed 001).

For x ∈ S^{d−1}, x̃ = (x, 1) ∈ R^{d+1} (the constant coordinate is the first layer's bias),
width m, activation σ and NTK parameterization (every weight entry ~ N(0, 1)):

    z¹ = √q · W¹ x̃ / √2                       W¹ ∈ R^{m×(d+1)}   frozen
    z^{k+1} = W^{k+1} σ(z^k) / √m,  k = 1, 2   W², W³ ∈ R^{m×m}  trained
    f(x) = w⁴ · σ(z³) / √m                     w⁴ ∈ R^m          frozen

Input scaling: ‖x̃‖² = 2 on the sphere, so every first-layer preactivation is N(0, q)
(``preact_var``). The literal W x̃/√fan_in would give q = 2/(d + 1), which depends on d and
puts smooth activations in their near-linear range (their NTK spectra then decay much
faster); we state q in the config. Hidden layers have no bias. Trainable parameters: 2m².
σ is any activation of the registry :mod:`wideopt.activations` (seed 001's figures use
relu, elu, gelu, tanh, softplus); gradients come from autograd, so σ needs no closed-form
derivative.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from wideopt.activations import get_activation


class FrozenEndsMLP(nn.Module):
    """The network above; ``forward(x)`` maps (n, d) float64 to (n,)."""

    def __init__(self, dim: int, width: int, activation: str, preact_var: float = 1.0,
                 seed: int = 0, hidden_layers: int = 3):
        super().__init__()
        if width < 1 or hidden_layers < 2:
            raise ValueError("need width >= 1 and at least 2 hidden layers (one trained matrix)")
        self.dim, self.width, self.activation = dim, width, activation
        self.preact_var = float(preact_var)
        self.sigma = get_activation(activation).psi
        gen = torch.Generator().manual_seed(
            int(np.random.SeedSequence([seed, width, dim]).generate_state(1)[0]))
        kw = dict(generator=gen, dtype=torch.float64)
        self.register_buffer("w_in", torch.randn(width, dim + 1, **kw))
        self.hidden = nn.ParameterList(
            [nn.Parameter(torch.randn(width, width, **kw)) for _ in range(hidden_layers - 1)])
        self.register_buffer("w_out", torch.randn(width, **kw))

    @property
    def n_trainable(self) -> int:
        return sum(p.numel() for p in self.hidden)

    def first_layer(self, x: torch.Tensor) -> torch.Tensor:
        """z¹ = √q W¹ (x, 1)/√2: (n, m)."""
        xt = torch.cat([x, torch.ones_like(x[:, :1])], dim=1)
        return math.sqrt(self.preact_var / 2) * xt @ self.w_in.T

    def forward(self, x: torch.Tensor, eps: list[torch.Tensor] | None = None) -> torch.Tensor:
        """f(x): (n,). ``eps[k]`` (n, m) is added to the k-th trained layer's output z^{k+2}
        (zero perturbations whose gradients are ∂f/∂z, used by the empirical NTK)."""
        a = self.sigma(self.first_layer(x))
        scale = self.width**-0.5
        for k, w in enumerate(self.hidden):
            z = a @ w.T * scale
            if eps is not None:
                z = z + eps[k]
            a = self.sigma(z)
        return a @ self.w_out * scale

    def trained_layer_inputs(self, x: torch.Tensor) -> list[torch.Tensor]:
        """σ(z^k), the input of each trained matrix W^{k+1}: list of (n, m)."""
        out = []
        a = self.sigma(self.first_layer(x))
        for w in self.hidden:
            out.append(a)
            a = self.sigma(a @ w.T * self.width**-0.5)
        return out
