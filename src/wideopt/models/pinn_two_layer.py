"""Two-layer PINN with closed-form input derivatives and parameter Jacobian (seed 002).

    phi(x) = m^{-1/2} sum_{r=1}^m a_r sigma(w_r . x~),   x~ = (x, 1) in R^{d+1},

a_r = +-1 fixed, w_r(0) ~ N(0, I_{d+1}); only W = (w_r) in R^{m x (d+1)} is trained (paper).
With z_ir = w_r . x~_i and s = m^{-1/2}, everything a constant-coefficient operator
L u = c0 u + b . grad u + sum_k c_k d_kk u needs is analytic:

    d_k phi(x_i)   = s sum_r a_r sigma'(z_ir) w_rk
    d_kk phi(x_i)  = s sum_r a_r sigma''(z_ir) w_rk^2
    L phi(x_i)     = s sum_r a_r [c0 sigma + beta_r sigma' + gamma_r sigma''](z_ir),
                     beta_r = b . w_r,   gamma_r = sum_k c_k w_rk^2   (k over the d inputs)

and the Jacobian of L phi(x_i) with respect to w_r (a (d+1)-vector) is

    s a_r [ A_ir x~_i + sigma'(z_ir) b~ + 2 sigma''(z_ir) (c~ o w_r) ],
    A_ir = c0 sigma'(z_ir) + beta_r sigma''(z_ir) + gamma_r sigma'''(z_ir),

with b~ = (b, 0), c~ = (c, 0); for a boundary value phi(x_j) it is s a_r sigma'(z_jr) x~_j.
One batched evaluation gives the whole Jacobian (n, m, d+1) -- no per-sample loops -- and the
loss gradient J^T r without forming J. Shapes: points (n, d), W (m, d+1). float64 throughout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from wideopt.data.pinn_problems import LinearOperator, Problem

Tensor = torch.Tensor


@dataclass(frozen=True)
class SmoothActivation:
    """sigma and its first three derivatives, from one call: (s0, s1, s2, s3)."""

    name: str
    derivs: Callable[[Tensor, int], tuple[Tensor, ...]]  # (z, order) -> (s0..s_order)


def _tanh(z: Tensor, order: int) -> tuple[Tensor, ...]:
    t = torch.tanh(z)
    s1 = 1 - t * t
    out = [t, s1]
    if order >= 2:
        out.append(-2 * t * s1)
    if order >= 3:
        out.append(s1 * (6 * t * t - 2))
    return tuple(out)


def _softplus(z: Tensor, order: int) -> tuple[Tensor, ...]:
    p = torch.sigmoid(z)
    out = [torch.nn.functional.softplus(z), p]
    if order >= 2:
        out.append(p * (1 - p))
    if order >= 3:
        out.append(p * (1 - p) * (1 - 2 * p))
    return tuple(out)


def _relu3(z: Tensor, order: int) -> tuple[Tensor, ...]:
    q = torch.relu(z)
    out = [q**3, 3 * q * q]
    if order >= 2:
        out.append(6 * q)
    if order >= 3:
        out.append(6 * (z > 0).to(z.dtype))
    return tuple(out)


PINN_ACTIVATIONS = {
    "tanh": SmoothActivation("tanh", _tanh),
    "softplus": SmoothActivation("softplus", _softplus),
    "relu3": SmoothActivation("relu3", _relu3),
}


def init_weights(width: int, dim: int, seed: int) -> tuple[Tensor, Tensor]:
    """W(0) ~ N(0, I) of shape (m, dim + 1) and a ~ U{+-1} (m,), float64, from (seed, width)."""
    state = np.random.SeedSequence([seed, width, dim]).generate_state(1)[0]
    gen = torch.Generator().manual_seed(int(state))
    w = torch.randn(width, dim + 1, generator=gen, dtype=torch.float64)
    a = torch.randint(0, 2, (width,), generator=gen).to(torch.float64) * 2 - 1
    return w, a


class TwoLayerPINN(nn.Module):
    """phi(x) = m^{-1/2} sum_r a_r sigma(w_r . (x, 1)); parameter ``w`` (m, d+1), buffer ``a``."""

    def __init__(self, width: int, dim: int, seed: int, activation: str = "tanh"):
        super().__init__()
        if activation not in PINN_ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; "
                             f"choose from {sorted(PINN_ACTIVATIONS)}")
        w, a = init_weights(width, dim, seed)
        self.w = nn.Parameter(w)
        self.register_buffer("a", a)
        self.act = PINN_ACTIVATIONS[activation]
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
        return self.scale * (self.act.derivs(self._z(x), 1)[0] @ self.a)

    def derivatives(self, x: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """phi (n,), grad phi (n, d) and diag Hess phi (n, d), closed form."""
        s0, s1, s2 = self.act.derivs(self._z(x), 2)
        wx = self.w[:, :-1]
        u = self.scale * (s0 @ self.a)
        grad = self.scale * ((s1 * self.a) @ wx)
        hess = self.scale * ((s2 * self.a) @ (wx * wx))
        return u, grad, hess

    def apply_operator(self, op: LinearOperator, x: Tensor) -> Tensor:
        """L phi at points (n, d): (n,) via :meth:`LinearOperator.apply` (shared with u*)."""
        return op.apply(*self.derivatives(x))

    # --- residuals, gradient and Jacobian of the PINN loss ---------------------------------

    def _coeffs(self, op: LinearOperator) -> tuple[Tensor, Tensor, Tensor, Tensor]:
        dt = self.w.dtype
        b = torch.tensor((*op.b, 0.0), dtype=dt)
        c = torch.tensor((*op.c, 0.0), dtype=dt)
        w = self.w.detach()
        return b, c, w @ b, (w * w) @ c  # b~, c~, beta (m,), gamma (m,)

    def residuals(self, problem: Problem, data: dict[str, Tensor]) -> Tensor:
        """Normalized stacked residuals r (n1 + n2,) on the collocation set (differentiable)."""
        lu = self.apply_operator(problem.operator, data["x_int"])
        return problem.residuals(lu, data["f_int"], self(data["x_bd"]), data["g_bd"])

    def _parts(self, problem: Problem, data: dict[str, Tensor], order: int):
        """Shared pieces of the interior/boundary terms for residuals, gradients, Jacobians."""
        op = problem.operator
        b, c, beta, gamma = self._coeffs(op)
        w = self.w.detach()
        x_int, x_bd = data["x_int"], data["x_bd"]
        n1, n2 = x_int.shape[0], x_bd.shape[0]
        si = self.act.derivs(self._z(x_int, w), order)  # s0..s3 on the interior (n1, m)
        sb = self.act.derivs(self._z(x_bd, w), 1)  # s0, s1 on the boundary (n2, m)
        lu = self.scale * ((op.c0 * si[0] + beta * si[1] + gamma * si[2]) @ self.a)
        r = problem.residuals(lu, data["f_int"], self.scale * (sb[0] @ self.a), data["g_bd"])
        return dict(b=b, c=c, beta=beta, gamma=gamma, w=w, si=si, sb=sb, r=r,
                    n1=n1, n2=n2, c0=op.c0)

    def residuals_and_grad(self, problem: Problem, data: dict[str, Tensor]
                           ) -> tuple[Tensor, Tensor]:
        """r (n,) and dL/dW = J^T r (m, d+1) for L = 1/2 |r|^2, without forming J."""
        p = self._parts(problem, data, 3)
        s1, s2, s3 = p["si"][1:4]
        ri = p["r"][: p["n1"]] / p["n1"] ** 0.5  # residual times d r_i / d(L phi)
        rb = p["r"][p["n1"]:] / p["n2"] ** 0.5
        xi = _tilde(data["x_int"])
        xb = _tilde(data["x_bd"])
        amat = p["c0"] * s1 + p["beta"] * s2 + p["gamma"] * s3  # (n1, m)
        g = (amat * ri[:, None]).T @ xi  # (m, d+1)
        g = g + torch.outer(s1.T @ ri, p["b"]) + 2 * (s2.T @ ri)[:, None] * (p["c"] * p["w"])
        g = g + (p["sb"][1] * rb[:, None]).T @ xb
        return p["r"], self.scale * self.a[:, None] * g

    def residuals_and_jacobian(self, problem: Problem, data: dict[str, Tensor]
                               ) -> tuple[Tensor, Tensor]:
        """r (n,) and J = dr/dW (n, m*(d+1)), row-major in W, from one batched evaluation."""
        p = self._parts(problem, data, 3)
        s1, s2, s3 = p["si"][1:4]
        xi = _tilde(data["x_int"])
        xb = _tilde(data["x_bd"])
        amat = p["c0"] * s1 + p["beta"] * s2 + p["gamma"] * s3
        ji = (amat[:, :, None] * xi[:, None, :] + s1[:, :, None] * p["b"]
              + (2 * s2)[:, :, None] * (p["c"] * p["w"]))  # (n1, m, d+1)
        jb = p["sb"][1][:, :, None] * xb[:, None, :]  # (n2, m, d+1)
        sa = self.scale * self.a[:, None]
        ji = ji * (sa / p["n1"] ** 0.5)
        jb = jb * (sa / p["n2"] ** 0.5)
        return p["r"], torch.cat([ji, jb]).reshape(p["n1"] + p["n2"], -1)


def _tilde(x: Tensor) -> Tensor:
    return torch.cat([x, torch.ones_like(x[:, :1])], dim=1)


def relative_l2(model: TwoLayerPINN, x_test: Tensor, u_test: Tensor) -> float:
    """|u_theta - u*| / |u*| on independent test points."""
    with torch.no_grad():
        return float(torch.linalg.vector_norm(model(x_test) - u_test)
                     / torch.linalg.vector_norm(u_test))


__all__ = ["TwoLayerPINN", "PINN_ACTIVATIONS", "init_weights", "relative_l2"]
