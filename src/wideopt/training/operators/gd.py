"""Full-batch gradient descent with one width-independent step (claims A3, A5, A6).

Adam's per-parameter step does not shrink with the width under the NTK parameterization, so
under Adam a wider net may move further per step and "wider converges faster" can be a
step-size effect. Here the loss

    L(theta) = (1 / (N n_x)) sum_i sum_j (G_theta(u_i)(x_j) - s_i(x_j))^2

over the N training functions is minimized by plain gradient descent
theta_{t+1} = theta_t - eta grad L(theta_t), with one step for every width of an
(architecture, problem):

    eta = 1 / max_{m, seed} lambda_max(nabla^2 L(theta_0^{(m, seed)})),

the loss Hessian's spectral norm at initialization by Lanczos
(:func:`~wideopt.training.operators.hessian.hessian_spectral_norm`, full batch). Under NTK
scaling the Gauss-Newton part of the Hessian stays O(1), so one step fits every width; it
lies below the stability limit 2 / lambda_max of every run at initialization. The step is a
rule, never tuned on the results.

Recorded per step t = 0..S: L(theta_t) and ||grad L(theta_t)||^2 (claim A6: the source's
next check 2, ||grad||^2 ~ m^{-1/2}); at the end ||theta_S - theta_0|| (claim A3 under GD:
lazy training keeps it O(1) in m), ||theta_0||, and the test relative L2 error.
The initialization is ``torch.manual_seed(seed)`` then the factory, as in the Adam runs
(Lightning's ``seed_everything`` seeds torch the same way), so a GD run and the Adam run of
the same (width, seed) start from the same theta_0.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
from torch import nn

from wideopt.io import read_npz
from wideopt.training.operators.hessian import functional_mse, hessian_spectral_norm

log = logging.getLogger(__name__)

# Input/target keys of each problem's data file (as the Adam runs' OperatorDataModule).
PROBLEM_KEYS = {"antiderivative": ("u", "s"), "diffusion_reaction": ("u", "s"),
                "burgers": ("u0", "u")}


@dataclass(frozen=True)
class FullBatch:
    """Training and test functions of one problem, float32: ``u, s (N, n_x)``, grid (n_x,)."""

    u: torch.Tensor
    s: torch.Tensor
    grid: torch.Tensor
    u_test: torch.Tensor
    s_test: torch.Tensor

    @classmethod
    def load(cls, path: str, problem: str, subsample: int = 1,
             n_train: int | None = None) -> FullBatch:
        """The first ``n_train`` training functions (all if None) and every test function;
        every ``subsample``-th grid point."""
        if problem not in PROBLEM_KEYS:
            raise ValueError(f"unknown problem {problem!r}; choose from {sorted(PROBLEM_KEYS)}")
        arrays, meta = read_npz(path)
        in_key, out_key = PROBLEM_KEYS[problem]
        k = int(subsample)

        def f32(a):
            return torch.as_tensor(np.ascontiguousarray(a[:, ::k]), dtype=torch.float32)

        u, s = f32(arrays[in_key]), f32(arrays[out_key])
        n_tr = int(meta["n_train"])
        n_use = n_tr if n_train is None else min(int(n_train), n_tr)
        grid = torch.as_tensor(arrays["x"][::k].copy(), dtype=torch.float32)
        return cls(u[:n_use], s[:n_use], grid, u[n_tr:], s[n_tr:])


@dataclass(frozen=True)
class GDSettings:
    """One architecture's GD settings (``config["operators_gd"][arch]`` and ``hessian``)."""

    widths: tuple[int, ...]
    steps: int
    n_train: int | None = None
    subsample: int = 1
    hessian_tol: float = 1e-3
    hessian_ncv: int = 8
    hessian_restarts: int = 20

    @classmethod
    def from_config(cls, cfg: dict, hessian: dict, subsample: int) -> GDSettings:
        return cls(widths=tuple(int(w) for w in cfg["widths"]), steps=int(cfg["steps"]),
                   n_train=cfg.get("n_train"), subsample=int(subsample),
                   hessian_tol=float(hessian["tol"]), hessian_ncv=int(hessian["ncv"]),
                   hessian_restarts=int(hessian["restarts"]))


def init_net(factory: Callable[[int, int], nn.Module], n_sensors: int, width: int,
             seed: int) -> nn.Module:
    """The network of (width, seed) at initialization (torch seeded first, as the Adam runs)."""
    torch.manual_seed(seed)
    return factory(n_sensors, width)


def loss_hessian_norm(net: nn.Module, data: FullBatch, settings: GDSettings,
                      seed: int) -> dict[str, float]:
    """||nabla^2 L(theta_0)||_2 of the full-batch training loss (Lanczos); raises if Lanczos
    did not converge (the step would be undefined)."""
    res = hessian_spectral_norm(net, functional_mse((data.u, data.grid), data.s),
                                tol=settings.hessian_tol, ncv=settings.hessian_ncv,
                                maxiter=settings.hessian_restarts, seed=seed)
    if not res["converged"]:
        raise RuntimeError(f"Lanczos did not converge for the loss Hessian ({res['matvecs']} "
                           "products): raise operators_gd.hessian.restarts")
    return res


