"""Fourier neural operator (1-D) in the NTK parameterization (Li et al. 2021; seed 000).

    v_0(x) = P (u(x), x),
    v_{l+1}(x) = sigma( W_l v_l(x) + (K_l v_l)(x) ),   l = 0 .. L-2,
    v_L(x) = W_{L-1} v_{L-1}(x) + (K_{L-1} v_{L-1})(x)   (L = 4; no activation after the last
                                                          Fourier layer, as Li et al.'s code
                                                          and neuraloperator),
    G_theta(u)(x) = Q_2 sigma(Q_1 v_L(x)),

with P: R^2 -> R^m (lift), W_l pointwise m x m, K_l the spectral convolution with ``modes``
Fourier modes (:class:`~wideopt.models.spectral_conv.SpectralConv1d`), Q_1: m -> 128,
Q_2: 128 -> 1, all NTK-parameterized (weights N(0,1) scaled by 1/sqrt(fan_in)) and sigma
smooth (GELU by default). Shapes: u ``(batch, n_x)``, x ``(n_x,)`` -> ``(batch, n_x)``.
"""

from __future__ import annotations

import torch
from torch import nn

from wideopt.activations import get_activation
from wideopt.models.ntk_linear import NTKLinear
from wideopt.models.spectral_conv import SpectralConv1d

# Smooth activations only: the theory (seed 000) needs a twice-differentiable sigma.
ACTIVATIONS = ("tanh", "gelu")


class FNO1d(nn.Module):
    def __init__(self, width: int, modes: int = 16, n_layers: int = 4,
                 activation: str = "gelu", proj_width: int = 128):
        super().__init__()
        if width < 1:
            raise ValueError(f"width must be >= 1, got {width}")
        self.lift = NTKLinear(2, width)
        self.spectral = nn.ModuleList(SpectralConv1d(width, width, modes)
                                      for _ in range(n_layers))
        self.pointwise = nn.ModuleList(NTKLinear(width, width) for _ in range(n_layers))
        self.act = get_activation(activation, choices=ACTIVATIONS).module()
        self.proj1 = NTKLinear(width, proj_width)
        self.proj2 = NTKLinear(proj_width, 1)

    def forward(self, u: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        """``u (batch, n_x)``, grid ``x (n_x,)`` -> ``(batch, n_x)``."""
        grid = x.to(u.dtype).expand_as(u)
        v = self.lift(torch.stack([u, grid], dim=-1))  # (b, n_x, m), channels-last throughout
        last = len(self.spectral) - 1
        for i, (spec, point) in enumerate(zip(self.spectral, self.pointwise, strict=True)):
            v = point(v) + spec(v)  # pointwise: one (b n_x, m) x (m, m) GEMM
            if i < last:  # Li et al.: no activation after the last Fourier layer
                v = self.act(v)
        return self.proj2(self.act(self.proj1(v))).squeeze(-1)


def build(n_sensors: int, width: int, **options) -> FNO1d:
    """The operator registry's constructor (``wideopt.models.<arch>.build``): an FNO of
    ``width`` channels; ``n_sensors`` is not needed (the FNO is grid-agnostic)."""
    return FNO1d(width, **options)
