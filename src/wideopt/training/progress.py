"""What a running training job shows in its log: start-up time, a progress bar, and a
one-line summary every ``every_s`` seconds (epoch, step, loss, rate).

``process_age()`` is the wall time since this process was exec'ed (Linux ``/proc``; elsewhere
the time since this module was imported), so the start-up line counts interpreter start,
imports and data loading -- everything a job pays before its first training step -- in wall
time and in the process's CPU time (which a loaded machine inflates far less).
Watch a running pipeline with ``tail -f results/logs/<family>/<job>.log``.
"""

from __future__ import annotations

import logging
import math
import os
import time

import pytorch_lightning as pl
from pytorch_lightning.callbacks import Callback, TQDMProgressBar

log = logging.getLogger(__name__)
_IMPORTED = time.time()

ACCELERATOR_ENV = "WIDEOPT_ACCELERATOR"  # auto (default) | cpu | gpu


def accelerator() -> str:
    """The Lightning accelerator of every Trainer the package builds: ``auto`` (a visible
    CUDA device if there is one, else the CPU) unless ``$WIDEOPT_ACCELERATOR`` says ``cpu``
    or ``gpu`` -- how a CPU reference run is made on a GPU machine (tests/test_gpu.py) and
    how a user pins a whole run to the CPU."""
    value = os.environ.get(ACCELERATOR_ENV, "auto")
    if value not in ("auto", "cpu", "gpu"):
        raise ValueError(f"${ACCELERATOR_ENV}={value!r}: choose auto, cpu or gpu")
    return value


def process_age() -> float:
    """Seconds since this process started (``/proc/self/stat`` field 22), wall clock."""
    try:
        with open("/proc/self/stat") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as f:
            uptime = float(f.read().split()[0])
        return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.time() - _IMPORTED


class ProgressSummary(Callback):
    """Logs ``startup: X s`` at the first training step of the process, then every
    ``every_s`` seconds ``epoch e/E step s loss L (r steps/s)``; the loss is the step's
    output (a tensor or ``{"loss": ...}``) or the logged ``train/loss``."""

    _startup_logged = False  # once per process: later fits in the same job reuse the imports

    def __init__(self, every_s: float = 30.0, label: str = ""):
        self.every_s = every_s
        self.label = f"{label}: " if label else ""
        self._last = self._t0 = 0.0
        self._step0 = 0
        self._outputs = None

    @staticmethod
    def _steps(trainer: pl.Trainer, pl_module: pl.LightningModule) -> int:
        """Optimizer steps so far: the module's own ``step_count`` where it keeps one (manual
        optimization with several steps per batch), else Lightning's ``global_step``."""
        return int(getattr(pl_module, "step_count", trainer.global_step))

    def on_train_start(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self._last = self._t0 = time.perf_counter()
        self._step0 = self._steps(trainer, pl_module)

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx) -> None:
        if not ProgressSummary._startup_logged:
            ProgressSummary._startup_logged = True
            log.info("startup: %.2f s from process start to the first training step "
                     "(%.2f CPU-s)", process_age(), time.process_time())

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        self._outputs = outputs
        now = time.perf_counter()
        if now - self._last >= self.every_s:
            self._last = now
            self._report(trainer, pl_module, outputs, now)

    def on_train_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        self._report(trainer, pl_module, self._outputs, time.perf_counter(), final=True)

    def _report(self, trainer: pl.Trainer, pl_module: pl.LightningModule, outputs,
                now: float, final: bool = False) -> None:
        loss = outputs.get("loss") if isinstance(outputs, dict) else outputs
        if loss is None:
            loss = trainer.callback_metrics.get("train/loss")
        loss = float(loss) if loss is not None else math.nan
        steps = self._steps(trainer, pl_module)
        rate = (steps - self._step0) / max(now - self._t0, 1e-9)
        log.info("%s%sepoch %d/%d step %d loss %.4g (%.1f steps/s, %.0f s)", self.label,
                 "done: " if final else "", trainer.current_epoch + (0 if final else 1),
                 trainer.max_epochs, steps, loss, rate, now - self._t0)


def progress_callbacks(every_s: float = 30.0, label: str = "",
                       bar_refresh: int | None = None) -> list[Callback]:
    """The periodic summary, plus Lightning's bar refreshed every ``bar_refresh`` batches
    where given (long epochs of many batches; full-batch runs of hundreds of one-batch
    epochs would write a bar per epoch, so they keep the summary line only). The returned
    list is for ``Trainer(callbacks=..., enable_progress_bar=bar_refresh is not None)``."""
    cbs: list[Callback] = [ProgressSummary(every_s, label)]
    if bar_refresh is not None:
        cbs.append(TQDMProgressBar(refresh_rate=bar_refresh))
    return cbs


def full_batch_trainer(max_epochs: int, label: str) -> pl.Trainer:
    """The Trainer of full-batch runs (PINN, gradient flow): one dummy batch per epoch, many
    optimizer steps inside it, no logger/checkpoints/bar, deterministic, progress summary."""
    return pl.Trainer(max_epochs=max_epochs, accelerator=accelerator(), devices=1, logger=False,
                      enable_checkpointing=False, callbacks=progress_callbacks(label=label),
                      enable_progress_bar=False, enable_model_summary=False,
                      num_sanity_val_steps=0, deterministic=True)


__all__ = ["ProgressSummary", "accelerator", "full_batch_trainer", "progress_callbacks",
           "process_age"]
