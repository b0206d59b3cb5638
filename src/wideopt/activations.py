"""The one activation registry: psi with the closed-form derivatives each use needs.

Every network and kernel of the package takes its activation from :data:`ACTIVATIONS` by
name. An :class:`Activation` carries

- ``psi``: the function itself (any shape, any dtype);
- ``derivs(z, order) -> (psi, psi', ..., psi^(order))`` in closed form, from one evaluation,
  where the activation is smooth enough (the two-layer PINN needs order 3 for the Jacobian of
  L phi; the two-layer NTK needs psi'); None where it is not provided;
- ``dpsi_given_psi(z, p)``: psi'(z) computed cheaply from z and p = psi(z) when both are at
  hand (tanh' = 1 - p^2 avoids a second float64 tanh);
- :meth:`Activation.module`: psi as an ``nn.Module`` for ``nn.Sequential`` stacks.

Which nets use which: two-layer NTK net (seed 003) relu/erf/tanh; frozen-ends MLP (seed 001)
relu/elu/gelu/tanh/softplus; neural operators (seed 000) tanh/gelu (the theory needs a twice
differentiable sigma); two-layer PINN (seed 002) tanh/softplus/relu3.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

Tensor = torch.Tensor
Derivs = Callable[[Tensor, int], tuple[Tensor, ...]]


class _Pointwise(nn.Module):
    """``nn.Module`` wrapper of a pointwise function (no parameters, no state)."""

    def __init__(self, name: str, fn: Callable[[Tensor], Tensor]):
        super().__init__()
        self.name, self.fn = name, fn

    def forward(self, x: Tensor) -> Tensor:
        return self.fn(x)

    def extra_repr(self) -> str:
        return self.name


@dataclass(frozen=True)
class Activation:
    """psi, its closed-form derivatives where provided, and psi' from (z, psi(z))."""

    name: str
    psi: Callable[[Tensor], Tensor]
    derivs: Derivs | None = None
    dpsi_given_psi: Callable[[Tensor, Tensor], Tensor] | None = None
    max_order: int = 0

    def dpsi(self, z: Tensor) -> Tensor:
        """psi'(z) (closed form)."""
        if self.derivs is None or self.max_order < 1:
            raise ValueError(f"activation {self.name!r} has no closed-form derivative")
        return self.derivs(z, 1)[1]

    def derivatives(self, z: Tensor, order: int) -> tuple[Tensor, ...]:
        """(psi, psi', ..., psi^(order))(z) from one evaluation."""
        if self.derivs is None or order > self.max_order:
            raise ValueError(f"activation {self.name!r} has closed-form derivatives up to order "
                             f"{self.max_order}, {order} asked")
        return self.derivs(z, order)

    def module(self) -> nn.Module:
        return _Pointwise(self.name, self.psi)


def _tanh(z: Tensor, order: int) -> tuple[Tensor, ...]:
    t = torch.tanh(z)
    s1 = 1 - t * t
    out = [t, s1]
    if order >= 2:
        out.append(-2 * t * s1)
    if order >= 3:
        out.append(s1 * (6 * t * t - 2))
    return tuple(out[: order + 1])


def _softplus(z: Tensor, order: int) -> tuple[Tensor, ...]:
    p = torch.sigmoid(z)
    out = [F.softplus(z), p]
    if order >= 2:
        out.append(p * (1 - p))
    if order >= 3:
        out.append(p * (1 - p) * (1 - 2 * p))
    return tuple(out[: order + 1])


def _relu3(z: Tensor, order: int) -> tuple[Tensor, ...]:
    q = torch.relu(z)
    out = [q**3, 3 * q * q]
    if order >= 2:
        out.append(6 * q)
    if order >= 3:
        out.append(6 * (z > 0).to(z.dtype))
    return tuple(out[: order + 1])


def _relu(z: Tensor, order: int) -> tuple[Tensor, ...]:
    return (torch.relu(z), (z > 0).to(z.dtype))[: order + 1]


def _erf(z: Tensor, order: int) -> tuple[Tensor, ...]:
    return (torch.special.erf(z), (2.0 / math.sqrt(math.pi)) * torch.exp(-z * z))[: order + 1]


ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation("relu", torch.relu, _relu, lambda z, p: (p > 0).to(p.dtype), 1),
    "erf": Activation("erf", torch.special.erf, _erf,
                      lambda z, p: (2.0 / math.sqrt(math.pi)) * torch.exp(-z * z), 1),
    # tanh' = 1 - tanh^2 reuses psi: float64 tanh is ~3x slower than exp on this CPU.
    "tanh": Activation("tanh", torch.tanh, _tanh, lambda z, p: 1.0 - p * p, 3),
    "softplus": Activation("softplus", F.softplus, _softplus, None, 3),
    "relu3": Activation("relu3", lambda z: torch.relu(z) ** 3, _relu3, None, 3),
    "gelu": Activation("gelu", F.gelu),
    "elu": Activation("elu", F.elu),
}


def get_activation(name: str, choices: tuple[str, ...] | None = None) -> Activation:
    """The registered activation ``name``; ``choices`` restricts the names a caller accepts
    (e.g. the operators' twice-differentiable ones), with a clear error otherwise."""
    allowed = sorted(choices if choices is not None else ACTIVATIONS)
    if name not in ACTIVATIONS or name not in allowed:
        raise ValueError(f"unknown activation {name!r}; choose from {allowed}")
    return ACTIVATIONS[name]
