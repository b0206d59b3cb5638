"""Preemptible Lightning training: resume from the last checkpoint, bit for bit.

A training job killed at any moment (SLURM preemption, a time limit, ``kill -9``) and started
again with the same inputs ends with the same weights and metrics as a run that was never
interrupted. The pieces:

* :class:`ResumableCheckpoint`, a ``ModelCheckpoint`` that keeps exactly one file at a fixed
  path, ``<ckpt_dir>/last.ckpt`` (no versions, no top-k), saved every ``every_n_epochs``
  epochs and at the end of training, written atomically (temporary file + rename: a kill
  mid-write leaves the previous checkpoint intact).
* :class:`ResumeState`, a callback that adds to every checkpoint what Lightning does not keep:
  the RNG states (torch, CUDA, NumPy, Python ``random``; shuffling and dropout after a resume
  then draw what the uninterrupted run drew) and the module's in-memory metric history
  (attributes named in ``state_attrs``, e.g. a list of ``(step, metric, value)`` rows).
* :func:`fit_resumable`, which calls ``trainer.fit`` with ``ckpt_path=<ckpt_dir>/last.ckpt``
  when that file exists and belongs to the same configuration (a ``fingerprint`` JSON beside
  it; a checkpoint of other settings is discarded, never resumed).

Typical use in a family's training function::

    ckpt_dir = run_dir / "checkpoints"              # fixed per job, not a declared output
    trainer = L.Trainer(max_epochs=E, accelerator="auto", devices=1, logger=False,
                        callbacks=resumable_callbacks(ckpt_dir, every_n_epochs=10,
                                                      state_attrs=("rows", "diverged")))
    fit_resumable(trainer, module, datamodule, ckpt_dir, fingerprint=params)
    write_csv(metrics, out)                         # atomic final outputs (wideopt.io)
    remove_checkpoints(ckpt_dir)                    # only after the outputs are in place

Exactness needs what an uninterrupted rerun needs anyway: a seeded model and data (build them
from the seed *before* ``fit_resumable``, which then overwrites the weights from the
checkpoint), deterministic algorithms, the same thread count and device.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import random
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import Callback, ModelCheckpoint

from wideopt.io import write_text

log = logging.getLogger(__name__)

LAST = "last.ckpt"
FINGERPRINT = "fingerprint.json"


class ResumableCheckpoint(ModelCheckpoint):
    """``<dirpath>/last.ckpt`` every ``every_n_epochs`` epochs and at the end, atomically.

    Args:
        dirpath: Folder of the single checkpoint file (created on first save).
        every_n_epochs: Save period in epochs (the cost of a kill is at most this many epochs).
    """

    def __init__(self, dirpath: str | os.PathLike, every_n_epochs: int = 1):
        super().__init__(dirpath=str(dirpath), filename="last", monitor=None, save_top_k=0,
                         save_last=True, every_n_epochs=every_n_epochs,
                         save_on_train_epoch_end=True, enable_version_counter=False)

    def _save_checkpoint(self, trainer: pl.Trainer, filepath: str) -> None:
        tmp = f"{filepath}.tmp"
        super()._save_checkpoint(trainer, tmp)
        if trainer.is_global_zero:
            os.replace(tmp, filepath)
        self._last_checkpoint_saved = filepath

    def on_train_epoch_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        """Save ``last.ckpt`` after every ``every_n_epochs``-th epoch. (Lightning 2.6 saves
        "last" only together with a top-k checkpoint, and this callback keeps no top-k.)"""
        if self._should_skip_saving_checkpoint(trainer):
            return
        if (trainer.current_epoch + 1) % self._every_n_epochs == 0:
            self._save_last_checkpoint(trainer, self._monitor_candidates(trainer))

    def on_train_end(self, trainer: pl.Trainer, pl_module: pl.LightningModule) -> None:
        """Also save after the last epoch, so a kill between ``fit`` and the final writes
        costs no training on restart."""
        if not self._should_skip_saving_checkpoint(trainer):
            self._save_last_checkpoint(trainer, self._monitor_candidates(trainer))


def _rng_state() -> dict[str, Any]:
    """All RNG states as tensors/ints only (loadable with ``torch.load(weights_only=True)``)."""
    # The legacy global state is what seed_everything seeds and what user code may draw from.
    name, keys, pos, has_gauss, gauss = np.random.get_state()  # noqa: NPY002
    version, py_state, py_gauss = random.getstate()
    state = {
        "torch": torch.get_rng_state(),
        "numpy": {"name": name, "keys": torch.from_numpy(keys.astype(np.int64)),
                  "pos": int(pos), "has_gauss": int(has_gauss), "gauss": float(gauss)},
        "python": {"version": version, "state": torch.tensor(py_state, dtype=torch.int64),
                   "gauss": py_gauss},
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: Mapping[str, Any]) -> None:
    torch.set_rng_state(state["torch"])
    n = state["numpy"]
    np.random.set_state((n["name"], n["keys"].numpy().astype(np.uint32),  # noqa: NPY002
                         n["pos"], n["has_gauss"], n["gauss"]))
    p = state["python"]
    random.setstate((p["version"], tuple(int(v) for v in p["state"].tolist()), p["gauss"]))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


class ResumeState(Callback):
    """Store RNG states and the module's history attributes in every checkpoint.

    Args:
        state_attrs: Names of ``pl_module`` attributes (picklable: lists, dicts, numbers)
            saved with the checkpoint and restored on resume, e.g. the per-epoch metric rows
            the module appends to. Missing attributes are skipped.
    """

    KEY = "wideopt_resume"

    def __init__(self, state_attrs: Iterable[str] = ()):
        self.state_attrs = tuple(state_attrs)

    def on_save_checkpoint(self, trainer, pl_module, checkpoint: dict) -> None:
        attrs = {a: copy.deepcopy(getattr(pl_module, a)) for a in self.state_attrs
                 if hasattr(pl_module, a)}
        checkpoint[self.KEY] = {"rng": _rng_state(), "attrs": attrs}

    def on_load_checkpoint(self, trainer, pl_module, checkpoint: dict) -> None:
        saved = checkpoint.get(self.KEY)
        if saved is None:
            return
        for name, value in saved["attrs"].items():
            setattr(pl_module, name, value)
        _set_rng_state(saved["rng"])


def resumable_callbacks(ckpt_dir: str | os.PathLike, every_n_epochs: int = 1,
                        state_attrs: Iterable[str] = ()) -> list[Callback]:
    """The two callbacks a resumable ``Trainer`` needs (pass as ``callbacks=``)."""
    return [ResumableCheckpoint(ckpt_dir, every_n_epochs), ResumeState(state_attrs)]


def _canonical(fingerprint: Any) -> str:
    return json.dumps(fingerprint, sort_keys=True, default=str)


def fit_resumable(trainer: pl.Trainer, module: pl.LightningModule,
                  datamodule: pl.LightningDataModule | None, ckpt_dir: str | os.PathLike,
                  fingerprint: Any = None, **fit_kwargs: Any) -> Path | None:
    """``trainer.fit``, resumed from ``<ckpt_dir>/last.ckpt`` when a matching one exists.

    Args:
        trainer: Built with :func:`resumable_callbacks` for the same ``ckpt_dir``.
        module: The freshly seeded module (its weights are replaced by the checkpoint's).
        datamodule: Passed to ``fit`` (``None`` to use ``fit_kwargs`` dataloaders).
        ckpt_dir: The job's fixed checkpoint folder.
        fingerprint: JSON-serializable description of everything that determines the run
            (e.g. the rule's params and wildcards). A checkpoint saved under another
            fingerprint is deleted, and training starts from the beginning.
        **fit_kwargs: Further arguments of ``trainer.fit``.

    Returns:
        The checkpoint resumed from, or ``None`` for a fresh start.
    """
    ckpt_dir = Path(ckpt_dir)
    # ModelCheckpoint stores its dirpath resolved (absolute): compare resolved paths.
    if not any(isinstance(c, ResumableCheckpoint)
               and Path(c.dirpath).resolve() == ckpt_dir.resolve()
               for c in trainer.callbacks):
        raise ValueError(f"trainer has no ResumableCheckpoint for {ckpt_dir}: build it with "
                         "callbacks=resumable_callbacks(ckpt_dir, ...)")
    last, fp_file = ckpt_dir / LAST, ckpt_dir / FINGERPRINT
    want = _canonical(fingerprint)
    if last.exists() and (not fp_file.exists() or fp_file.read_text() != want):
        log.warning("discarding %s: saved for another configuration", last)
        remove_checkpoints(ckpt_dir)
    resume = last if last.exists() else None
    ckpt_dir.mkdir(parents=True, exist_ok=True)
    write_text(want, fp_file)
    if resume is not None:
        log.info("resuming from %s", resume)
    trainer.fit(module, datamodule=datamodule, ckpt_path=str(resume) if resume else None,
                **fit_kwargs)
    return resume


def remove_checkpoints(ckpt_dir: str | os.PathLike) -> None:
    """Delete the job's checkpoint folder (call after its final outputs are written)."""
    shutil.rmtree(ckpt_dir, ignore_errors=True)
