"""Preemption: a training job killed with SIGKILL and restarted ends exactly like an
uninterrupted run (wideopt.training.operators.resume)."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import torch

from wideopt.training.operators.resume import LAST, fit_resumable, resumable_callbacks

# A tiny deterministic job: MLP regression with *shuffled* mini-batches (so the RNG state
# matters on resume), per-epoch loss history kept on the module, outputs written atomically.
JOB = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import pytorch_lightning as pl
    import torch
    from torch.utils.data import DataLoader, TensorDataset
    from wideopt.io import write_text
    from wideopt.training.operators.resume import (
        fit_resumable,
        remove_checkpoints,
        resumable_callbacks,
    )

    out, epochs, sleep = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    class Reg(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.net = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.Tanh(),
                                           torch.nn.Linear(16, 1))
            self.rows = []

        def training_step(self, batch, _):
            x, y = batch
            return torch.nn.functional.mse_loss(self.net(x), y)

        def on_train_epoch_end(self):
            with torch.no_grad():
                x, y = self.full
                loss = torch.nn.functional.mse_loss(self.net(x), y).item()
            self.rows.append((self.current_epoch, "train_loss", loss))
            time.sleep(sleep)

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.05, momentum=0.9)

    pl.seed_everything(0, workers=True, verbose=False)
    x = torch.randn(64, 3)
    y = torch.sin(x.sum(1, keepdim=True))
    module = Reg()
    module.full = (x, y)
    loader = DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True)
    ckpt = out / "checkpoints"
    trainer = pl.Trainer(max_epochs=epochs, accelerator="auto", devices=1, logger=False,
                         enable_progress_bar=False, enable_model_summary=False,
                         deterministic=True,
                         callbacks=resumable_callbacks(ckpt, every_n_epochs=2,
                                                       state_attrs=["rows"]))
    resumed = fit_resumable(trainer, module, None, ckpt, fingerprint={"epochs": epochs},
                            train_dataloaders=loader)
    weights = torch.cat([p.detach().flatten() for p in module.parameters()])
    write_text(json.dumps({"rows": module.rows, "weights": weights.tolist(),
                           "resumed": str(resumed) if resumed else None}),
               out / "result.json")
    remove_checkpoints(ckpt)
    """
)


def _start(script: Path, out: Path, epochs: int, sleep: float) -> subprocess.Popen:
    env = dict(os.environ, PYTHONHASHSEED="0")
    return subprocess.Popen([sys.executable, str(script), str(out), str(epochs), str(sleep)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish(proc: subprocess.Popen, timeout: float = 300) -> None:
    output, _ = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, output


@pytest.mark.integration
def test_sigkill_then_restart_matches_uninterrupted_run(tmp_path):
    script = tmp_path / "job.py"
    script.write_text(JOB)
    epochs = 12

    ref = tmp_path / "ref"
    _finish(_start(script, ref, epochs, 0.0))
    expected = json.loads((ref / "result.json").read_text())
    assert expected["resumed"] is None and len(expected["rows"]) == epochs
    assert not (ref / "checkpoints").exists()

    run = tmp_path / "run"
    proc = _start(script, run, epochs, 0.4)
    last = run / "checkpoints" / LAST
    deadline = time.monotonic() + 240
    while not last.exists():  # kill only once a checkpoint (epoch >= 2) is on disk
        assert proc.poll() is None, "job ended before it could be killed"
        assert time.monotonic() < deadline, "no checkpoint written"
        time.sleep(0.05)
    saved_epoch = torch.load(last, map_location="cpu", weights_only=False)["epoch"]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not (run / "result.json").exists(), "killed job left a final output"
    assert 1 <= saved_epoch < epochs - 1

    _finish(_start(script, run, epochs, 0.0))
    got = json.loads((run / "result.json").read_text())
    assert got["resumed"] == str(last)
    assert got["rows"] == expected["rows"]  # every epoch's loss, bit for bit
    assert got["weights"] == expected["weights"]
    assert not (run / "checkpoints").exists()


def test_checkpoint_of_other_configuration_is_not_resumed(tmp_path):
    """A last.ckpt saved under another fingerprint is discarded (fresh start)."""
    import pytorch_lightning as pl

    class M(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.lin = torch.nn.Linear(2, 1)

        def training_step(self, batch, _):
            return self.lin(batch[0]).pow(2).mean()

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.1)

    data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.ones(4, 2)))

    def fit(fp, epochs):
        trainer = pl.Trainer(max_epochs=epochs, accelerator="cpu", logger=False,
                             enable_progress_bar=False, enable_model_summary=False,
                             callbacks=resumable_callbacks(tmp_path, every_n_epochs=1))
        return fit_resumable(trainer, M(), None, tmp_path, fingerprint=fp,
                             train_dataloaders=data), trainer

    assert fit({"lr": 0.1}, 2)[0] is None
    assert (tmp_path / LAST).exists() and sorted(p.name for p in tmp_path.iterdir()) == [
        "fingerprint.json", LAST]  # one fixed file, no versions
    resumed, trainer = fit({"lr": 0.1}, 3)
    assert resumed == tmp_path / LAST and trainer.current_epoch == 3
    resumed, trainer = fit({"lr": 0.2}, 2)
    assert resumed is None and trainer.current_epoch == 2


def test_trainer_without_resumable_checkpoint_is_rejected(tmp_path):
    import pytorch_lightning as pl

    trainer = pl.Trainer(max_epochs=1, logger=False, enable_checkpointing=False)
    with pytest.raises(ValueError, match="ResumableCheckpoint"):
        fit_resumable(trainer, None, None, tmp_path)


def test_relative_checkpoint_dir_is_accepted(tmp_path, monkeypatch):
    """Workflow jobs pass repo-relative paths; Lightning stores the resolved one."""
    import pytorch_lightning as pl

    monkeypatch.chdir(tmp_path)
    module = pl.LightningModule()
    trainer = pl.Trainer(max_epochs=1, logger=False, enable_progress_bar=False,
                         callbacks=resumable_callbacks("rel/ckpt", 1))
    with pytest.raises(Exception) as err:  # no training_step: fails after the path check
        fit_resumable(trainer, module, None, "rel/ckpt", fingerprint={"a": 1},
                      train_dataloaders=[])
    assert "no ResumableCheckpoint" not in str(err.value)
