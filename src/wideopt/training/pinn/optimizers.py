"""The optimizers of the PINN study (seed 002), defined once: one :class:`OptimizerSpec` each.

=========  ============  ===============  ========================================================
name       display       step kind        step on the full batch, W <- ...
=========  ============  ===============  ========================================================
SGD        SGD           first-order      W - eta J^T r
Adam       Adam          first-order      Adam on J^T r (torch defaults)
LBFGS      L-BFGS        line-search      L-BFGS on L = 1/2 |r|^2, strong Wolfe line search,
                                          ``inner_steps`` iterations per call
NGD        NGD           gauss-newton     W - eta J^T (J J^T + delta)^{-1} r   (:class:`.ngd.NGD`)
=========  ============  ===============  ========================================================

The spec drives behaviour; nothing else names an optimizer to decide how to run or plan it:

- ``step`` (:class:`StepKind`) says how the training module calls it
  (:class:`wideopt.training.pinn.module.PINNModule`): a first-order method steps on J^T r; a
  line-search method is called once per block with a closure and counts its own iterations;
  a Gauss-Newton method is handed r and the Jacobian J (``uses_jacobian``). The workflow's cost
  model (:mod:`wideopt.plan.pinn`) prices a step by its kind.
- ``steps`` says which config key gives a run's step count (``("problem", "epochs")``:
  ``pinn.problems.<problem>.epochs``; ``("optimizer", "iterations")``:
  ``pinn.optimizers.<name>.iterations``), read by :mod:`wideopt.plan.pinn`.
- ``build(params, cfg)`` makes the optimizer for one run (``cfg``: a ``RunConfig``).

This module imports no torch (the builders import it when called), so the planning can read
the table. Adding an optimizer is one entry of :data:`OPTIMIZERS` (plus its ``pinn.optimizers``
config entry). The run files carry the display name (column ``optimizer``), so tables and
figures need not import this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class StepKind(Enum):
    """How an optimizer steps (and how the training module and the cost model treat it)."""

    FIRST_ORDER = "first-order"  # opt.step() after setting the gradient J^T r
    LINE_SEARCH = "line-search"  # opt.step(closure): several gradients per iteration
    GAUSS_NEWTON = "gauss-newton"  # opt.step(lambda: (r, J)): needs the Jacobian J


@dataclass(frozen=True)
class OptimizerSpec:
    """One optimizer: names, step kind, step-count key and builder (module doc)."""

    name: str
    display: str
    step: StepKind
    build: Callable[[list, object], object]
    steps: tuple[str, str] = ("problem", "epochs")

    @property
    def uses_jacobian(self) -> bool:
        """The step needs J, not only J^T r."""
        return self.step is StepKind.GAUSS_NEWTON


def _sgd(params, c):
    import torch

    return torch.optim.SGD(params, lr=c.lr)


def _adam(params, c):
    import torch

    return torch.optim.Adam(params, lr=c.lr)


def _lbfgs(params, c):
    import torch

    return torch.optim.LBFGS(params, lr=c.lr, max_iter=c.inner_steps,
                             max_eval=int(1.25 * c.inner_steps) + 1,
                             line_search_fn="strong_wolfe", **c.lbfgs)


def _ngd(params, c):
    from wideopt.training.pinn.ngd import NGD

    return NGD(params, lr=c.lr, **c.ngd)


OPTIMIZERS: dict[str, OptimizerSpec] = {
    "SGD": OptimizerSpec("SGD", "SGD", StepKind.FIRST_ORDER, _sgd),
    "Adam": OptimizerSpec("Adam", "Adam", StepKind.FIRST_ORDER, _adam),
    "LBFGS": OptimizerSpec("LBFGS", "L-BFGS", StepKind.LINE_SEARCH, _lbfgs,
                           steps=("optimizer", "iterations")),
    "NGD": OptimizerSpec("NGD", "NGD", StepKind.GAUSS_NEWTON, _ngd,
                         steps=("problem", "ngd_epochs")),
}


def get_optimizer(name: str) -> OptimizerSpec:
    try:
        return OPTIMIZERS[name]
    except KeyError:
        raise ValueError(f"unknown optimizer {name!r}; choose from {list(OPTIMIZERS)}") from None


__all__ = ["OPTIMIZERS", "OptimizerSpec", "StepKind", "get_optimizer"]
