"""Training two-layer PINNs with SGD, Adam, L-BFGS and NGD through Lightning (seed 002).

One :class:`PINNModule` per run: it receives its net (:class:`TwoLayerPINN`), the problem's
operator and the :class:`Collocation` (registered as buffers, through :class:`Residual`), and
optimizes with manual optimization for every optimizer of the registry
(:mod:`wideopt.training.pinn.optimizers`): the loss gradient J^T r (first-order methods and
L-BFGS) and the Jacobian J (NGD) come in closed form from :class:`Residual`, so no autograd
graph is built. Each Lightning step performs ``inner_steps`` optimizer steps on the full batch
(one "epoch" of the paper = one full-batch step), which amortizes the Trainer's ~ms per-step
overhead over thousands of tiny steps. Metrics (training loss L = 1/2 |r|^2, test relative L2
|u - u*| / |u*|) are recorded every ``log_every`` steps.

A non-finite loss stops the run (``trainer.should_stop``): the run is *diverged*, its final
error is recorded as ``nan`` and the pipeline goes on.

:func:`sweep` runs a base configuration under a list of variants (config overrides such as
``{"lr": 0.1, "width": 32}`` or ``{"ngd.damping": 1e-4}``) and every seed; the overrides come
back as columns of its tidy output. It holds the logging-interval rule of the pipeline.
"""

from __future__ import annotations

import copy
import logging
import math
import time
from dataclasses import asdict, dataclass, field, fields

import pandas as pd
import pytorch_lightning as pl
import torch

from wideopt.data.pinn_problems import Collocation
from wideopt.models.pinn_two_layer import TwoLayerPINN
from wideopt.pde import LinearOperator, get_problem
from wideopt.training.pinn.ngd import NGD
from wideopt.training.pinn.optimizers import OPTIMIZERS, StepKind, get_optimizer
from wideopt.training.pinn.residual import Residual
from wideopt.training.progress import full_batch_trainer

log = logging.getLogger(__name__)

MIN_LOGGED = 100  # logged points per run at least (NGD's 100-200 steps: every step or two)


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


def relative_l2(net: TwoLayerPINN, x_test: torch.Tensor, u_test: torch.Tensor) -> float:
    """|u_theta - u*| / |u*| on independent test points."""
    with torch.no_grad():
        return float(torch.linalg.vector_norm(net(x_test) - u_test)
                     / torch.linalg.vector_norm(u_test))


