"""Two-layer network with a trained first layer, batched over independent seeds.

    f_s(x) = c * sum_{r=1}^m a_{s,r} psi(<w_{s,r}, x>),  a_{s,r} = +-1 fixed, w_{s,r}(0) ~ N(0, I_d)

for seeds s = 1..S, with c = m^{-1/2} (NTK scaling, seed 003) or c = m^{-1} (mean-field
scaling). Parameters are stored as one tensor ``w`` of shape (S, m, d) so that all seeds of a
configuration train in one batched computation.

psi comes from the registry :mod:`wideopt.activations`; the closed-form gradient needs psi',
computed from (z, psi(z)) (``dpsi_given_psi``): relu, erf and tanh provide it
(:data:`TWO_LAYER_ACTIVATIONS`). The net knows nothing of kernels: its empirical NTK is
:func:`wideopt.kernels.ntk_two_layer.two_layer_ntk_gram`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from wideopt.activations import ACTIVATIONS, get_activation

SCHEMES = ("ntk", "mean_field")
# Activations whose psi' the closed-form gradient can take from (z, psi(z)).
TWO_LAYER_ACTIVATIONS = tuple(n for n, a in ACTIVATIONS.items() if a.dpsi_given_psi is not None)


@dataclass
class TwoLayerNet:
    w: torch.Tensor  # (S, m, d)
    a: torch.Tensor  # (S, m), entries +-1
    activation: str
    scheme: str = "ntk"

    @classmethod
    def init(cls, width: int, dim: int, seeds: list[int], activation: str,
             scheme: str = "ntk", device: torch.device | str | None = None) -> TwoLayerNet:
        """Draw w ~ N(0, I) and a ~ U{+-1} in float64, one generator per (seed, width), on
        the CPU (the same numbers on every machine), then moved to ``device``."""
        if width < 1:
            raise ValueError(f"width must be >= 1, got {width}")
        if scheme not in SCHEMES:
            raise ValueError(f"unknown scheme {scheme!r}; choose from {SCHEMES}")
        get_activation(activation, TWO_LAYER_ACTIVATIONS)
        ws, as_ = [], []
        for seed in seeds:
            gen = torch.Generator().manual_seed(int(np.random.SeedSequence([seed, width])
                                                    .generate_state(1)[0]))
            ws.append(torch.randn(width, dim, generator=gen, dtype=torch.float64))
            as_.append(torch.randint(0, 2, (width,), generator=gen).to(torch.float64) * 2 - 1)
        return cls(torch.stack(ws).to(device), torch.stack(as_).to(device), activation, scheme)

    @property
    def width(self) -> int:
        return self.w.shape[1]

    @property
    def scale(self) -> float:
        """Output scale c: m^{-1/2} (NTK) or m^{-1} (mean field)."""
        return self.width**-0.5 if self.scheme == "ntk" else 1.0 / self.width

    @property
    def lr_scale(self) -> float:
        """Learning-rate multiplier that keeps the function-space speed O(1): 1 or m."""
        return 1.0 if self.scheme == "ntk" else float(self.width)

    def preactivations(self, x: torch.Tensor) -> torch.Tensor:
        """<w_{s,r}, x_i>: (S, n, m)."""
        return x @ self.w.transpose(-1, -2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """f_s(x_i): (S, n)."""
        psi = get_activation(self.activation).psi
        return self.scale * psi(self.preactivations(x)) @ self.a[..., None]

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.forward(x)[..., 0]

    def loss_grad(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        """Gradient of L = 1/2 sum_i r_i^2 w.r.t. w, closed form: (S, m, d).

        dL/dw_r = c a_r sum_i r_i psi'(<w_r, x_i>) x_i.
        """
        d = get_activation(self.activation).dpsi(self.preactivations(x))  # (S, n, m)
        return self._grad_from(d, x, residual)

    def _grad_from(self, dpsi_z: torch.Tensor, x: torch.Tensor, r: torch.Tensor):
        return self.scale * self.a[..., None] * ((dpsi_z * r[..., None]).transpose(-1, -2) @ x)

    def residual_and_grad(self, x: torch.Tensor, y: torch.Tensor):
        """r = f(x) - y (S, n) and dL/dw (S, m, d) from one pass over the preactivations."""
        act = get_activation(self.activation)
        z = self.preactivations(x)
        p = act.psi(z)
        r = self.scale * (p @ self.a[..., None])[..., 0] - y
        return r, self._grad_from(act.dpsi_given_psi(z, p), x, r)


def relative_distance(w: torch.Tensor, w0: torch.Tensor) -> torch.Tensor:
    """||W - W0||_F / ||W0||_F per seed: (S,)."""
    return torch.linalg.vector_norm(w - w0, dim=(-1, -2)) / torch.linalg.vector_norm(
        w0, dim=(-1, -2))


__all__ = ["TwoLayerNet", "relative_distance", "SCHEMES", "TWO_LAYER_ACTIVATIONS"]
