"""Preemption of a real section-A training job: an FNO run killed with SIGKILL after a
checkpoint and restarted ends with exactly the metrics of an uninterrupted run."""

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
import torch

from wideopt.data import antiderivative
from wideopt.io import write_npz

pytestmark = pytest.mark.integration

EPOCHS = 40
JOB = textwrap.dedent(
    f"""
    import sys
    import torch
    from wideopt.io import write_csv
    from wideopt.models.fno import FNO1d
    from wideopt.training.operators.regression import TrainSettings, train_seeds
    from wideopt.training.operators.resume import remove_checkpoints

    data, out, ckpt = sys.argv[1:4]
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    settings = TrainSettings(epochs={EPOCHS}, batch_size=8, eval_every=10, subsample=2,
                             hessian_batch=8, checkpoint_every=1)
    metrics, _ = train_seeds(lambda n, m: FNO1d(m, modes=8, proj_width=16), "fno", data,
                             "antiderivative", 12, [0], settings, ckpt)
    write_csv(metrics, out)
    remove_checkpoints(ckpt)
    """
)


def _run(script: Path, data: Path, out: Path, ckpt: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(script), str(data), str(out), str(ckpt)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_killed_operator_training_resumes_to_identical_metrics(tmp_path: Path):
    arrays, meta = antiderivative.generate(48, 8, n_points=32, seed=0)
    data = tmp_path / "antiderivative.npz"
    write_npz(data, meta, **arrays)
    script = tmp_path / "job.py"
    script.write_text(JOB)

    ref = tmp_path / "ref.csv"
    proc = _run(script, data, ref, tmp_path / "ckpt_ref")
    assert proc.wait(timeout=600) == 0, proc.stderr.read()

    out, ckpt = tmp_path / "out.csv", tmp_path / "ckpt"
    proc = _run(script, data, out, ckpt)
    last = ckpt / "seed0" / "last.ckpt"
    deadline = time.time() + 600
    while time.time() < deadline and proc.poll() is None:
        if last.exists() and torch.load(last, weights_only=False)["epoch"] >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = torch.load(last, weights_only=False)["epoch"]
    assert killed_at < EPOCHS - 1 and not out.exists()

    proc = _run(script, data, out, ckpt)
    assert proc.wait(timeout=600) == 0, proc.stderr.read()
    resumed, reference = pd.read_csv(out), pd.read_csv(ref)
    assert len(reference[reference.metric == "train_loss"]) == EPOCHS
    pd.testing.assert_frame_equal(resumed, reference, check_exact=True)
    assert not ckpt.exists()
