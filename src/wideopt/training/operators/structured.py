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

import torch
from torch import nn
from torch.func import functional_call

from wideopt.training.operators.gd import FullBatch
from wideopt.training.operators.hessian import hvp_matvec, lanczos_norm, output_direction
from wideopt.training.operators.regression import TrainSettings
from wideopt.training.operators.variants import RadiusSearch, critical_radius, train_variant


def top_network_eigenvector(net: nn.Module, batch: tuple, seed: int, **lanczos) -> dict:
    """Lanczos on nabla^2 <v, G(u)> (v = :func:`output_direction` with ``seed``): ``norm``,
    ``eigenvalue``, ``residual``, ``matvecs``, ``converged`` and the unit ``vector`` (p,)."""
    with torch.no_grad():
        out = net(*batch)
    v = output_direction(tuple(out.shape), seed, out.dtype)

    def pairing(ps):
        return (v * functional_call(net, ps, batch)).sum()

    matvec, p = hvp_matvec(net, pairing)
    res = lanczos_norm(matvec, p, seed=seed, return_vector=True, **lanczos)
    if not res["converged"]:
        raise RuntimeError(f"Lanczos did not converge for the network Hessian "
                           f"({res['matvecs']} products): raise hessian_restarts")
    return res


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
    u = torch.as_tensor(top["vector"])

    @functools.cache
    def final_loss(rho: float, sign: int) -> float:
        direction = None if rho == 0 else sign * u
        _, s = train_variant(build, data, problem, width, seed, settings, rho=rho,
                             direction=direction)
        return s["final_train_loss"]

    rows = []
    for sign in (1, -1):
        res = critical_radius(lambda rho, sign=sign: final_loss(rho, sign if rho else 1),
                              search)
        res.pop("trace")
        rows.append(dict(width=width, seed=seed, sign=sign, **res,
                         eigenvalue=top["eigenvalue"], param_norm0=norm0))
    return rows