def common_step(norms: Sequence[float]) -> float:
    """eta = 1 / max of the loss-Hessian norms at initialization (every width and seed)."""
    if not norms or not all(math.isfinite(x) and x > 0 for x in norms):
        raise ValueError(f"loss Hessian norms must be finite and positive, got {list(norms)}")
    return 1.0 / max(norms)


def _mse(net: nn.Module, u: torch.Tensor, s: torch.Tensor, grid: torch.Tensor) -> torch.Tensor:
    return ((net(u, grid) - s) ** 2).mean()


def run_gd(net: nn.Module, data: FullBatch, eta: float, steps: int,
           ) -> tuple[pd.DataFrame, dict[str, float]]:
    """``steps`` full-batch GD steps of size ``eta`` from the net's current parameters.

    Returns the tidy curve (``step, train_loss, grad_norm_sq`` for t = 0..steps; it stops at
    the first non-finite loss) and ``param_distance`` = ||theta_S - theta_0||,
    ``param_norm0`` = ||theta_0||, ``rel_param_distance``, ``final_train_loss``,
    ``final_test_rel_l2``, ``diverged``, ``seconds``.
    """
    params = [p for p in net.parameters() if p.requires_grad]
    theta0 = [p.detach().clone() for p in params]
    rows = []
    t0 = time.perf_counter()
    diverged = False
    for step in range(steps + 1):
        loss = _mse(net, data.u, data.s, data.grid)
        grads = torch.autograd.grad(loss, params)
        gsq = float(sum((g.double() ** 2).sum() for g in grads))
        rows.append((step, float(loss.detach()), gsq))
        if not (math.isfinite(rows[-1][1]) and math.isfinite(gsq)):
            diverged = True
            break
        if step == steps:
            break
        with torch.no_grad():
            for p, g in zip(params, grads, strict=True):
                p.sub_(eta * g)
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        dist = math.sqrt(sum(float(((p.double() - q.double()) ** 2).sum())
                             for p, q in zip(params, theta0, strict=True)))
        norm0 = math.sqrt(sum(float((q.double() ** 2).sum()) for q in theta0))
        pred = net(data.u_test, data.grid)
        test = float((torch.linalg.vector_norm(pred - data.s_test, dim=-1)
                      / torch.linalg.vector_norm(data.s_test, dim=-1)).mean())
    curve = pd.DataFrame(rows, columns=["step", "train_loss", "grad_norm_sq"])
    return curve, dict(param_distance=dist, param_norm0=norm0, rel_param_distance=dist / norm0,
                       final_train_loss=rows[-1][1], final_test_rel_l2=test,
                       diverged=diverged, seconds=seconds)


def train_gd(factory: Callable[[int, int], nn.Module], arch: str, data_path: str,
             problem: str, seeds: Sequence[int], settings: GDSettings,
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every (width, seed) of one architecture and problem under GD with the common step.

    First the loss-Hessian norm at initialization of every (width, seed) (one Lanczos each),
    then eta = :func:`common_step`, then :func:`run_gd` from the same initializations.
    Returns the curves (``arch, problem, width, seed, step, train_loss, grad_norm_sq``) and
    one summary row per (width, seed) (with ``eta``, ``hessian_norm`` of that run at init,
    and the :func:`run_gd` values).
    """
    data = FullBatch.load(data_path, problem, settings.subsample, settings.n_train)
    n_sensors = data.u.shape[1]
    hess = {}
    for width in settings.widths:
        for seed in seeds:
            t0 = time.perf_counter()
            res = loss_hessian_norm(init_net(factory, n_sensors, width, seed), data, settings,
                                    seed)
            hess[width, seed] = dict(hessian_norm=res["norm"], hessian_matvecs=res["matvecs"],
                                     hessian_seconds=time.perf_counter() - t0)
            log.info("m=%d seed=%d: ||H_L(theta_0)|| = %.4g (%d HVPs)", width, seed,
                     res["norm"], res["matvecs"])
    eta = common_step([h["hessian_norm"] for h in hess.values()])
    log.info("common GD step eta = %.4g", eta)
    curves, rows = [], []
    for width in settings.widths:
        for seed in seeds:
            net = init_net(factory, n_sensors, width, seed)
            curve, res = run_gd(net, data, eta, settings.steps)
            key = dict(arch=arch, problem=problem, width=width, seed=seed)
            curves.append(curve.assign(**key))
            rows.append(dict(key, n_params=sum(p.numel() for p in net.parameters()),
                             n_train=len(data.u), steps=settings.steps, eta=eta,
                             **hess[width, seed], **res))
            log.info("m=%d seed=%d: loss %.4g after %d steps (%.1f s)", width, seed,
                     res["final_train_loss"], settings.steps, res["seconds"])
    cols = ["arch", "problem", "width", "seed", "step", "train_loss", "grad_norm_sq"]
    return pd.concat(curves, ignore_index=True)[cols], pd.DataFrame(rows)
