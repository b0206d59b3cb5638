"""Training two-layer PINNs with SGD, Adam, L-BFGS and NGD through Lightning (seed 002).

One :class:`PINNModule` per run, manual optimization for every optimizer: the loss gradient
J^T r (first-order methods and L-BFGS) and the Jacobian J (NGD) come in closed form from
:class:`~wideopt.models.pinn_two_layer.TwoLayerPINN`, so no autograd graph is built. Each
Lightning step performs ``inner_steps`` optimizer steps on the full batch (one "epoch" of the
paper = one full-batch step), which amortizes the Trainer's ~ms per-step overhead over
thousands of tiny steps (perf-notes). Metrics (training loss, test relative L2) are recorded
every ``log_every`` steps.

A non-finite loss stops the run (``trainer.should_stop``): the run is *diverged*, its final
error is recorded as ``nan`` and the pipeline goes on.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import pytorch_lightning as pl
import torch

from wideopt.data.pinn_problems import get_problem
from wideopt.models.pinn_two_layer import TwoLayerPINN, relative_l2
from wideopt.training.ngd import NGD
from wideopt.training.progress import full_batch_trainer

log = logging.getLogger(__name__)

OPTIMIZERS = ("SGD", "Adam", "LBFGS", "NGD")
DISPLAY = {"SGD": "SGD", "Adam": "Adam", "LBFGS": "L-BFGS", "NGD": "NGD"}


@dataclass
class RunConfig:
    """One training run (one seed). ``steps`` = epochs = full-batch iterations."""

    problem: str
    optimizer: str
    lr: float
    width: int
    steps: int
    seed: int
    activation: str = "tanh"
    log_every: int = 100
    inner_steps: int = 100
    ngd: dict = field(default_factory=lambda: dict(damping=1e-8, jitter=1e-14,
                                                   max_jitter=1e-6, rcond=None,
                                                   mode="cholesky"))
    lbfgs: dict = field(default_factory=lambda: dict(history_size=50, tolerance_grad=1e-12,
                                                     tolerance_change=1e-16))
    probe_full_step: bool = False  # NGD: also record |r| after a full (eta = 1) step


def tensors(data: dict[str, np.ndarray]) -> dict[str, torch.Tensor]:
    return {k: torch.as_tensor(v, dtype=torch.float64) for k, v in data.items()}


class PINNModule(pl.LightningModule):
    """Full-batch PINN training, manual optimization; records tidy ``step, metric, value``."""

    def __init__(self, cfg: RunConfig, data: dict[str, np.ndarray]):
        super().__init__()
        self.save_hyperparameters(asdict(cfg))
        self.cfg = cfg
        self.automatic_optimization = False
        self.problem = get_problem(cfg.problem)
        self.net = TwoLayerPINN(cfg.width, self.problem.dim, cfg.seed, cfg.activation)
        self.data = tensors(data)
        self.records: list[tuple[int, str, float]] = []
        self.step_count = 0
        self.diverged = False
        self.done = False
        self.last_loss = math.nan  # the latest recorded loss, shown by the progress summary

    # --- optimizers ----------------------------------------------------------------------
    def configure_optimizers(self):
        c, w = self.cfg, [self.net.w]
        if c.optimizer == "SGD":
            return torch.optim.SGD(w, lr=c.lr)
        if c.optimizer == "Adam":
            return torch.optim.Adam(w, lr=c.lr)
        if c.optimizer == "LBFGS":
            return torch.optim.LBFGS(w, lr=c.lr, max_iter=c.inner_steps,
                                     max_eval=int(1.25 * c.inner_steps) + 1,
                                     line_search_fn="strong_wolfe", **c.lbfgs)
        if c.optimizer == "NGD":
            return NGD(w, lr=c.lr, **c.ngd)
        raise ValueError(f"unknown optimizer {c.optimizer!r}; choose from {OPTIMIZERS}")

    def _grad_closure(self):
        r, g = self.net.residuals_and_grad(self.problem, self.data)
        self.net.w.grad = g
        return 0.5 * (r @ r)

    def _jac_closure(self):
        return self.net.residuals_and_jacobian(self.problem, self.data)

    # --- recording ---------------------------------------------------------------------------
    def record(self, loss: float) -> None:
        err = relative_l2(self.net, self.data["x_test"], self.data["u_test"])
        if not math.isfinite(loss):
            err = float("nan")
        self.records += [(self.step_count, "loss", loss), (self.step_count, "rel_l2", err)]
        self.last_loss = loss

    def _check(self, loss: float) -> bool:
        if not math.isfinite(loss) or not torch.isfinite(self.net.w).all():
            self.diverged = True
            self.records.append((self.step_count, "loss", float("nan")))
            self.records.append((self.step_count, "rel_l2", float("nan")))
            log.warning("%s: non-finite loss at step %d: diverged", self.cfg.optimizer,
                        self.step_count)
            return False
        return True

    def on_train_start(self) -> None:
        with torch.no_grad():
            r = self.net.residuals(self.problem, self.data)
        self.record(0.5 * float(r @ r))

    def training_step(self, batch, batch_idx):
        opt = self.optimizers().optimizer
        c = self.cfg
        with torch.no_grad():
            if c.optimizer == "LBFGS":
                self._lbfgs_block(opt)
            else:
                for _ in range(min(c.inner_steps, c.steps - self.step_count)):
                    if c.optimizer == "NGD":
                        loss = self._ngd_step(opt)
                    else:
                        opt.zero_grad()
                        loss = float(self._grad_closure())
                        opt.step()
                    self.step_count += 1
                    if not self._check(loss):
                        break
                    if self.step_count % c.log_every == 0 or self.step_count == c.steps:
                        r = self.net.residuals(self.problem, self.data)
                        loss_now = 0.5 * float(r @ r)
                        if not self._check(loss_now):
                            break
                        self.record(loss_now)
        if self.diverged or self.done or self.step_count >= c.steps:
            self.trainer.should_stop = True
        return torch.tensor(self.last_loss)

    def _ngd_step(self, opt: NGD) -> float:
        r, jac = self._jac_closure()
        loss = opt.step(lambda: (r, jac))
        info = opt.last_info
        self.records.append((self.step_count, "jitter", float(info["jitter"])))
        self.records.append((self.step_count, "residual_norm", math.sqrt(2 * loss)))
        if self.cfg.probe_full_step and math.isfinite(loss):
            self.records.append((self.step_count, "full_step_residual_norm",
                                 self._full_step_norm(opt)))
        return loss

    def _full_step_norm(self, opt: NGD) -> float:
        """|r(w_k - d_k)|: a full (eta = 1) step from the point w_k before the last step,
        d_k = J^T (J J^T + delta)^{-1} r the direction the optimizer just applied."""
        d = opt.last_direction
        w_after = self.net.w.detach().clone()
        self.net.w.copy_(w_after + (self.cfg.lr - 1.0) * d)
        r_full = self.net.residuals(self.problem, self.data)
        self.net.w.copy_(w_after)
        return float(torch.linalg.vector_norm(r_full))

    def _lbfgs_block(self, opt: torch.optim.LBFGS) -> None:
        c = self.cfg
        before = opt.state.get(opt._params[0], {}).get("n_iter", 0)
        opt.param_groups[0]["max_iter"] = min(c.inner_steps, c.steps - self.step_count)
        loss = float(opt.step(self._grad_closure))
        after = opt.state[opt._params[0]].get("n_iter", 0)
        self.step_count += after - before
        r = self.net.residuals(self.problem, self.data)
        loss_now = 0.5 * float(r @ r)
        if not (self._check(loss) and self._check(loss_now)):
            return
        self.record(loss_now)
        if after == before:  # converged to tolerance: nothing left to do
            self.done = True

    def train_dataloader(self):
        return torch.utils.data.DataLoader([0], batch_size=1)


def train_run(cfg: RunConfig, data: dict[str, np.ndarray]) -> pd.DataFrame:
    """Train one run; return tidy rows ``step, metric, value`` incl. final summary metrics.

    Summary metrics at ``step = steps done``: ``final_rel_l2`` (nan if diverged),
    ``final_loss``, ``diverged`` (0/1), ``wall_s``.
    """
    pl.seed_everything(cfg.seed, workers=True, verbose=False)
    module = PINNModule(cfg, data)
    epochs = math.ceil(cfg.steps / cfg.inner_steps)
    label = f"{cfg.problem} {cfg.optimizer} lr={cfg.lr:g} m={cfg.width} seed={cfg.seed}"
    trainer = full_batch_trainer(epochs, label)
    t0 = time.perf_counter()
    trainer.fit(module)
    wall = time.perf_counter() - t0
    df = pd.DataFrame(module.records, columns=["step", "metric", "value"])
    losses = df[df.metric == "loss"]
    errs = df[df.metric == "rel_l2"]
    final_err = float("nan") if module.diverged else float(errs.value.iloc[-1])
    final_loss = float("nan") if module.diverged else float(losses.value.iloc[-1])
    s = module.step_count
    tail = pd.DataFrame([(s, "final_rel_l2", final_err), (s, "final_loss", final_loss),
                         (s, "diverged", float(module.diverged)), (s, "wall_s", wall)],
                        columns=["step", "metric", "value"])
    log.info("%s %s lr=%g m=%d seed=%d: %d steps, rel_l2 %.3e, loss %.3e, %.1fs%s",
             cfg.problem, cfg.optimizer, cfg.lr, cfg.width, cfg.seed, s, final_err,
             final_loss, wall, " (diverged)" if module.diverged else "")
    return pd.concat([df, tail], ignore_index=True)


def train_seeds(base: dict, seeds: list[int], data: dict[str, np.ndarray]) -> pd.DataFrame:
    """Run :func:`train_run` for every seed; tidy ``seed, step, metric, value``."""
    frames = []
    for seed in seeds:
        df = train_run(RunConfig(**base, seed=seed), data)
        frames.append(df.assign(seed=seed))
    out = pd.concat(frames, ignore_index=True)
    return out[["seed", "step", "metric", "value"]]


__all__ = ["RunConfig", "PINNModule", "train_run", "train_seeds", "OPTIMIZERS", "DISPLAY"]
