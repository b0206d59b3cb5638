"""Spectral norm of a loss Hessian by power iteration on Hessian-vector products (torch.func).

For a loss L(theta) with theta the module's parameters, the Hessian-vector product is the
forward-mode derivative of the gradient, H v = d/de grad L(theta + e v) |_{e=0}
(``torch.func.jvp`` over ``torch.func.grad``), which never forms H (p x p). Power iteration
v <- H v / ||H v|| converges to the eigenvector of the eigenvalue of largest magnitude, so
||H v_k|| -> ||H||_2 = max_i |lambda_i|; the sign is read from the Rayleigh quotient v^T H v.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn
from torch.func import functional_call, grad, jvp


def hessian_spectral_norm(
    module: nn.Module,
    loss_fn: Callable[[nn.Module, dict[str, torch.Tensor]], torch.Tensor],
    n_iter: int = 30,
    tol: float = 1e-3,
    seed: int = 0,
) -> dict[str, float]:
    """Power iteration for ||d^2 L / d theta^2||_2 at the module's current parameters.

    Args:
        module: the network; its parameters (all trainable ones) are the coordinates.
        loss_fn: ``loss_fn(module, params) -> scalar`` evaluating the loss with
            ``torch.func.functional_call(module, params, ...)`` on a fixed batch.
        n_iter: maximum number of Hessian-vector products.
        tol: stop when successive estimates differ by less than ``tol`` relatively.
        seed: seed of the random start vector.

    Returns:
        ``{"norm": ||H||_2 estimate, "rayleigh": v^T H v, "iterations": k}``.
    """
    names = [n for n, p in module.named_parameters() if p.requires_grad]
    params = {n: p.detach() for n, p in module.named_parameters() if p.requires_grad}

    def loss_of(ps):
        return loss_fn(module, ps)

    g = grad(loss_of)

    def hvp(v):
        return jvp(g, (params,), (v,))[1]

    gen = torch.Generator().manual_seed(seed)
    v = {n: torch.randn(params[n].shape, generator=gen, dtype=params[n].dtype) for n in names}
    v = _normalize(v)
    est, hv, iterations = float("nan"), None, 0
    for iterations in range(1, n_iter + 1):  # noqa: B007 (the count is returned)
        hv = hvp(v)
        new = _norm(hv)
        v_next = {n: hv[n] / new for n in names} if new > 0 else v
        converged = abs(new - est) <= tol * abs(new)
        est = new
        if converged:
            break
        v = v_next
    rayleigh = sum(float((v[n] * hv[n]).sum()) for n in names)
    return {"norm": float(est), "rayleigh": rayleigh, "iterations": iterations}


def _norm(d: dict[str, torch.Tensor]) -> float:
    return float(torch.sqrt(sum((t.double() ** 2).sum() for t in d.values())))


def _normalize(d: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    n = _norm(d)
    return {k: t / n for k, t in d.items()}


def functional_mse(inputs: tuple, target: torch.Tensor):
    """``loss_fn`` for :func:`hessian_spectral_norm`: mean((module(*inputs) - target)^2)."""

    def loss_fn(module: nn.Module, params: dict[str, torch.Tensor]) -> torch.Tensor:
        out = functional_call(module, params, inputs)
        return ((out - target) ** 2).mean()

    return loss_fn