class PINNModule(pl.LightningModule):
    """Full-batch PINN training, manual optimization; records tidy ``step, metric, value``."""

    def __init__(self, net: TwoLayerPINN, operator: LinearOperator, colloc: Collocation,
                 cfg: RunConfig):
        super().__init__()
        self.save_hyperparameters(asdict(cfg))
        self.cfg = cfg
        self.automatic_optimization = False
        self.net = net
        self.residual = Residual(operator, colloc)
        self.register_buffer("x_test", colloc.x_test)
        self.register_buffer("u_test", colloc.u_test)
        self.records: list[tuple[int, str, float]] = []
        self.step_count = 0
        self.diverged = False
        self.done = False
        self.last_loss = math.nan  # the latest recorded loss, shown by the progress summary

    # --- optimizers ----------------------------------------------------------------------
    def configure_optimizers(self):
        return get_optimizer(self.cfg.optimizer).build([self.net.w], self.cfg)

    def _grad_closure(self):
        r, g = self.residual.with_grad(self.net)
        self.net.w.grad = g
        return 0.5 * (r @ r)

    # --- recording ---------------------------------------------------------------------------
    def record(self, loss: float) -> None:
        err = relative_l2(self.net, self.x_test, self.u_test)
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
        self.record(self.residual.loss(self.net))

    def training_step(self, batch, batch_idx):
        opt = self.optimizers().optimizer
        c = self.cfg
        kind = get_optimizer(c.optimizer).step
        with torch.no_grad():
            if kind is StepKind.LINE_SEARCH:
                self._line_search_block(opt)
            else:
                for _ in range(min(c.inner_steps, c.steps - self.step_count)):
                    if kind is StepKind.GAUSS_NEWTON:
                        loss = self._gauss_newton_step(opt)
                    else:
                        opt.zero_grad()
                        loss = float(self._grad_closure())
                        opt.step()
                    self.step_count += 1
                    if not self._check(loss):
                        break
                    if self.step_count % c.log_every == 0 or self.step_count == c.steps:
                        loss_now = self.residual.loss(self.net)
                        if not self._check(loss_now):
                            break
                        self.record(loss_now)
        if self.diverged or self.done or self.step_count >= c.steps:
            self.trainer.should_stop = True
        return torch.tensor(self.last_loss, device=self.device)

    def _gauss_newton_step(self, opt: NGD) -> float:
        """One step of a Gauss-Newton optimizer (NGD's interface: ``step(lambda: (r, J))``)."""
        r, jac = self.residual.with_jacobian(self.net)
        loss = opt.step(lambda: (r, jac), loss_fn=self._loss_at)
        info = opt.last_info
        if opt.param_groups[0]["line_search"]:
            self.records.append((self.step_count, "lr_chosen", float(info["lr"])))
        self.records.append((self.step_count, "jitter", float(info["jitter"])))
        self.records.append((self.step_count, "residual_norm", math.sqrt(2 * loss)))
        if self.cfg.probe_full_step and math.isfinite(loss):
            self.records.append((self.step_count, "full_step_residual_norm",
                                 self._full_step_norm(opt)))
        return loss

    def _loss_at(self, w: torch.Tensor) -> float:
        """L = 1/2 |r|^2 at parameters ``w`` (the net's own restored afterwards)."""
        w_now = self.net.w.detach().clone()
        self.net.w.copy_(w)
        loss = self.residual.loss(self.net)
        self.net.w.copy_(w_now)
        return loss

    def _full_step_norm(self, opt: NGD) -> float:
        """|r(w_k - d_k)|: a full (eta = 1) step from the point w_k before the last step,
        d_k = J^T (J J^T + delta)^{-1} r the direction the optimizer just applied."""
        d = opt.last_direction
        w_after = self.net.w.detach().clone()
        self.net.w.copy_(w_after + (self.cfg.lr - 1.0) * d)
        r_full = self.residual(self.net)
        self.net.w.copy_(w_after)
        return float(torch.linalg.vector_norm(r_full))

    def _line_search_block(self, opt: torch.optim.LBFGS) -> None:
        """One call of a line-search optimizer (torch's L-BFGS interface: a closure, its
        iteration count in ``state['n_iter']``), up to ``inner_steps`` iterations."""
        c = self.cfg
        before = opt.state.get(opt._params[0], {}).get("n_iter", 0)
        opt.param_groups[0]["max_iter"] = min(c.inner_steps, c.steps - self.step_count)
        loss = float(opt.step(self._grad_closure))
        after = opt.state[opt._params[0]].get("n_iter", 0)
        self.step_count += after - before
        loss_now = self.residual.loss(self.net)
        if not (self._check(loss) and self._check(loss_now)):
            return
        self.record(loss_now)
        if after == before:  # converged to tolerance: nothing left to do
            self.done = True

    def train_dataloader(self):
        return torch.utils.data.DataLoader([0], batch_size=1)


def train_run(cfg: RunConfig, colloc: Collocation) -> pd.DataFrame:
    """Train one run; return tidy rows ``step, metric, value`` incl. final summary metrics.

    Summary metrics at ``step = steps done``: ``final_rel_l2`` (nan if diverged),
    ``final_loss``, ``diverged`` (0/1), ``wall_s``.
    """
    pl.seed_everything(cfg.seed, workers=True, verbose=False)
    problem = get_problem(cfg.problem)
    net = TwoLayerPINN(cfg.width, problem.dim, cfg.seed, cfg.activation)
    module = PINNModule(net, problem.operator, colloc, cfg)
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


