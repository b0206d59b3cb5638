"""Section E PINN experiments (seed 002, limitations 1 and 2): deeper nets, higher dimension.

Deep PINN (``open_ngd_depth``). With x~ = (x, 1), width m, L hidden layers, a_r = +-1 fixed:

    h_1 = sigma(W_1 x~),   h_{k+1} = sigma(W_{k+1} h_k / sqrt(m)),   phi(x) = a . h_L / sqrt(m),

W_1 in R^{m x (d+1)} (as the two-layer net: no 1/sqrt(d+1)), W_k in R^{m x m}, every entry
N(0, 1), all trained, flattened into one parameter w (p = m (d+1) + (L-1) m^2) so that the
section C optimizers (NGD, Adam, L-BFGS on one tensor) apply unchanged. L = 1 is seed 002's
two-layer net with the same W_1 and a (:func:`wideopt.models.pinn_two_layer.init_weights`).

Residual and Jacobian by ``torch.func`` (:class:`FuncResidual`, the interface of section C's
closed-form :class:`~wideopt.training.pinn_residual.Residual`): for one point,
L phi = c0 phi + b . grad_x phi + sum_k c_k d_kk phi with grad_x = ``jacrev`` and the Hessian
= ``jacfwd(jacrev)`` in x; ``vmap`` over the points; r as in section C
(:func:`~wideopt.training.pinn_residual.stack_residuals`); J = per-point ``jacrev`` in w
under ``vmap`` (n, p); J^T r by one ``vjp``.

Poisson in d dimensions (``open_ngd_dimension``): :func:`poisson_cube`, -Delta u = f on
[0, 1]^d with u* = sum_i sin(pi x_i / 2) (section C's poisson10d for every d), Sobol
collocation.

:func:`train_net` trains any such net through section C's :class:`PINNModule`.
"""

from __future__ import annotations

import math
import time

import numpy as np
import torch
from torch import nn
from torch.func import jacfwd, jacrev, vjp, vmap

from wideopt.activations import get_activation
from wideopt.data.pinn_problems import Collocation
from wideopt.models.pinn_two_layer import PINN_ACTIVATION_NAMES, init_weights
from wideopt.pde import Domain, LinearOperator, Problem
from wideopt.training.pinn import PINNModule, RunConfig, relative_l2
from wideopt.training.pinn_residual import stack_residuals
from wideopt.training.progress import full_batch_trainer

Tensor = torch.Tensor


class DeepPINN(nn.Module):
    """phi above; parameter ``w`` (p,) flat, buffer ``a`` (m,); ``forward(x (n, d)) -> (n,)``."""

    def __init__(self, width: int, dim: int, seed: int, depth: int = 2,
                 activation: str = "tanh"):
        super().__init__()
        if depth < 1:
            raise ValueError(f"depth must be >= 1, got {depth}")
        self.sigma = get_activation(activation, PINN_ACTIVATION_NAMES).psi
        w1, a = init_weights(width, dim, seed)
        state = np.random.SeedSequence([seed, width, dim, depth]).generate_state(1)[0]
        gen = torch.Generator().manual_seed(int(state))
        rest = [torch.randn(width * width, generator=gen, dtype=torch.float64)
                for _ in range(depth - 1)]
        self.w = nn.Parameter(torch.cat([w1.reshape(-1), *rest]))
        self.register_buffer("a", a)
        self.width, self.dim, self.depth = width, dim, depth

    def phi(self, w: Tensor, x: Tensor) -> Tensor:
        """phi_w(x) for one point x (d,): a scalar (the function ``torch.func`` transforms)."""
        m, d = self.width, self.dim
        h = self.sigma(w[: m * (d + 1)].reshape(m, d + 1) @ torch.cat([x, x.new_ones(1)]))
        for k in range(self.depth - 1):
            start = m * (d + 1) + k * m * m
            h = self.sigma(w[start:start + m * m].reshape(m, m) @ h / math.sqrt(m))
        return h @ self.a / math.sqrt(m)

    def forward(self, x: Tensor) -> Tensor:
        return vmap(self.phi, (None, 0))(self.w, x)


def apply_operator(op: LinearOperator, phi, w: Tensor, x: Tensor) -> Tensor:
    """L phi_w at one point x (d,) by torch.func: gradient and Hessian in x."""
    grad = jacrev(phi, argnums=1)(w, x)
    hess = jacfwd(jacrev(phi, argnums=1), argnums=1)(w, x)
    b = torch.tensor(op.b, dtype=x.dtype, device=x.device)
    c = torch.tensor(op.c, dtype=x.dtype, device=x.device)
    return op.c0 * phi(w, x) + grad @ b + torch.diagonal(hess) @ c


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


def _sum_sines(x: Tensor) -> Tensor:
    return torch.sin(math.pi * x / 2).sum()


def poisson_cube(dim: int) -> Problem:
    """-Delta u = f on [0, 1]^dim, u* = sum_i sin(pi x_i / 2), Dirichlet on every face."""
    return Problem(f"poisson_cube{dim}", Domain((0.0,) * dim, (1.0,) * dim), _sum_sines,
                   LinearOperator(0.0, (0.0,) * dim, (-1.0,) * dim), collocation="sobol")


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
