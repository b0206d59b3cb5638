"""Linear layer in the NTK parameterization (catalogue "Conventions"; seed 000 Assumptions 3, 6).

    y = W x / sqrt(fan_in) + b,   W_ij ~ N(0, 1),   b = 0 at initialization,

so the initialization variance of the effective weight is 1/fan_in (sigma_0 ~ 1/sqrt(m)) while
every trained parameter is O(1). Shapes: x ``(..., fan_in)`` -> y ``(..., fan_out)``.
"""

from __future__ import annotations

import math

import torch
from torch import nn


class NTKLinear(nn.Module):
    """``W x / sqrt(fan_in) + b`` with ``W ~ N(0, 1)`` (``(fan_out, fan_in)``) and ``b = 0``."""

    def __init__(self, fan_in: int, fan_out: int, bias: bool = True):
        super().__init__()
        if fan_in < 1 or fan_out < 1:
            raise ValueError(f"fan_in and fan_out must be >= 1, got {fan_in}, {fan_out}")
        self.weight = nn.Parameter(torch.randn(fan_out, fan_in))
        self.bias = nn.Parameter(torch.zeros(fan_out)) if bias else None
        self.scale = 1.0 / math.sqrt(fan_in)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # (x s) W^T = x (s W)^T: scale whichever operand is smaller (the weight in the FNO's
        # pointwise layers, the batch of inputs in a DeepONet's: ~9 % of its step at m = 500)
        if x.numel() < self.weight.numel():
            return nn.functional.linear(x * self.scale, self.weight, self.bias)
        return nn.functional.linear(x, self.weight * self.scale, self.bias)
