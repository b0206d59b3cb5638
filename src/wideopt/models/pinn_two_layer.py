"""Two-layer PINN with closed-form input derivatives and parameter Jacobians (seed 002).

    phi(x) = m^{-1/2} sum_{r=1}^m a_r sigma(w_r . x~),   x~ = (x, 1) in R^{d+1},

a_r = +-1 fixed, w_r(0) ~ N(0, I_{d+1}); only W = (w_r) in R^{m x (d+1)} is trained (paper).
With z_ir = w_r . x~_i and s = m^{-1/2}, everything a constant-coefficient operator
L u = c0 u + b . grad u + sum_k c_k d_kk u needs is analytic:

    d_k phi(x_i)   = s sum_r a_r sigma'(z_ir) w_rk
    d_kk phi(x_i)  = s sum_r a_r sigma''(z_ir) w_rk^2
    L phi(x_i)     = s sum_r a_r [c0 sigma + beta_r sigma' + gamma_r sigma''](z_ir),
                     beta_r = b . w_r,   gamma_r = sum_k c_k w_rk^2   (k over the d inputs)

and the derivative of L phi(x_i) with respect to w_r (a (d+1)-vector) is

    s a_r [ A_ir x~_i + sigma'(z_ir) b~ + 2 sigma''(z_ir) (c~ o w_r) ],
    A_ir = c0 sigma'(z_ir) + beta_r sigma''(z_ir) + gamma_r sigma'''(z_ir),

with b~ = (b, 0), c~ = (c, 0); for a plain value phi(x_j) it is s a_r sigma'(z_jr) x~_j.
:meth:`TwoLayerPINN.linearize` evaluates these once for given operator coefficients and
points and returns a :class:`Linearization`: the values, the whole Jacobian (n, m, d+1) in one
batched evaluation (no per-sample loops) and vector-Jacobian products sum_i v_i d(.)_i / dW
(m, d+1) without forming it. The net knows nothing of residuals, data files or problems: the
training side (``wideopt.training.pinn.residual``) assembles those. sigma and its derivatives
come from the one registry :mod:`wideopt.activations`. Shapes: points (n, d), W (m, d+1);
float64 throughout.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from wideopt.activations import Activation, get_activation
from wideopt.pde import LinearOperator

Tensor = torch.Tensor

ORDER = 3  # derivatives of sigma the Jacobian of a second-order operator needs
PINN_ACTIVATION_NAMES = ("tanh", "softplus", "relu3")  # registry entries with order >= 3


def init_weights(width: int, dim: int, seed: int) -> tuple[Tensor, Tensor]:
    """W(0) ~ N(0, I) of shape (m, dim + 1) and a ~ U{+-1} (m,), float64, from (seed, width)."""
    state = np.random.SeedSequence([seed, width, dim]).generate_state(1)[0]
    gen = torch.Generator().manual_seed(int(state))
    w = torch.randn(width, dim + 1, generator=gen, dtype=torch.float64)
    a = torch.randint(0, 2, (width,), generator=gen).to(torch.float64) * 2 - 1
    return w, a


def _tilde(x: Tensor) -> Tensor:
    """x~ = (x, 1): (n, d) -> (n, d + 1)."""
    return torch.cat([x, torch.ones_like(x[:, :1])], dim=1)


@dataclass(frozen=True)
class Linearization:
    """L phi (or phi) at n points and its derivative in W, from one evaluation of sigma.

    ``value`` (n,); :meth:`jacobian` (n, m, d+1); :meth:`vjp` (m, d+1). For a plain value
    (no operator) ``amat`` = sigma' and the operator terms are absent.
    """

    value: Tensor
    x: Tensor  # x~ (n, d+1)
    amat: Tensor  # A (n, m)
    neuron: Tensor  # s a_r (m, 1)
    s1: Tensor | None = None  # sigma' (n, m), operator terms only
    s2: Tensor | None = None  # sigma'' (n, m)
    b: Tensor | None = None  # b~ (d+1,)
    cw: Tensor | None = None  # c~ o w_r (m, d+1)

    def jacobian(self, norm: float = 1.0) -> Tensor:
        """d value_i / d W, divided by ``norm``: (n, m, d+1)."""
        jac = self.amat[:, :, None] * self.x[:, None, :]
        if self.s1 is not None:
            jac = jac + self.s1[:, :, None] * self.b + (2 * self.s2)[:, :, None] * self.cw
        return jac * (self.neuron / norm)

    def _pullback(self, v: Tensor) -> Tensor:
        """sum_i v_i d value_i / d W before the neuron factor s a_r: (m, d+1)."""
        g = (self.amat * v[:, None]).T @ self.x
        if self.s1 is not None:
            g = g + torch.outer(self.s1.T @ v, self.b) + 2 * (self.s2.T @ v)[:, None] * self.cw
        return g

    def vjp(self, v: Tensor) -> Tensor:
        """sum_i v_i d value_i / d W for v (n,): (m, d+1), without forming the Jacobian."""
        return self.neuron * self._pullback(v)


def joint_vjp(*pairs: tuple[Linearization, Tensor]) -> Tensor:
    """sum_k lin_k.vjp(v_k) over (lin_k, v_k) pairs of one net, with the neuron factor applied
    once to the sum: (m, d+1)."""
    g = pairs[0][0]._pullback(pairs[0][1])
    for lin, v in pairs[1:]:
        g = g + lin._pullback(v)
    return pairs[0][0].neuron * g


class TwoLayerPINN(nn.Module):
    """phi(x) = m^{-1/2} sum_r a_r sigma(w_r . (x, 1)); parameter ``w`` (m, d+1), buffer ``a``."""

    def __init__(self, width: int, dim: int, seed: int, activation: str = "tanh"):
        super().__init__()
        self.act: Activation = get_activation(activation, PINN_ACTIVATION_NAMES)
        w, a = init_weights(width, dim, seed)
        self.w = nn.Parameter(w)
        self.register_buffer("a", a)
        self.dim = dim

    @property
    def width(self) -> int:
        return self.w.shape[0]

    @property
    def scale(self) -> float:
        return self.width**-0.5

    def _z(self, x: Tensor, w: Tensor | None = None) -> Tensor:
        w = self.w if w is None else w
        return x @ w[:, :-1].T + w[:, -1]

    def forward(self, x: Tensor) -> Tensor:
        """phi at points (n, d): (n,)."""
        return self.scale * (self.act.derivatives(self._z(x), 1)[0] @ self.a)

    def derivatives(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """phi (n,), grad phi (n, d) and diag Hess phi (n, d), closed form (differentiable)."""
        s0, s1, s2 = self.act.derivatives(self._z(x), 2)
        wx = self.w[:, :-1]
        u = self.scale * (s0 @ self.a)
        grad = self.scale * ((s1 * self.a) @ wx)
        hess = self.scale * ((s2 * self.a) @ (wx * wx))
        return u, grad, hess

    def apply_operator(self, op: LinearOperator, x: Tensor) -> Tensor:
        """L phi at points (n, d): (n,) via :meth:`LinearOperator.apply` (the same code as
        f = L u*), differentiable."""
        return op.apply(*self.derivatives(x))

    @torch.no_grad()
    def linearize(self, op: LinearOperator | None, x: Tensor) -> Linearization:
        """L phi (``op`` given) or phi (``op`` None) at points (n, d), with its W-derivative."""
        w = self.w.detach()
        neuron = self.scale * self.a[:, None]
        if op is None:
            s0, s1 = self.act.derivatives(self._z(x, w), 1)
            return Linearization(self.scale * (s0 @ self.a), _tilde(x), s1, neuron)
        dt, dev = w.dtype, w.device
        b = torch.tensor((*op.b, 0.0), dtype=dt, device=dev)
        c = torch.tensor((*op.c, 0.0), dtype=dt, device=dev)
        beta, gamma = w @ b, (w * w) @ c  # (m,)
        s0, s1, s2, s3 = self.act.derivatives(self._z(x, w), ORDER)
        value = self.scale * ((op.c0 * s0 + beta * s1 + gamma * s2) @ self.a)
        amat = op.c0 * s1 + beta * s2 + gamma * s3
        return Linearization(value, _tilde(x), amat, neuron, s1, s2, b, c * w)


__all__ = ["TwoLayerPINN", "Linearization", "joint_vjp", "init_weights", "PINN_ACTIVATION_NAMES"]
