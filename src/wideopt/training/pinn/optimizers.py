"""The optimizers of the PINN study (seed 002), defined once: name -> display name + builder.

=========  ============  ===========================================================
name       display       step on the full batch, W <- ...
=========  ============  ===========================================================
SGD        SGD           W - eta J^T r
Adam       Adam          Adam on J^T r (torch defaults)
LBFGS      L-BFGS        L-BFGS on L = 1/2 |r|^2, strong Wolfe line search, ``inner_steps``
                         iterations per call
NGD        NGD           W - eta J^T (J J^T + delta)^{-1} r   (:class:`.ngd.NGD`)
=========  ============  ===========================================================

The config (``pinn.optimizers``) says which run and at which settings; the run files carry
the display name (column ``optimizer``), so tables and figures need not import this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

from wideopt.training.pinn.ngd import NGD


@dataclass(frozen=True)
class OptimizerSpec:
    """``build(params, cfg)``: the optimizer for one run (``cfg``: a ``RunConfig``)."""

    name: str
    display: str
    build: Callable[[list, object], torch.optim.Optimizer]
    uses_jacobian: bool = False  # NGD: the step needs J, not only J^T r


def _lbfgs(params, c):
    return torch.optim.LBFGS(params, lr=c.lr, max_iter=c.inner_steps,
                             max_eval=int(1.25 * c.inner_steps) + 1,
                             line_search_fn="strong_wolfe", **c.lbfgs)


OPTIMIZERS: dict[str, OptimizerSpec] = {
    "SGD": OptimizerSpec("SGD", "SGD", lambda params, c: torch.optim.SGD(params, lr=c.lr)),
    "Adam": OptimizerSpec("Adam", "Adam", lambda params, c: torch.optim.Adam(params, lr=c.lr)),
    "LBFGS": OptimizerSpec("LBFGS", "L-BFGS", _lbfgs),
    "NGD": OptimizerSpec("NGD", "NGD", lambda params, c: NGD(params, lr=c.lr, **c.ngd),
                         uses_jacobian=True),
}


def get_optimizer(name: str) -> OptimizerSpec:
    try:
        return OPTIMIZERS[name]
    except KeyError:
        raise ValueError(f"unknown optimizer {name!r}; choose from {list(OPTIMIZERS)}") from None


__all__ = ["OPTIMIZERS", "OptimizerSpec", "get_optimizer"]
