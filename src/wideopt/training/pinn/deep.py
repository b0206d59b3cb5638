"""Section E PINN experiments (seed 002, limitations 1 and 2): deeper nets, higher dimension.

Deep PINN (``open_ngd_depth``): the net :class:`wideopt.models.pinn_deep.DeepPINN` (flat
parameter ``w``, every layer trained), trained by section C's optimizers unchanged.

Residual and Jacobian by ``torch.func`` (:class:`FuncResidual`, the interface of section C's
closed-form :class:`~wideopt.training.pinn.residual.Residual`): for one point,
L phi = c0 phi + b . grad_x phi + sum_k c_k d_kk phi with grad_x = ``jacrev`` and the Hessian
= ``jacfwd(jacrev)`` in x; ``vmap`` over the points; r as in section C
(:func:`~wideopt.training.pinn.residual.stack_residuals`); J = per-point ``jacrev`` in w
under ``vmap`` (n, p); J^T r by one ``vjp``.

Poisson in d dimensions (``open_ngd_dimension``) is :func:`wideopt.pde.poisson_cube`.

:func:`train_net` trains any such net through section C's :class:`PINNModule`.
"""

from __future__ import annotations

import math
import time

import torch
from torch import nn
from torch.func import jacrev, vjp, vmap

from wideopt.data.pinn_problems import Collocation
from wideopt.models.pinn_deep import DeepPINN, apply_operator
from wideopt.pde import LinearOperator, Problem
from wideopt.training.pinn.module import PINNModule, RunConfig, relative_l2
from wideopt.training.pinn.residual import stack_residuals
from wideopt.training.progress import full_batch_trainer

Tensor = torch.Tensor


class FuncResidual(nn.Module):
    """r(w) of section C for a net with ``phi(w, x)`` and flat ``w``, by torch.func."""

    def __init__(self, operator: LinearOperator, colloc: Collocation):
        super().__init__()
        self.operator = operator
        for name in ("x_int", "f_int", "x_bd", "g_bd"):
            self.register_buffer(name, getattr(colloc, name))

    def residual_fn(self, net: DeepPINN):
        """w -> r (n,) for ``net``'s architecture."""
        def lu(w, x):
            return apply_operator(self.operator, net.phi, w, x)

        def r(w):
            return stack_residuals(vmap(lu, (None, 0))(w, self.x_int), self.f_int,
                                   vmap(net.phi, (None, 0))(w, self.x_bd), self.g_bd)
        return r

    def forward(self, net: DeepPINN) -> Tensor:
        return self.residual_fn(net)(net.w.detach())

    def loss(self, net: DeepPINN) -> float:
        r = self(net)
        return 0.5 * float(r @ r)

    def with_grad(self, net: DeepPINN) -> tuple[Tensor, Tensor]:
        """r (n,) and J^T r (p,) by one vjp."""
        r, pullback = vjp(self.residual_fn(net), net.w.detach())
        return r, pullback(r)[0]

    def with_jacobian(self, net: DeepPINN) -> tuple[Tensor, Tensor]:
        """r (n,) and J = dr/dw (n, p): per-point ``jacrev`` under ``vmap`` (10x faster here
        than ``jacrev`` of the stacked r, which nests the x-Hessian inside n vjps)."""
        w = net.w.detach()
        n1, n2 = self.x_int.shape[0], self.x_bd.shape[0]

        def lu(w, x):
            return apply_operator(self.operator, net.phi, w, x)

        j_int = vmap(jacrev(lu), (None, 0))(w, self.x_int) / math.sqrt(n1)
        j_bd = vmap(jacrev(net.phi), (None, 0))(w, self.x_bd) / math.sqrt(n2)
        return self(net), torch.cat([j_int, j_bd])


def train_net(net: nn.Module, problem: Problem, colloc: Collocation, cfg: RunConfig,
              residual: nn.Module | None = None) -> dict:
    """Train ``net`` (parameter ``net.w``) with section C's module under ``cfg``; ``residual``
    replaces its closed-form residual (a :class:`FuncResidual` for deep nets).

    Returns ``final_rel_l2`` (NaN if diverged), ``final_loss``, ``loss_initial``,
    ``diverged``, ``steps``, ``wall_s``.
    """
    torch.manual_seed(cfg.seed)
    module = PINNModule(net, problem.operator, colloc, cfg)
    if residual is not None:
        module.residual = residual
    loss0 = module.residual.loss(net)
    trainer = full_batch_trainer(math.ceil(cfg.steps / cfg.inner_steps),
                                 f"{problem.name} {cfg.optimizer} lr={cfg.lr:g}")
    t0 = time.perf_counter()
    trainer.fit(module)
    wall = time.perf_counter() - t0
    nan = float("nan")
    return dict(final_rel_l2=nan if module.diverged else relative_l2(net, colloc.x_test,
                                                                      colloc.u_test),
                final_loss=nan if module.diverged else module.residual.loss(net),
                loss_initial=loss0, diverged=int(module.diverged), steps=module.step_count,
                wall_s=wall)
