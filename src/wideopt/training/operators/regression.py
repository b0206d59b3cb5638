"""Operator regression with Lightning: MSE training, test relative L2, laziness diagnostics.

Training (catalogue section A, seed 000): Adam (lr 1e-3) on the mean-squared error

    L(theta) = (1 / (N n_x)) sum_i sum_j (G_theta(u_i)(x_j) - s_i(x_j))^2

over mini-batches of input functions; per epoch we record the mean mini-batch training loss,
and every ``eval_every`` epochs the test relative L2 error, mean_i ||G(u_i) - s_i|| / ||s_i||
over the held-out functions. Around training we record, at initialization on a fixed batch,
the spectral norms of the network Hessian nabla^2_theta <v, G_theta(u)> (claim A4) and of the
loss Hessian nabla^2_theta L (:func:`init_hessians`, Lanczos on Hessian-vector products), and
the parameter distance ||theta_T - theta_0|| (absolute and relative to ||theta_0||).

The network is passed in (``net_factory``) so that this module imports no architecture: a
DeepONet job's code inputs never include ``models/fno.py`` and vice versa.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytorch_lightning as L
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from wideopt.io import read_npz
from wideopt.training.operators.hessian import (
    functional_mse,
    hessian_spectral_norm,
    network_hessian_norm,
)
from wideopt.training.operators.resume import fit_resumable, resumable_callbacks
from wideopt.training.progress import accelerator, progress_callbacks

log = logging.getLogger(__name__)

# Input/target keys of each problem's data file (catalogue "Data").
PROBLEM_KEYS = {
    "antiderivative": ("u", "s"),
    "diffusion_reaction": ("u", "s"),
    "burgers": ("u0", "u"),
}


class OperatorDataModule(L.LightningDataModule):
    """Train/test split of one ``results/data/PROBLEM.npz`` file, as float32 tensors.

    The first ``meta["n_train"]`` rows are the training functions, the rest the test set.
    ``subsample`` keeps every k-th grid point (sensors and queries alike).
    Shapes: ``u, s (n_functions, n_x)``; ``grid (n_x,)``.
    """

    def __init__(self, path: str, problem: str, batch_size: int, subsample: int = 1,
                 n_train: int | None = None, seed: int = 0):
        super().__init__()
        if problem not in PROBLEM_KEYS:
            raise ValueError(f"unknown problem {problem!r}; choose from {sorted(PROBLEM_KEYS)}")
        arrays, meta = read_npz(path)
        in_key, out_key = PROBLEM_KEYS[problem]
        k = int(subsample)
        u = torch.as_tensor(arrays[in_key][:, ::k], dtype=torch.float32)
        s = torch.as_tensor(arrays[out_key][:, ::k], dtype=torch.float32)
        n_tr = int(meta["n_train"])
        n_use = n_tr if n_train is None else min(int(n_train), n_tr)
        self.grid = torch.as_tensor(arrays["x"][::k], dtype=torch.float32)
        self.u_train, self.s_train = u[:n_use], s[:n_use]
        self.u_test, self.s_test = u[n_tr:], s[n_tr:]
        self.batch_size = int(batch_size)
        self.seed = int(seed)
        # One shuffling generator for the whole run; its state goes into checkpoints
        # (state_dict), so a resumed run draws the same batch orders as an uninterrupted one.
        self.shuffle_generator = torch.Generator().manual_seed(self.seed)

    def train_dataloader(self) -> DataLoader:
        return DataLoader(TensorDataset(self.u_train, self.s_train), batch_size=self.batch_size,
                          shuffle=True, generator=self.shuffle_generator)

    def state_dict(self) -> dict:
        return {"shuffle_generator": self.shuffle_generator.get_state()}

    def load_state_dict(self, state_dict: dict) -> None:
        self.shuffle_generator.set_state(state_dict["shuffle_generator"])

    def val_dataloader(self) -> DataLoader:
        return DataLoader(TensorDataset(self.u_test, self.s_test), batch_size=len(self.u_test))


class OperatorRegression(L.LightningModule):
    """MSE regression of ``net(u, grid)`` on ``s``; metrics kept as tidy rows."""

    def __init__(self, net: nn.Module, grid: torch.Tensor, lr: float = 1e-3):
        super().__init__()
        self.save_hyperparameters(ignore=["net", "grid"])
        self.net = net
        self.register_buffer("grid", grid)
        self.rows: list[dict] = []
        self._epoch_losses: list[torch.Tensor] = []
        self.diverged = False

    def forward(self, u: torch.Tensor) -> torch.Tensor:
        return self.net(u, self.grid)

    def _step(self, batch, stage: str):
        u, s = batch
        pred = self(u)
        if stage == "train":
            loss = ((pred - s) ** 2).mean()
            self.log("train/loss", loss, on_step=False, on_epoch=True)
            return loss
        rel = (torch.linalg.vector_norm(pred - s, dim=-1)
               / torch.linalg.vector_norm(s, dim=-1)).mean()
        self.log("test/rel_l2", rel)
        return rel

    def training_step(self, batch, batch_idx):
        loss = self._step(batch, "train")
        self._epoch_losses.append(loss.detach())
        return loss

    def validation_step(self, batch, batch_idx):
        rel = self._step(batch, "test")
        self.rows.append(dict(step=self.current_epoch + 1, metric="test_rel_l2",
                              value=float(rel)))

    def on_train_epoch_end(self):
        loss = float(torch.stack(self._epoch_losses).mean())
        self._epoch_losses.clear()
        self.rows.append(dict(step=self.current_epoch + 1, metric="train_loss", value=loss))
        if not math.isfinite(loss):  # a diverged run is a result: record it and stop
            self.diverged = True
            self.trainer.should_stop = True

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr, fused=True)


@dataclass(frozen=True)
class TrainSettings:
    """One architecture's training settings (``config["operators"]["train"][arch]``)."""

    epochs: int
    batch_size: int
    lr: float = 1e-3
    eval_every: int = 10
    subsample: int = 1
    hessian_batch: int = 100
    hessian_tol: float = 1e-3  # Lanczos stops at ||H x - lambda x|| <= tol |lambda|
    hessian_ncv: int = 10  # Lanczos basis size (HVPs per restart cycle)
    hessian_restarts: int = 10  # cap on Lanczos restart cycles (ARPACK maxiter)
    n_train: int | None = None
    checkpoint_every: int = 1  # epochs between resumable checkpoints (when a ckpt_dir is given)

    @classmethod
    def from_config(cls, cfg: dict) -> TrainSettings:
        return cls(**{k: cfg[k] for k in cls.__dataclass_fields__ if k in cfg})


