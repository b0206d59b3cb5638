"""On a CUDA device: one tiny job of each training style on the GPU, every parameter, buffer
and optimizer state tensor on the GPU during training, and the metrics equal to a CPU run of
the same code on the same machine (tolerances in training_styles.RTOL: float64 full-batch
runs ~1e-8 relative, NGD 1e-6, float32 operator training 1e-3).

Skipped where ``torch.cuda.is_available()`` is false (CI, the 2-core development machine);
the CPU-side guarantees are in tests/test_device.py. Run it on a GPU node with
``pytest -q tests/test_gpu.py``.
"""

import pytest
import torch
from training_styles import RTOL, STYLES, run_style

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(),
                                reason="no CUDA device: torch.cuda.is_available() is false")


@pytest.fixture(autouse=True)
def exact_float32():
    """No TF32 in float32 matmuls: the CPU comparison would measure TF32, not our code."""
    before = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    yield
    torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = before


@pytest.mark.parametrize("style", STYLES)
def test_style_runs_on_the_gpu_and_matches_the_cpu(style, tmp_path, monkeypatch):
    gpu, devices = run_style(style, "gpu", tmp_path, monkeypatch)
    if style != "kernel_regime":  # the kernel regime builds no Trainer: its tensors are given
        assert devices == {"cuda"}, f"{style}: tensors on {devices} during GPU training"
    cpu, _ = run_style(style, "cpu", tmp_path, monkeypatch)
    assert gpu.keys() == cpu.keys()
    for key, ref in cpu.items():
        assert gpu[key] == pytest.approx(ref, rel=RTOL[style], abs=1e-12), (style, key)