def train_seeds(base: dict, seeds: list[int], colloc: Collocation) -> pd.DataFrame:
    """Run :func:`train_run` for every seed; tidy ``seed, step, metric, value``."""
    frames = []
    for seed in seeds:
        df = train_run(RunConfig(**base, seed=seed), colloc)
        frames.append(df.assign(seed=seed))
    out = pd.concat(frames, ignore_index=True)
    return out[["seed", "step", "metric", "value"]]


def logging_interval(log_every: int, steps: int) -> int:
    """Steps between logged points: ``log_every`` at most, and at least :data:`MIN_LOGGED`
    points per run (NGD's 100-200 steps: every step or two)."""
    return max(1, min(log_every, steps // MIN_LOGGED))


def block_steps(optimizer: str, log_every: int, inner_steps: int) -> int:
    """Optimizer steps per Lightning step: ``inner_steps``, except for a line-search optimizer,
    which records once per block and so takes one logging interval per block."""
    return log_every if get_optimizer(optimizer).step is StepKind.LINE_SEARCH else inner_steps


def with_overrides(base: dict, variant: dict) -> dict:
    """``base`` with the ``variant``'s overrides; a dotted key sets a nested entry
    (``"ngd.damping"`` -> ``base["ngd"]["damping"]``, the other entries from ``base`` or, where
    ``base`` has none, from :class:`RunConfig`'s defaults)."""
    cfg = copy.deepcopy(base)
    for f in fields(RunConfig):
        if f.name not in cfg and any(k.startswith(f"{f.name}.") for k in variant):
            cfg[f.name] = f.default_factory()
    for key, value in variant.items():
        *path, last = key.split(".")
        node = cfg
        for k in path:
            node = node[k]
        node[last] = value
    return cfg


def variant_column(key: str) -> str:
    """Column of an override in the tidy output: its last dotted part (``ngd.damping`` ->
    ``damping``)."""
    return key.split(".")[-1]


def sweep(base: dict, variants: list[dict], seeds: list[int],
          colloc: Collocation) -> pd.DataFrame:
    """Train ``base`` under each variant and every seed.

    The logging-interval rule of every sweep: ``log_every`` becomes
    :func:`logging_interval` of the run's steps; a line-search optimizer (L-BFGS), which logs
    once per Lightning step, takes one logging interval per block (:func:`block_steps`). Tidy
    output: one column per override key (:func:`variant_column`, values as given),
    ``optimizer`` (display name), ``seed, step, metric, value``.
    """
    keys = list(dict.fromkeys(k for v in variants for k in v))
    cols = [variant_column(k) for k in keys]
    if len(set(cols)) != len(cols) or set(cols) & {"optimizer", "seed", "step", "metric",
                                                   "value"}:
        raise ValueError(f"override keys {keys} give clashing columns {cols}")
    frames = []
    for variant in variants:
        cfg = with_overrides(base, variant)
        unknown = set(cfg) - {f.name for f in fields(RunConfig)}
        if unknown:
            raise ValueError(f"unknown run settings {sorted(unknown)}")
        cfg["log_every"] = logging_interval(cfg.get("log_every", 100), cfg["steps"])
        cfg["inner_steps"] = block_steps(cfg["optimizer"], cfg["log_every"],
                                         cfg.get("inner_steps", RunConfig.inner_steps))
        df = train_seeds(cfg, seeds, colloc)
        frames.append(df.assign(**{variant_column(k): variant.get(k) for k in keys}))
    out = pd.concat(frames, ignore_index=True)
    out["optimizer"] = OPTIMIZERS[base["optimizer"]].display
    return out[[*cols, "optimizer", "seed", "step", "metric", "value"]]


__all__ = ["RunConfig", "PINNModule", "train_run", "train_seeds", "sweep", "relative_l2",
           "logging_interval", "block_steps", "with_overrides", "variant_column"]