HESSIAN_FIELDS = ("norm", "eigenvalue", "residual", "matvecs", "converged")


def init_hessians(net: nn.Module, dm: OperatorDataModule, settings: TrainSettings,
                  seed: int) -> dict:
    """Both Hessian spectral norms at initialization on the fixed batch of the first
    ``hessian_batch`` training functions u_1..u_b (:mod:`wideopt.training.operators.hessian`):

    - ``hessian_*``: loss Hessian nabla^2_theta mean((G_theta(u) - s)^2) (a contrast: its
      Gauss-Newton part (2/N) J^T J stays O(1) in the width);
    - ``net_hessian_*``: network Hessian nabla^2_theta <v, G_theta(u)>, v a seeded unit
      direction in R^{b x n_x} (claim A4: O(1/sqrt(m)) under NTK scaling).

    Each as ``<prefix>_norm`` (||H||_2), ``_eigenvalue`` (signed lambda with |lambda| = norm),
    ``_residual`` (measured ||H x - lambda x|| / |lambda|), ``_matvecs`` (Hessian-vector
    products), ``_converged`` (1/0) and ``_seconds`` (wall).
    """
    hb = min(settings.hessian_batch, len(dm.u_train))
    batch = (dm.u_train[:hb], dm.grid)
    lanczos = dict(tol=settings.hessian_tol, ncv=settings.hessian_ncv,
                   maxiter=settings.hessian_restarts, seed=seed)
    out = {}
    for prefix, compute in (
        ("hessian", lambda: hessian_spectral_norm(
            net, functional_mse(batch, dm.s_train[:hb]), **lanczos)),
        ("net_hessian", lambda: network_hessian_norm(net, batch, **lanczos)),
    ):
        t0 = time.perf_counter()
        res = compute()
        out.update({f"{prefix}_{k}": res[k] for k in HESSIAN_FIELDS})
        out[f"{prefix}_seconds"] = time.perf_counter() - t0
        log.info("%s spectral norm at init: %.4g (%d HVPs, residual %.2g, %.1f s)", prefix,
                 res["norm"], res["matvecs"], res["residual"], out[f"{prefix}_seconds"])
    return out


def flat_params(module: nn.Module) -> torch.Tensor:
    return torch.cat([p.detach().reshape(-1).double() for p in module.parameters()])


