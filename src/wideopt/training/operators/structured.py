"""The structured direction of claim E1 (issue 23): the top eigenvector of the network Hessian
nabla^2_theta <v, G_theta(u)> at initialization (claim A4's operator, on the same fixed batch
and output direction v), and rho*(m) along it, for both signs.

A random direction in p dimensions is nearly orthogonal to the few directions in which the
loss curves most; the top Hessian eigenvector is the direction in which the linearization
degrades fastest, so rho* along it is the most demanding test of the lazy neighbourhood.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np
import torch
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigsh
from torch import nn
from torch.func import functional_call

from wideopt.training.operators.gd import FullBatch
from wideopt.training.operators.hessian import hvp_matvec, output_direction
from wideopt.training.operators.regression import TrainSettings, train_operator
from wideopt.training.operators.variants import RadiusSearch, critical_radius


def top_network_eigenvector(net: nn.Module, batch: tuple, seed: int, tol: float = 1e-3,
                            ncv: int = 8, maxiter: int = 20) -> dict:
    """Lanczos (ARPACK ``eigsh``, ``which="LM"``, start vector seeded as
    :func:`~wideopt.training.operators.hessian.lanczos_norm`'s) on nabla^2 <v, G(u)>
    (v = :func:`output_direction` with ``seed``): ``eigenvalue`` (largest |lambda|),
    ``residual`` = ||H x - lambda x|| / |lambda| (one more product) and the unit ``vector``
    x (p,), float64. Raises if ARPACK does not converge."""
    with torch.no_grad():
        out = net(*batch)
    v = output_direction(tuple(out.shape), seed, out.dtype)

    def pairing(ps):
        return (v * functional_call(net, ps, batch)).sum()

    matvec, p = hvp_matvec(net, pairing)
    op = LinearOperator((p, p), matvec=lambda w: matvec(np.ascontiguousarray(w).reshape(-1))
                        .copy(), dtype=np.float64)
    v0 = np.random.default_rng(seed).standard_normal(p)
    try:
        vals, vecs = eigsh(op, k=1, which="LM", tol=tol, ncv=min(ncv, p), maxiter=maxiter,
                           v0=v0)
    except ArpackNoConvergence as err:
        raise RuntimeError("Lanczos did not converge for the network Hessian: raise "
                           "open.radius.structured.hessian.restarts") from err
    lam, x = float(vals[0]), vecs[:, 0] / np.linalg.norm(vecs[:, 0])
    residual = float(np.linalg.norm(matvec(x) - lam * x) / abs(lam))
    return dict(eigenvalue=lam, residual=residual, vector=x)


@torch.no_grad()
def perturb_along(net: nn.Module, direction: np.ndarray, rho: float) -> None:
    """theta <- theta + rho u for the unit ``direction`` u (p,), in the order of
    :func:`~wideopt.training.operators.variants.trainable_vector`."""
    params = [p for p in net.parameters() if p.requires_grad]
    u = torch.as_tensor(direction, dtype=torch.float64).reshape(-1)
    if u.numel() != sum(p.numel() for p in params):
        raise ValueError(f"direction has {u.numel()} entries, the net "
                         f"{sum(p.numel() for p in params)} trainable parameters")
    k = 0
    for p in params:
        p.add_((rho * u[k:k + p.numel()]).reshape(p.shape).to(p.dtype))
        k += p.numel()


def structured_radius(build: Callable[[int, int], nn.Module], data: str, problem: str,
                      width: int, seed: int, settings: TrainSettings, search: RadiusSearch,
                      hessian: dict) -> list[dict]:
    """rho* along +u and -u, u the top network-Hessian eigenvector at theta_0 of
    (width, seed) on the first ``hessian["batch"]`` training functions (Lanczos ``tol``,
    ``ncv``, ``restarts``); the unperturbed run is trained once and shared by both signs
    (each sign's ``n_runs`` counts it). One row per sign: ``width, seed, sign, rho_star,
    censored, base_loss, n_runs, eigenvalue, param_norm0``."""
    batch_data = FullBatch.load(data, problem, settings.subsample, hessian["batch"])
    torch.manual_seed(seed)  # the initialization of train_operator (seed_everything(seed))
    net = build(batch_data.u.shape[1], width)
    top = top_network_eigenvector(net, (batch_data.u, batch_data.grid), seed,
                                  tol=hessian["tol"], ncv=hessian["ncv"],
                                  maxiter=hessian["restarts"])
    norm0 = math.sqrt(sum(float((p.double() ** 2).sum()) for p in net.parameters()))
    u = top["vector"]

    @functools.cache
    def final_loss(rho: float, sign: int) -> float:
        def factory(n_sensors: int, m: int) -> nn.Module:
            net = build(n_sensors, m)
            if rho > 0:
                perturb_along(net, sign * u, rho)
            return net

        _, s = train_operator(factory, data, problem, width, seed, settings)
        return s["final_train_loss"]

    rows = []
    for sign in (1, -1):
        res = critical_radius(lambda rho, sign=sign: final_loss(rho, sign if rho else 1),
                              search)
        res.pop("trace")
        rows.append(dict(width=width, seed=seed, sign=sign, **res,
                         eigenvalue=top["eigenvalue"], param_norm0=norm0))
    return rows
