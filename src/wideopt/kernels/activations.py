"""Activations psi with their derivatives psi', as torch functions (any shape, any dtype).

The NTK of a two-layer net with trained first layer only involves psi'; training needs psi.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class Activation:
    """psi, psi', and psi' computed cheaply from (z, psi(z)) when both are at hand."""

    name: str
    psi: Callable[[torch.Tensor], torch.Tensor]
    dpsi: Callable[[torch.Tensor], torch.Tensor]
    dpsi_given_psi: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def _relu_grad(z: torch.Tensor) -> torch.Tensor:
    return (z > 0).to(z.dtype)


def _erf_grad(z: torch.Tensor) -> torch.Tensor:
    return (2.0 / math.sqrt(math.pi)) * torch.exp(-z * z)


def _tanh_grad(z: torch.Tensor) -> torch.Tensor:
    return 1.0 - torch.tanh(z) ** 2


ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation("relu", torch.relu, _relu_grad, lambda z, p: (p > 0).to(p.dtype)),
    "erf": Activation("erf", torch.special.erf, _erf_grad, lambda z, p: _erf_grad(z)),
    # tanh' = 1 - tanh^2 reuses psi: float64 tanh is ~3x slower than exp on this CPU.
    "tanh": Activation("tanh", torch.tanh, _tanh_grad, lambda z, p: 1.0 - p * p),
}


def get_activation(name: str) -> Activation:
    try:
        return ACTIVATIONS[name]
    except KeyError:
        choices = sorted(ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; choose from {choices}") from None
