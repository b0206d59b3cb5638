"""1-D spectral convolution (the Fourier layer's global kernel; Li et al. 2021, seed 000).

    (K v)(x) = F^{-1}( R_k . (F v)_k ),   k = 0 .. modes-1,   R_k in C^{m x m},

with F the orthonormal real FFT along x (``norm="ortho"``), modes >= ``modes`` set to zero.
NTK parameterization: Re R, Im R ~ N(0, 1) elementwise, applied as R / sqrt(2 m) so the
complex weight has variance 1/m (fan-in m), like a pointwise NTK layer. The weight is stored
as a real tensor of shape ``(2, m_in, m_out, modes)`` so that every parameter is real
(Hessian-vector products and Adam see real coordinates). Shapes: ``(batch, m_in, n_x)`` ->
``(batch, m_out, n_x)``; requires ``modes <= n_x // 2 + 1``.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class SpectralConv1d(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, modes: int):
        super().__init__()
        if modes < 1:
            raise ValueError(f"modes must be >= 1, got {modes}")
        self.modes = modes
        self.weight = nn.Parameter(torch.randn(2, in_channels, out_channels, modes))
        self.scale = 1.0 / math.sqrt(2 * in_channels)

    def forward(self, v: torch.Tensor) -> torch.Tensor:
        n_x = v.shape[-1]
        if self.modes > n_x // 2 + 1:
            raise ValueError(f"modes={self.modes} exceeds n_x//2+1={n_x // 2 + 1}")
        v_hat = torch.fft.rfft(v, norm="ortho")[..., : self.modes]  # (b, i, k) complex
        w = torch.complex(self.weight[0], self.weight[1]) * self.scale  # (i, o, k)
        out = torch.einsum("bik,iok->bok", v_hat, w)
        return torch.fft.irfft(out, n=n_x, norm="ortho")
