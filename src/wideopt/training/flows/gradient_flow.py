"""Gradient flow ≈ full-batch GD with a small step, as a Lightning module (section B).

Loss L(θ) = (1/2n) Σ_i (f_θ(x_i) − y_i)² over the trained matrices θ = (W², W³). GD with
step η follows the gradient flow θ'(t) = −∇L(θ(t)) at times t = η · step; in function
space f' = −(1/n) H (f − y) with H the NTK, so η λ_max(H/n) < 2 is stable and η λ_max ≪ 1
tracks the flow. We report the step relative to λ_max in the config.

Trainer overhead (~2 ms per Lightning step on this CPU) is amortized: one Lightning
"epoch" runs all GD steps up to the next evaluation time (log-spaced), so the Trainer is
entered only ~30 times per run. Manual optimization: each GD step is ``zero_grad``,
``manual_backward``, ``SGD.step`` (plain GD, no momentum).

Recorded at every evaluation step (tidy rows ``step, t, metric, value``):
``test_l2`` = ‖f_θ − f‖_{L²(σ)} estimated on the test points, ``train_rmse``,
``weight_rel`` = ‖W(t) − W(0)‖_F / ‖W(0)‖_F over both trained matrices together,
``weight_rel_spec`` = max_k ‖W^k(t) − W^k(0)‖₂ / ‖W^k(0)‖₂. A non-finite loss stops the run
and is recorded (``diverged`` = 1): a result, not a crash.

Given a :class:`~wideopt.training.flows.kernel_flow.KernelFlow` (the infinite-width NTK on the
training and test points), the infinite-width kernel flow f_∞(t) from the same network's
initial function f_m(0) is evaluated at the same times (same units: t = η·step is the flow
time of L above) and two more metrics are recorded: ``kernel_flow_l2`` = ‖f_∞(t) − f‖ on the
test points (as ``test_l2``) and ``kernel_gap`` = ‖f_m(t) − f_∞(t)‖/‖f_∞(t)‖ (empirical L²
norms on the test points; NaN once the run diverged).
"""

from __future__ import annotations

import logging
import time

import numpy as np
import pandas as pd
import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, TensorDataset

from wideopt.models.frozen_mlp import FrozenEndsMLP
from wideopt.training.flows.kernel_flow import KernelFlow
from wideopt.training.progress import full_batch_trainer

log = logging.getLogger(__name__)


def eval_schedule(steps: int, n_evals: int) -> list[int]:
    """0 and ~``n_evals`` log-spaced integer steps in [1, steps], ending at ``steps``."""
    s = np.unique(np.round(np.geomspace(1, steps, n_evals)).astype(int))
    return [0, *s.tolist()]


