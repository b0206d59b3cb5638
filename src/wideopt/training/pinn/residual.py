"""The PINN residual r(W) of one problem on its collocation points (seed 002), with J^T r and J.

    r_int_i = (L phi(x_i) - f(x_i)) / sqrt(n1),     r_bd_j = (phi(x_j) - g(x_j)) / sqrt(n2),
    r = (r_int, r_bd) in R^{n1 + n2},    L(W) = 1/2 |r|^2,

J = dr/dW in R^{n x p} (p = m (d+1), row-major in W). The net supplies L phi, phi and their
W-derivatives in closed form (:meth:`TwoLayerPINN.linearize`); this module stacks and
normalizes them: J^T r without forming J (first-order methods, L-BFGS), the whole J (NGD, the
Gram matrix J J^T of the spectrum job,
:mod:`wideopt.training.pinn.gram`). The collocation tensors are buffers, so the residual
follows its owner (``PINNModule``) to any device.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from wideopt.data.pinn_problems import Collocation
from wideopt.models.pinn_two_layer import TwoLayerPINN, joint_vjp
from wideopt.pde import LinearOperator

Tensor = torch.Tensor


def stack_residuals(lu_int: Tensor, f_int: Tensor, u_bd: Tensor, g_bd: Tensor) -> Tensor:
    """(r_int, r_bd) = ((L u - f) / sqrt(n1), (u - g) / sqrt(n2)): (n1 + n2,), for any u (the
    network, or u* in the zero-residual test)."""
    n1, n2 = f_int.shape[-1], g_bd.shape[-1]
    return torch.cat([(lu_int - f_int) / math.sqrt(n1), (u_bd - g_bd) / math.sqrt(n2)], -1)


class Residual(nn.Module):
    """r(W) for ``operator`` on the interior points and Dirichlet data on the boundary points
    of ``colloc`` (buffers ``x_int, f_int, x_bd, g_bd``)."""

    def __init__(self, operator: LinearOperator, colloc: Collocation):
        super().__init__()
        self.operator = operator
        for name in ("x_int", "f_int", "x_bd", "g_bd"):
            self.register_buffer(name, getattr(colloc, name))

    @property
    def sizes(self) -> tuple[int, int]:
        return self.x_int.shape[0], self.x_bd.shape[0]

    def forward(self, net: TwoLayerPINN) -> Tensor:
        """r (n,) through the net's differentiable derivatives (the loss that is recorded)."""
        lu = net.apply_operator(self.operator, self.x_int)
        return stack_residuals(lu, self.f_int, net(self.x_bd), self.g_bd)

    def loss(self, net: TwoLayerPINN) -> float:
        """L = 1/2 |r|^2 (no graph)."""
        with torch.no_grad():
            r = self(net)
        return 0.5 * float(r @ r)

    def _linearize(self, net: TwoLayerPINN):
        li = net.linearize(self.operator, self.x_int)
        lb = net.linearize(None, self.x_bd)
        return li, lb, stack_residuals(li.value, self.f_int, lb.value, self.g_bd)

    def with_grad(self, net: TwoLayerPINN) -> tuple[Tensor, Tensor]:
        """r (n,) and dL/dW = J^T r (m, d+1), without forming J."""
        li, lb, r = self._linearize(net)
        n1, n2 = self.sizes
        g = joint_vjp((li, r[:n1] / n1**0.5), (lb, r[n1:] / n2**0.5))
        return r, g

    def with_jacobian(self, net: TwoLayerPINN) -> tuple[Tensor, Tensor]:
        """r (n,) and J = dr/dW (n, m (d+1)), row-major in W, from one batched evaluation."""
        li, lb, r = self._linearize(net)
        n1, n2 = self.sizes
        jac = torch.cat([li.jacobian(n1**0.5), lb.jacobian(n2**0.5)])
        return r, jac.reshape(n1 + n2, -1)




__all__ = ["Residual", "stack_residuals"]
