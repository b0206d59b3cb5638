"""The benchmark harness isolates its parts: a part that changes torch's global defaults (as
DeepXDE's float64 setting does) does not leak them into the next part."""

import importlib.util

import torch
from conftest import ROOT


def _peers():
    spec = importlib.util.spec_from_file_location("peers", ROOT / "benchmarks/peers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_part_that_sets_float64_leaves_float32_to_the_next():
    peers = _peers()
    before = torch.get_default_dtype(), torch.get_num_threads()
    with peers.torch_defaults_restored():
        torch.set_default_dtype(torch.float64)
        torch.set_num_threads(1)
        assert torch.zeros(1).dtype == torch.float64
    assert (torch.get_default_dtype(), torch.get_num_threads()) == before
    # what the FNO part then builds: complex64 spectral weights against float32 inputs
    x = torch.fft.rfft(torch.randn(2, 8))
    assert x.dtype == torch.complex64