def train_operator(
    net_factory: Callable[[int, int], nn.Module],
    data_path: str,
    problem: str,
    width: int,
    seed: int,
    settings: TrainSettings,
    ckpt_dir: str | Path | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Train one (architecture, problem, width, seed) and return ``(metrics, summary)``.

    Args:
        net_factory: ``net_factory(n_sensors, width) -> nn.Module`` with
            ``forward(u (b, n_x), grid (n_x,)) -> (b, n_x)``.
        ckpt_dir: If given, a fixed folder for ``last.ckpt`` (every
            ``settings.checkpoint_every`` epochs): a killed job restarted with the same
            arguments resumes there and ends with the same metrics
            (:mod:`wideopt.training.operators.resume`). The caller removes it after writing outputs.

    Returns:
        ``metrics``: tidy frame ``step, metric, value`` (step = epoch; metrics
        ``train_loss`` every epoch, ``test_rel_l2`` every ``eval_every`` epochs);
        ``summary``: final training loss and test error, the loss and network Hessian
        norms at initialization (:func:`init_hessians`: ``hessian_*``, ``net_hessian_*``),
        ||theta_T - theta_0|| and its ratio to ||theta_0||, timings.
    """
    L.seed_everything(seed, workers=True, verbose=False)
    dm = OperatorDataModule(data_path, problem, settings.batch_size, settings.subsample,
                            settings.n_train, seed)
    net = net_factory(dm.u_train.shape[1], width)
    model = OperatorRegression(net, dm.grid, lr=settings.lr)
    n_params = sum(p.numel() for p in net.parameters())

    hessians = init_hessians(net, dm, settings, seed)

    theta0 = flat_params(net)
    callbacks = progress_callbacks(label=f"m={width} seed={seed}", bar_refresh=10)
    if ckpt_dir is not None:
        callbacks += resumable_callbacks(ckpt_dir, settings.checkpoint_every,
                                         state_attrs=("rows", "diverged"))
    trainer = L.Trainer(
        max_epochs=settings.epochs, accelerator=accelerator(), devices=1, logger=False,
        enable_checkpointing=ckpt_dir is not None, callbacks=callbacks,
        enable_model_summary=False,
        deterministic=True, num_sanity_val_steps=0,
        check_val_every_n_epoch=settings.eval_every,
    )
    t0 = time.perf_counter()
    if ckpt_dir is None:
        trainer.fit(model, datamodule=dm)
    else:
        fingerprint = dict(problem=problem, width=width, seed=seed, data=str(data_path),
                           settings=settings.__dict__)
        fit_resumable(trainer, model, dm, ckpt_dir, fingerprint=fingerprint)
    t_train = time.perf_counter() - t0
    model.cpu()  # distances and the final test error on the CPU, wherever training ran
    delta = float(torch.linalg.vector_norm(flat_params(net) - theta0))
    norm0 = float(torch.linalg.vector_norm(theta0))

    with torch.no_grad():
        pred = model(dm.u_test)
        test_rel = float((torch.linalg.vector_norm(pred - dm.s_test, dim=-1)
                          / torch.linalg.vector_norm(dm.s_test, dim=-1)).mean())
    metrics = pd.DataFrame(model.rows, columns=["step", "metric", "value"])
    if not (metrics["metric"] == "test_rel_l2").any() or (
        metrics.loc[metrics.metric == "test_rel_l2", "step"].max() < trainer.current_epoch
    ):
        metrics.loc[len(metrics)] = dict(step=trainer.current_epoch, metric="test_rel_l2",
                                         value=test_rel)
    losses = metrics.loc[metrics.metric == "train_loss", "value"].to_numpy()
    epochs_run = len(losses)
    summary = dict(
        problem=problem, width=width, seed=seed, n_params=n_params,
        epochs=settings.epochs, epochs_run=epochs_run,
        final_train_loss=float(losses[-1]) if epochs_run else float("nan"),
        final_test_rel_l2=test_rel,
        target_mean_square=float((dm.s_train.double() ** 2).mean()),
        **hessians,
        param_distance=delta, param_norm0=norm0, rel_param_distance=delta / norm0,
        diverged=bool(model.diverged or not np.all(np.isfinite(losses))),
        train_seconds=t_train, seconds_per_epoch=t_train / max(epochs_run, 1),
    )
    log.info("done: %s", summary)
    return metrics, summary


def train_seeds(
    net_factory: Callable[[int, int], nn.Module],
    arch: str,
    data_path: str,
    problem: str,
    width: int,
    seeds: list[int],
    settings: TrainSettings,
    ckpt_root: str | Path,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`train_operator` for each seed, resumable: checkpoints under
    ``ckpt_root/seed<s>`` (a restarted job skips finished seeds at their final checkpoint).

    Returns the tidy metrics (with a ``seed`` column) and one summary row per seed. The
    caller writes them, then calls :func:`wideopt.training.operators.resume.remove_checkpoints`.
    """
    metrics, summaries = [], []
    for seed in seeds:
        m, summary = train_operator(net_factory, data_path, problem, width, seed, settings,
                                    ckpt_dir=Path(ckpt_root) / f"seed{seed}")
        metrics.append(m.assign(seed=seed))
        summaries.append(dict(arch=arch, **summary))
    return pd.concat(metrics, ignore_index=True), pd.DataFrame(summaries)
