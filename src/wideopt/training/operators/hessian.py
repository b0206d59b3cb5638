"""Spectral norms of Hessians in the parameters by Lanczos on Hessian-vector products.

Two Hessians of a network G_theta (parameters theta in R^p) at its current parameters, both on
a fixed batch of inputs u (b functions, n_x query points, output G_theta(u) in R^{b x n_x}):

- the **loss** Hessian  H_L = nabla^2_theta L,  L(theta) = mean((G_theta(u) - s)^2), which
  splits as (2/(b n_x)) (J^T J + sum_i r_i nabla^2 G_i) with J = dG/dtheta and r = G - s: the
  Gauss-Newton term J^T J stays O(1) under NTK scaling, so ||H_L||_2 need not shrink with width;
- the **network** Hessian  H_G = nabla^2_theta <v, G_theta(u)> = sum_i v_i nabla^2_theta G_i,
  for a fixed output direction v in R^{b x n_x} with ||v||_2 = 1 over the whole batch output
  (:func:`output_direction`). This is the smoothness constant of seed 000: in the NTK
  parameterization ||H_G||_2 = O(1/sqrt(m)) in the width m.

Neither is ever formed (p x p). The Hessian-vector product of a scalar f(theta) is the
forward-mode derivative of its gradient, H w = d/de grad f(theta + e w)|_{e=0}
(``torch.func.jvp`` over ``torch.func.grad``), computed in the parameters' dtype and converted to
float64 at the numpy boundary. ``scipy.sparse.linalg.eigsh`` (implicitly restarted Lanczos,
ARPACK, ``which="LM"``, k = 1) on that ``LinearOperator`` returns the eigenvalue lambda of
largest magnitude, so ||H||_2 = |lambda|; it stops when the Ritz estimate of the residual
||H x - lambda x|| falls below ``tol * |lambda|``. We then evaluate the residual of the returned
pair with one more product, so the reported ``residual`` = ||H x - lambda x|| / |lambda| is
measured, not ARPACK's estimate. For a symmetric H some eigenvalue lies within
``residual * |lambda|`` of lambda.

Lanczos, unlike power iteration, does not stall when the top eigenvalues are close in
magnitude (power iteration's error falls like (|lambda_2| / |lambda_1|)^k and it oscillates when
lambda_2 = -lambda_1, which the bilinear DeepONet output produces).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigsh
from torch import nn
from torch.func import functional_call, grad, jvp


def lanczos_norm(
    matvec: Callable[[np.ndarray], np.ndarray],
    n: int,
    tol: float = 1e-3,
    ncv: int = 10,
    maxiter: int = 20,
    seed: int = 0,
) -> dict[str, float]:
    """||H||_2 of a symmetric n x n operator given by ``matvec``, by ``eigsh`` (Lanczos).

    Args:
        matvec: ``w (n,) float64 -> H w (n,) float64``.
        tol: relative residual at which ARPACK stops: ||H x - lambda x|| <= tol |lambda|.
        ncv: Lanczos basis size (products per restart cycle ~ ncv - 1; the first cycle ncv).
        maxiter: cap on ARPACK's restart cycles (so at most ~ncv * maxiter products).
        seed: seed of the start vector (Gaussian, numpy).

    Returns:
        ``norm`` = |lambda|, ``eigenvalue`` = lambda (signed), ``residual`` =
        ||H x - lambda x|| / |lambda| of the returned unit x (one extra product),
        ``matvecs`` = products used (including that one), ``converged`` (bool as 0/1).
        Without convergence within ``maxiter`` the values are NaN and ``converged`` 0.
    """
    count = 0

    def counted(w: np.ndarray) -> np.ndarray:
        nonlocal count
        count += 1
        return matvec(np.ascontiguousarray(w, dtype=np.float64).reshape(-1))

    op = LinearOperator((n, n), matvec=counted, dtype=np.float64)
    v0 = np.random.default_rng(seed).standard_normal(n)
    ncv = min(ncv, n)
    try:
        vals, vecs = eigsh(op, k=1, which="LM", tol=tol, ncv=ncv, maxiter=maxiter, v0=v0)
    except ArpackNoConvergence:
        return dict(norm=math.nan, eigenvalue=math.nan, residual=math.nan, matvecs=count,
                    converged=0)
    lam, x = float(vals[0]), vecs[:, 0]
    residual = float(np.linalg.norm(counted(x) - lam * x) / (abs(lam) * np.linalg.norm(x)))
    return dict(norm=abs(lam), eigenvalue=lam, residual=residual, matvecs=count, converged=1)


def hvp_matvec(
    module: nn.Module, scalar_fn: Callable[[dict[str, torch.Tensor]], torch.Tensor]
) -> tuple[Callable[[np.ndarray], np.ndarray], int]:
    """The Hessian of ``scalar_fn(params)`` in the module's trainable parameters as a flat
    float64 matvec ``w (p,) -> H w (p,)`` (jvp over grad, in the parameters' dtype), and p.

    The tangent and the result live in buffers allocated once (at p ~ 3e7 a fresh float64
    vector per product cost ~25 % of the product in page faults and copies): the returned
    array is overwritten by the next call, so a caller keeps a copy (ARPACK copies it into
    its own workspace).
    """
    params = {n: p.detach() for n, p in module.named_parameters() if p.requires_grad}
    names = list(params)
    sizes = [params[k].numel() for k in names]
    dtypes = {p.dtype for p in params.values()}
    if len(dtypes) != 1:
        raise ValueError(f"parameters of one dtype expected, got {sorted(map(str, dtypes))}")
    device = next(iter(params.values())).device
    tangent_flat = torch.empty(sum(sizes), dtype=dtypes.pop(), device=device)
    tangent = {k: c.view(params[k].shape)
               for k, c in zip(names, tangent_flat.split(sizes), strict=True)}
    out = np.empty(sum(sizes))
    out_chunks = torch.from_numpy(out).split(sizes)
    g = grad(scalar_fn)

    def matvec(w: np.ndarray) -> np.ndarray:
        tangent_flat.copy_(torch.from_numpy(w))  # float64 -> parameter dtype (and device)
        hw = jvp(g, (params,), (tangent,))[1]
        for k, chunk in zip(names, out_chunks, strict=True):
            chunk.copy_(hw[k].reshape(-1))  # -> float64
        return out

    return matvec, sum(sizes)


def hessian_spectral_norm(
    module: nn.Module,
    loss_fn: Callable[[nn.Module, dict[str, torch.Tensor]], torch.Tensor],
    **lanczos,
) -> dict[str, float]:
    """||nabla^2_theta L||_2 of ``loss_fn(module, params)`` (e.g. :func:`functional_mse`) at
    the module's current parameters, by :func:`lanczos_norm` (``lanczos``: its keyword
    arguments ``tol, ncv, maxiter, seed``; same return)."""
    matvec, p = hvp_matvec(module, lambda ps: loss_fn(module, ps))
    return lanczos_norm(matvec, p, **lanczos)


def output_direction(shape: tuple[int, ...], seed: int,
                     dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """A fixed unit output direction v: Gaussian (seeded, own generator, so the global RNG is
    untouched), divided by its Frobenius norm over the whole batch output ``shape``."""
    v = torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    return (v / torch.linalg.vector_norm(v)).to(dtype)


def network_hessian_norm(module: nn.Module, inputs: tuple, seed: int = 0,
                         **lanczos) -> dict[str, float]:
    """||nabla^2_theta <v, G_theta(u)>||_2 on the fixed batch ``inputs`` (``module(*inputs)``
    has shape (b, n_x)), v = :func:`output_direction` of that shape with ``seed`` (also the
    start vector's seed), by :func:`lanczos_norm` (``lanczos``: ``tol, ncv, maxiter``; same
    return)."""
    with torch.no_grad():
        out = module(*inputs)
    v = output_direction(tuple(out.shape), seed, out.dtype)

    def pairing(ps: dict[str, torch.Tensor]) -> torch.Tensor:
        return (v * functional_call(module, ps, inputs)).sum()

    matvec, p = hvp_matvec(module, pairing)
    return lanczos_norm(matvec, p, seed=seed, **lanczos)


def functional_mse(inputs: tuple, target: torch.Tensor):
    """``loss_fn`` for :func:`hessian_spectral_norm`: mean((module(*inputs) - target)^2)."""

    def loss_fn(module: nn.Module, params: dict[str, torch.Tensor]) -> torch.Tensor:
        out = functional_call(module, params, inputs)
        return ((out - target) ** 2).mean()

    return loss_fn
