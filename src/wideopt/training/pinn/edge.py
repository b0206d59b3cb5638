"""C8: the largest stable step of full-batch gradient descent on a PINN (seed 002, Thm 3.7).

Theorem 3.7: GD on L = 1/2 |r|^2 converges for eta = O(1 / lambda_max(H(0))), H(0) = J J^T
the Gram matrix at initialization (our normalized residual, :mod:`.residual`). On the quadratic
model L(w) = 1/2 |r_0 + J (w - w_0)|^2 GD is stable exactly for eta < 2 / lambda_max(H(0))
(the Hessian of that model is J^T J, whose nonzero spectrum is H(0)'s); the residual's own
curvature sum_i r_i grad^2 r_i, part of grad^2 L(w_0), moves that edge.

*Stable* (the issue's definition): the loss never rises above its initial value during the
paper's epochs, L(k) <= L(0) for k = 0 .. steps, and stays finite. "Ends below its start" is
not enough: with tanh, a huge step can saturate the net into a state whose loss ends below
L(0) without ever descending.

:func:`edge_of_stability` finds eta* by bisection in log2(eta lambda_max(H(0))): a bracket
[lo, hi] with lo stable and hi unstable (widened by doubling/halving if needed), then
``iters`` halvings of the bracket's log-width; it returns the bracket, so eta* in [eta_lo,
eta_hi]. Everything in float64.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn

from wideopt.data.pinn_problems import Collocation
from wideopt.models.pinn_two_layer import TwoLayerPINN
from wideopt.pde import get_problem
from wideopt.training.pinn.residual import Residual


class _Loss(nn.Module):
    """L(w) = 1/2 |r(w)|^2 as a module of the net's one parameter (for ``functional_call``)."""

    def __init__(self, net: TwoLayerPINN, residual: Residual):
        super().__init__()
        self.net, self.residual = net, residual

    def forward(self) -> torch.Tensor:
        r = self.residual(self.net)
        return 0.5 * (r @ r)


def loss_hessian(net: TwoLayerPINN, residual: Residual) -> torch.Tensor:
    """grad^2 L(w) (p, p) at the net's current w, by ``torch.func.hessian`` through the net's
    closed-form derivatives (p = m (d + 1), row-major in w)."""
    module = _Loss(net, residual)
    w0 = net.w.detach().clone()

    def f(flat):
        return torch.func.functional_call(module, {"net.w": flat.reshape(w0.shape)}, ())

    return torch.func.hessian(f)(w0.reshape(-1))


def gd_is_stable(net: TwoLayerPINN, residual: Residual, lr: float, steps: int) -> tuple[bool, int]:
    """Run GD w <- w - lr J^T r from the net's current w (restored afterwards) for ``steps``
    steps; ``(stable, steps run)``: stable if L stays finite and <= L(0) at every step,
    stopping at the first step that breaks it."""
    w0 = net.w.detach().clone()
    try:
        with torch.no_grad():
            r, g = residual.with_grad(net)
            l0 = 0.5 * float(r @ r)
            for k in range(steps):
                net.w.sub_(lr * g)
                r, g = residual.with_grad(net)
                loss = 0.5 * float(r @ r)
                if not math.isfinite(loss) or loss > l0:
                    return False, k + 1
            return True, steps
    finally:
        with torch.no_grad():
            net.w.copy_(w0)


def bisect_edge(stable: Callable[[float], bool], lo: float = 0.25, hi: float = 8.0,
                iters: int = 7, max_widen: int = 10) -> tuple[float, float, int]:
    """The edge c* between stable and unstable values of c > 0 by bisection in log2 c.

    Start bracket [``lo``, ``hi``], widened by factors of 2 (at most ``max_widen`` times each
    way) until ``stable(lo)`` and not ``stable(hi)``; then ``iters`` bisections at the geometric
    mean, each halving log2(hi / lo). Returns ``(lo, hi, calls)``: lo = 0 if no stable value
    was found, hi = inf if no unstable one (then lo is the largest stable value tried)."""
    calls = 0

    def test(c):
        nonlocal calls
        calls += 1
        return stable(c)

    for _ in range(max_widen):
        if test(lo):
            break
        hi, lo = lo, lo / 2
    else:
        return 0.0, hi, calls
    for _ in range(max_widen):
        if not test(hi):
            break
        lo, hi = hi, hi * 2
    else:
        return lo, math.inf, calls
    for _ in range(iters):
        mid = math.sqrt(lo * hi)
        if test(mid):
            lo = mid
        else:
            hi = mid
    return lo, hi, calls


def edge_of_stability(problem: str, colloc: Collocation, width: int, seed: int, steps: int,
                      activation: str = "tanh", lo: float = 0.25, hi: float = 8.0,
                      iters: int = 7, max_widen: int = 10) -> dict:
    """eta* of GD for one initialization: :func:`bisect_edge` over c = eta lambda_max(H(0)),
    each test :func:`gd_is_stable` for ``steps`` steps (the paper's epochs).

    Returns ``lambda_max_gram`` (of H(0) = J J^T, sigma_max(J)^2), ``lambda_max_hessian``,
    ``lambda_min_hessian`` (of grad^2 L(w_0)), ``eta_lo`` (largest stable step tried; 0 if
    none), ``eta_hi`` (smallest unstable step tried; inf if none), ``runs``."""
    prob = get_problem(problem)
    net = TwoLayerPINN(width, prob.dim, seed, activation)
    residual = Residual(prob.operator, colloc)
    _, jac = residual.with_jacobian(net)
    lam_gram = float(torch.linalg.svdvals(jac)[0] ** 2)
    hess_eig = torch.linalg.eigvalsh(loss_hessian(net, residual))
    c_lo, c_hi, runs = bisect_edge(
        lambda c: gd_is_stable(net, residual, c / lam_gram, steps)[0], lo, hi, iters,
        max_widen)
    return dict(lambda_max_gram=lam_gram, lambda_max_hessian=float(hess_eig[-1]),
                lambda_min_hessian=float(hess_eig[0]), eta_lo=c_lo / lam_gram,
                eta_hi=c_hi / lam_gram, runs=runs)


__all__ = ["loss_hessian", "gd_is_stable", "bisect_edge", "edge_of_stability"]