class GradientFlow(pl.LightningModule):
    """Full-batch GD on (x, y) with test-error and weight-distance logging."""

    def __init__(self, net: FrozenEndsMLP, x, y, x_test, y_test, lr: float,
                 eval_steps: list[int]):
        super().__init__()
        self.save_hyperparameters(ignore=["net", "x", "y", "x_test", "y_test"])
        self.automatic_optimization = False
        self.net = net
        for name, v in dict(x=x, y=y, x_test=x_test, y_test=y_test).items():
            self.register_buffer(name, torch.as_tensor(v, dtype=torch.float64))
        # W^k(0) and its norms are buffers: they follow the module to any device.
        for k, p in enumerate(net.hidden):
            w = p.detach().clone()
            self.register_buffer(f"w0_{k}", w)
            self.register_buffer(f"w0_spec_{k}", torch.linalg.matrix_norm(w, ord=2))
        self.register_buffer("w0_fro", torch.sqrt(sum((w**2).sum() for w in self.w0)))
        self.eval_steps = eval_steps
        self.step_count = 0
        self.records: list[tuple[int, float, str, float]] = []
        self.predictions: dict[int, tuple[torch.Tensor, torch.Tensor]] = {}  # (train, test)
        self.gd_seconds = 0.0
        self.diverged = False

    @property
    def w0(self) -> list[torch.Tensor]:
        """W^k(0) of every trained matrix k."""
        return [getattr(self, f"w0_{k}") for k in range(len(self.net.hidden))]

    @property
    def w0_spec(self) -> list[torch.Tensor]:
        """||W^k(0)||_2 of every trained matrix k."""
        return [getattr(self, f"w0_spec_{k}") for k in range(len(self.net.hidden))]

    def configure_optimizers(self):
        return torch.optim.SGD(self.net.parameters(), lr=self.hparams.lr)

    def train_dataloader(self):
        # One dummy batch per epoch: the data live in buffers (full batch).
        return DataLoader(TensorDataset(torch.zeros(1)), batch_size=1)

    def _loss(self) -> torch.Tensor:
        return 0.5 * ((self.net(self.x) - self.y) ** 2).mean()

    def training_step(self, batch, batch_idx):
        opt = self.optimizers()
        target = self.eval_steps[min(self.current_epoch + 1, len(self.eval_steps) - 1)]
        t0 = time.perf_counter()
        loss = torch.tensor(float("nan"), device=self.device)
        while self.step_count < target and not self.diverged:
            opt.zero_grad()
            loss = self._loss()
            if not torch.isfinite(loss):
                self.diverged = True
                break
            self.manual_backward(loss)
            opt.step()
            self.step_count += 1
        self.gd_seconds += time.perf_counter() - t0
        return loss.detach()  # shown by the progress summary

    @torch.no_grad()
    def evaluate(self) -> None:
        """Append the metrics at the current step to :attr:`records`."""
        step, t = self.step_count, self.step_count * self.hparams.lr
        pred_train, pred_test = self.net(self.x), self.net(self.x_test)
        self.predictions[step] = (pred_train.cpu(), pred_test.cpu())  # the flow is on CPU
        test = torch.sqrt(((pred_test - self.y_test) ** 2).mean())
        train = torch.sqrt(((pred_train - self.y) ** 2).mean())
        dw = [p - w0 for p, w0 in zip(self.net.hidden, self.w0, strict=True)]
        rel = torch.sqrt(sum((d**2).sum() for d in dw)) / self.w0_fro
        spec = max(float(torch.linalg.matrix_norm(d, ord=2) / s)
                   for d, s in zip(dw, self.w0_spec, strict=True))
        for name, v in (("test_l2", test), ("train_rmse", train), ("weight_rel", rel),
                        ("weight_rel_spec", spec)):
            self.records.append((step, t, name, float(v)))
        if not np.isfinite(float(train)):
            self.diverged = True

    def on_train_start(self) -> None:
        self.evaluate()

    def on_train_epoch_end(self) -> None:
        self.evaluate()
        if self.diverged:
            log.warning("non-finite loss at step %d: run diverged", self.step_count)
            self.trainer.should_stop = True

    @torch.no_grad()
    def kernel_flow_records(self, flow: KernelFlow) -> list[tuple[int, float, str, float]]:
        """``kernel_flow_l2`` and ``kernel_gap`` at every evaluated step (module doc)."""
        steps = sorted(self.predictions)
        times = [s * self.hparams.lr for s in steps]
        f0_train, f0_test = self.predictions[0]
        f_inf = flow.predict(times, f0_train, f0_test, self.y.cpu())  # (T, n_test)
        f_m = torch.stack([self.predictions[s][1] for s in steps])
        err = torch.sqrt(((f_inf - self.y_test.cpu()) ** 2).mean(-1))
        gap = torch.linalg.vector_norm(f_m - f_inf, dim=-1) / torch.linalg.vector_norm(
            f_inf, dim=-1)
        rows = []
        for s, t, e, g in zip(steps, times, err.tolist(), gap.tolist(), strict=True):
            rows += [(s, t, "kernel_flow_l2", e), (s, t, "kernel_gap", g)]
        return rows

    def metrics(self) -> pd.DataFrame:
        rows = self.records + [(self.step_count, self.step_count * self.hparams.lr,
                                "diverged", float(self.diverged))]
        return pd.DataFrame(rows, columns=["step", "t", "metric", "value"])


def train_gradient_flow(net: FrozenEndsMLP, data: dict[str, np.ndarray], lr: float,
                        steps: int, n_evals: int, flow: KernelFlow | None = None
                        ) -> pd.DataFrame:
    """Run GD for ``steps`` steps of size ``lr``; return tidy metrics (see module doc),
    with the kernel-flow comparison when ``flow`` is given."""
    sched = eval_schedule(steps, n_evals)
    module = GradientFlow(net, data["x"], data["y"], data["x_test"], data["y_test"], lr, sched)
    trainer = full_batch_trainer(len(sched) - 1, label=f"m={net.width}")
    t0 = time.perf_counter()
    trainer.fit(module)
    wall = time.perf_counter() - t0
    log.info("m=%d: %d GD steps in %.2f s (%.2f ms/step); Trainer+eval overhead %.2f s",
             net.width, module.step_count, module.gd_seconds,
             1e3 * module.gd_seconds / max(module.step_count, 1), wall - module.gd_seconds)
    metrics = module.metrics()
    if flow is None:
        return metrics
    t0 = time.process_time()
    rows = module.kernel_flow_records(flow)
    log.info("m=%d: kernel flow at %d times in %.2f CPU-s", net.width, len(rows) // 2,
             time.process_time() - t0)
    return pd.concat([metrics, pd.DataFrame(rows, columns=metrics.columns)], ignore_index=True)
