"""1-D spectral convolution (the Fourier layer's global kernel; Li et al. 2021, seed 000).

    (K v)(x) = F^{-1}( R_k . (F v)_k ),   k = 0 .. modes-1,   R_k in C^{m x m},

with F the orthonormal real DFT along x (``numpy.fft.rfft(norm="ortho")``), modes >=
``modes`` set to zero. NTK parameterization: Re R, Im R ~ N(0, 1) elementwise, applied as
R / sqrt(2 m) so the complex weight has variance 1/m (fan-in m), like a pointwise NTK layer.
The weight is stored as a real tensor of shape ``(2, modes, m_in, m_out)`` (Re, Im) so that
every parameter is real (Hessian-vector products and Adam see real coordinates).

Computed channels-last, in real matrix products and no FFT: with only ``modes`` of the
n_x // 2 + 1 frequencies kept, the truncated DFT is a (2 modes x n_x) matrix (cos and -sin
rows / sqrt(n_x)) and its inverse an (n_x x 2 modes) one (irfft's weights: 1 for k = 0 and the
Nyquist mode, whose imaginary parts it ignores, 2 otherwise). The per-mode complex product is
two real batched GEMMs over k, [Re v; Im v] Re R and [Re v; Im v] Im R, recombined as
Re = Re v Re R - Im v Im R and Im = Re v Im R + Im v Re R.
Same function as ``irfft(R . rfft(v))`` (tested to 1e-12 in float64), without the transposes
and complex temporaries an FFT along x needs. Shapes: ``(batch, n_x, m_in)`` ->
``(batch, n_x, m_out)``; requires ``modes <= n_x // 2 + 1``.
"""

from __future__ import annotations

import math

import torch
from torch import nn


def dft_matrices(n_x: int, modes: int, dtype: torch.dtype, device: torch.device | None = None
                 ) -> tuple[torch.Tensor, torch.Tensor]:
    """Truncated orthonormal real DFT ``(2 modes, n_x)`` (rows: Re of modes, then Im) and its
    inverse ``(n_x, 2 modes)``, i.e. ``rfft(v, norm="ortho")[:modes]`` and
    ``irfft(c, n=n_x, norm="ortho")`` for spectra ``c`` zero beyond ``modes``."""
    k = torch.arange(modes, dtype=torch.float64, device=device)
    x = torch.arange(n_x, dtype=torch.float64, device=device)
    phase = 2 * math.pi * torch.outer(k, x) / n_x  # (modes, n_x)
    cos, sin = torch.cos(phase), torch.sin(phase)
    fwd = torch.cat([cos, -sin]) / math.sqrt(n_x)
    weight = torch.full((modes, 1), 2.0, dtype=torch.float64, device=device)
    weight[0] = 1.0
    if n_x % 2 == 0 and modes == n_x // 2 + 1:
        weight[-1] = 1.0
    imag = weight.clone()
    imag[0] = 0.0  # irfft discards Im of the zero mode ...
    if n_x % 2 == 0 and modes == n_x // 2 + 1:
        imag[-1] = 0.0  # ... and of the Nyquist mode
    inv = torch.cat([weight * cos, -imag * sin]).T / math.sqrt(n_x)
    return fwd.to(dtype), inv.to(dtype)


class SpectralConv1d(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, modes: int):
        super().__init__()
        if modes < 1:
            raise ValueError(f"modes must be >= 1, got {modes}")
        self.modes = modes
        # drawn as (2, i, o, k) (the usual layout, same random numbers), stored (2, k, i, o):
        # each mode's (i, o) block contiguous for the batched GEMM, no per-step copies
        w = torch.randn(2, in_channels, out_channels, modes)
        self.weight = nn.Parameter(w.permute(0, 3, 1, 2).contiguous())
        self.scale = 1.0 / math.sqrt(2 * in_channels)

    def forward(self, v: torch.Tensor) -> torch.Tensor:
        b, n_x, m_in = v.shape
        k = self.modes
        if k > n_x // 2 + 1:
            raise ValueError(f"modes={k} exceeds n_x//2+1={n_x // 2 + 1}")
        fwd, inv = dft_matrices(n_x, k, v.dtype, v.device)
        v_hat = (fwd @ v).reshape(b, 2, k, m_in)  # (b, [re, im], k, i)
        # (k, [re; im] stacked over the batch, i), scaled here (smaller than the weight)
        a = v_hat.permute(2, 1, 0, 3).reshape(k, 2 * b, m_in) * self.scale
        p = torch.bmm(a, self.weight[0])  # [re; im] Re R  (k, 2b, o)
        q = torch.bmm(a, self.weight[1])  # [re; im] Im R
        out = torch.stack([p[:, :b] - q[:, b:], q[:, :b] + p[:, b:]])  # (2, k, b, o)
        out = out.permute(2, 0, 1, 3).reshape(b, 2 * k, -1)  # (b, [re, im] x k, o)
        return inv @ out  # (b, n_x, m_out)
