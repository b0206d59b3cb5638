"""Section E operator experiments (seed 000's open questions) on top of the section A trainer.

Three variants of a network built by an architecture's ``build`` (:mod:`wideopt.models`),
each applied *after* construction, so the section A models and their jobs stay untouched:

- :func:`with_activation`: every activation module replaced by the registry's ``name``
  (ReLU for ``open_relu_operators``; the models themselves accept only the smooth sigma the
  theory needs);
- :func:`freeze_encoder`: the FNO's lift P and projection Q_1, Q_2 frozen at initialization
  (``requires_grad = False``: Adam skips them, the Hessian ignores them), only the Fourier
  layers trained (``open_fno_encoder``);
- :func:`perturb`: theta_0 + delta with delta = rho u, u uniform on the unit sphere of the
  trained parameters (a normalized Gaussian), ||delta||_2 = rho (``open_radius``).

:func:`critical_radius` finds rho*(m) = the largest rho whose final training loss stays within
``tolerance`` x the unperturbed run's, by bisection in log rho between ``rho_min`` and
``rho_max`` (training under the same budget at every rho). Training is
:func:`wideopt.training.operators.regression.train_operator` throughout.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import torch
from torch import nn

from wideopt.activations import get_activation
from wideopt.training.operators.regression import TrainSettings, train_operator

Factory = Callable[[int, int], nn.Module]
ENCODER = ("lift", "proj1", "proj2")  # FNO: P and Q (wideopt.models.fno.FNO1d)


def with_activation(net: nn.Module, name: str) -> nn.Module:
    """``net`` with every registry activation module replaced by activation ``name``."""
    kind = type(get_activation(name).module())
    for parent in list(net.modules()):
        for child_name, child in list(parent.named_children()):
            if isinstance(child, kind):
                setattr(parent, child_name, get_activation(name).module())
    return net


def freeze_encoder(net: nn.Module, parts: tuple[str, ...] = ENCODER) -> int:
    """Freeze the named submodules at their initialization; returns the frozen count."""
    frozen = 0
    for part in parts:
        for p in getattr(net, part).parameters():
            p.requires_grad_(False)
            frozen += p.numel()
    return frozen


def trainable_vector(net: nn.Module) -> torch.Tensor:
    """The trained parameters, flattened (float64): (p,)."""
    return torch.cat([p.detach().reshape(-1).double() for p in net.parameters()
                      if p.requires_grad])


@torch.no_grad()
def perturb(net: nn.Module, rho: float, seed: int) -> torch.Tensor:
    """theta <- theta + delta, ||delta||_2 = rho along a random direction (from ``seed``);
    returns delta (p,) in the order of :func:`trainable_vector`."""
    params = [p for p in net.parameters() if p.requires_grad]
    gen = torch.Generator().manual_seed(int(seed))
    u = torch.randn(sum(p.numel() for p in params), generator=gen, dtype=torch.float64)
    delta = rho * u / torch.linalg.vector_norm(u)
    k = 0
    for p in params:
        p.add_(delta[k:k + p.numel()].reshape(p.shape).to(p.dtype))
        k += p.numel()
    return delta


def variant_factory(build: Factory, activation: str | None = None, frozen: bool = False,
                    rho: float = 0.0, seed: int = 0, keep: list | None = None) -> Factory:
    """``build`` with the variant's changes applied to each net it makes (``keep`` collects
    the nets, so the caller can read them after training)."""

    def factory(n_sensors: int, width: int) -> nn.Module:
        net = build(n_sensors, width)
        if activation is not None:
            with_activation(net, activation)
        if frozen:
            freeze_encoder(net)
        if rho > 0:
            perturb(net, rho, seed + 7919 * width)
        if keep is not None:
            keep.append((net, trainable_vector(net)))
        return net

    return factory


def train_variant(build: Factory, data: str, problem: str, width: int, seed: int,
                  settings: TrainSettings, **variant) -> tuple[pd.DataFrame, dict]:
    """One training run of a variant: the section A metrics and summary, the latter with the
    trained-parameter
    distance ``trained_distance`` = ||theta_T - theta_0|| and ``rel_trained_distance`` (over
    ||theta_0|| of the *trained* parameters: frozen ones neither move nor count)."""
    keep: list = []
    metrics, summary = train_operator(variant_factory(build, seed=seed, keep=keep, **variant),
                                data, problem, width, seed, settings)
    net, theta0 = keep[-1]
    dist = float(torch.linalg.vector_norm(trainable_vector(net) - theta0))
    summary.update(trained_distance=dist,
                   rel_trained_distance=dist / float(torch.linalg.vector_norm(theta0)),
                   n_trained=int(theta0.numel()))
    return metrics, summary


@dataclass(frozen=True)
class RadiusSearch:
    """Bisection settings of :func:`critical_radius`."""

    rho_min: float
    rho_max: float
    steps: int
    tolerance: float = 2.0


def critical_radius(final_loss: Callable[[float], float], search: RadiusSearch) -> dict:
    """rho* = the largest rho with final_loss(rho) <= tolerance x final_loss(0), by bisection
    in log rho on [rho_min, rho_max] (``steps`` halvings: resolution
    log10(rho_max / rho_min) / 2^steps decades). A non-finite loss counts as failure.

    Returns ``rho_star`` (the largest rho that passed; ``rho_min`` if even it failed and
    ``rho_max`` if it passed), ``censored`` (-1 below the range, +1 above, 0 inside),
    ``base_loss``, ``n_runs`` and the ``trace`` [(rho, loss, ok)].
    """
    base = final_loss(0.0)
    trace = []

    def ok(rho: float) -> bool:
        loss = final_loss(rho)
        good = math.isfinite(loss) and loss <= search.tolerance * base
        trace.append((rho, loss, good))
        return good

    lo, hi = math.log(search.rho_min), math.log(search.rho_max)
    censored = 0
    if ok(search.rho_max):
        censored, rho_star = 1, search.rho_max
    elif not ok(search.rho_min):
        censored, rho_star = -1, search.rho_min
    else:
        for _ in range(search.steps):
            mid = 0.5 * (lo + hi)
            if ok(math.exp(mid)):
                lo = mid
            else:
                hi = mid
        rho_star = math.exp(lo)
    return dict(rho_star=rho_star, censored=censored, base_loss=base, n_runs=len(trace) + 1,
                trace=trace)
