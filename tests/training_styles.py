"""One tiny job of each training style on a chosen Lightning accelerator, for the device tests.

Styles: operator regression (DeepONet, FNO; float32, Adam), PINN (SGD, Adam, L-BFGS, NGD;
float64, full batch), gradient flow (the sphere model; float64) and the kernel regime
(plain torch, float64). :func:`run_style` returns the job's final metrics, so that the same job
on the CPU and on a GPU can be compared (tests/test_gpu.py), and records, through a callback
added to every Trainer the package builds, the device of every parameter, buffer and optimizer
state tensor seen during training (:class:`DeviceProbe`). The accelerator is chosen the way a
user chooses it, with ``$WIDEOPT_ACCELERATOR`` (wideopt.training.progress.accelerator).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytorch_lightning as pl
import torch

import wideopt.training.operators.regression as opreg
import wideopt.training.progress as progress
from wideopt.data import antiderivative
from wideopt.data.pinn_problems import make_collocation
from wideopt.data.sobolev import make_problem
from wideopt.data.sphere import sample_sphere, sign_labels
from wideopt.io import write_npz
from wideopt.models import deeponet, fno
from wideopt.models.frozen_mlp import FrozenEndsMLP
from wideopt.models.two_layer import TwoLayerNet
from wideopt.pde import get_problem
from wideopt.training.flows.gradient_flow import train_gradient_flow
from wideopt.training.flows.kernel_regime import train_gd
from wideopt.training.pinn.module import RunConfig, train_run

STYLES = ("operators_deeponet", "operators_fno", "pinn_SGD", "pinn_Adam", "pinn_LBFGS",
          "pinn_NGD", "gradient_flow", "kernel_regime")
# Relative tolerance of a GPU run's final metrics against the CPU's (tests/test_gpu.py):
# float32 Adam over 40 steps on reordered reductions; float64 full-batch runs to ~1e-8, NGD's
# damped Gram (condition <= 1e8) allows 1e-6.
RTOL = {"operators_deeponet": 1e-3, "operators_fno": 1e-3, "pinn_SGD": 1e-8, "pinn_Adam": 1e-8,
        "pinn_LBFGS": 1e-7, "pinn_NGD": 1e-6, "gradient_flow": 1e-8, "kernel_regime": 1e-8}


def tensors_in(obj) -> list[torch.Tensor]:
    """Every tensor inside nested lists, tuples and dicts."""
    if isinstance(obj, torch.Tensor):
        return [obj]
    if isinstance(obj, dict):
        return [t for v in obj.values() for t in tensors_in(v)]
    if isinstance(obj, list | tuple):
        return [t for v in obj for t in tensors_in(v)]
    return []


class DeviceProbe(pl.Callback):
    """Device types of the module's parameters and buffers and of the optimizers' state,
    after every training batch."""

    def __init__(self):
        self.devices: set[str] = set()

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        found = [*pl_module.parameters(), *pl_module.buffers()]
        for opt in trainer.optimizers:
            found += tensors_in(dict(opt.state))
        self.devices |= {t.device.type for t in found}


def _with_probe(monkeypatch, probe: DeviceProbe) -> None:
    """Append ``probe`` to the callbacks of every Trainer built by the package."""
    original = progress.progress_callbacks

    def callbacks(*args, **kwargs):
        return [*original(*args, **kwargs), probe]

    monkeypatch.setattr(progress, "progress_callbacks", callbacks)
    monkeypatch.setattr(opreg, "progress_callbacks", callbacks)


def _operators(arch: str, tmp_path: Path) -> dict[str, float]:
    data = tmp_path / "antiderivative.npz"
    if not data.exists():
        arrays, meta = antiderivative.generate(40, 10, n_points=32, seed=0)
        write_npz(data, meta, **arrays)
    factory = {"deeponet": lambda n, m: deeponet.build(n, m),
               "fno": lambda n, m: fno.build(n, m, modes=4, n_layers=2, proj_width=8)}[arch]
    settings = opreg.TrainSettings(epochs=3, batch_size=10, eval_every=3, hessian_batch=10,
                                   hessian_tol=1e-2)
    _, summary = opreg.train_operator(factory, str(data), "antiderivative", 8, 0, settings)
    return {k: float(summary[k]) for k in ("final_train_loss", "final_test_rel_l2",
                                           "rel_param_distance", "hessian_norm")}


def _pinn(optimizer: str) -> dict[str, float]:
    colloc = make_collocation(get_problem("poisson1d"), 16, 2, 100, seed=0)
    lr = {"SGD": 1e-3, "Adam": 1e-3, "LBFGS": 1.0, "NGD": 0.2}[optimizer]
    steps = 10 if optimizer == "NGD" else 40
    df = train_run(RunConfig("poisson1d", optimizer, lr, 32, steps, seed=0, log_every=5,
                             inner_steps=10), colloc)
    last = df.groupby("metric")["value"].last()
    return {k: float(last[k]) for k in ("final_loss", "final_rel_l2")}


def _gradient_flow() -> dict[str, float]:
    data = make_problem(3, 1.0, 60, 200, seed=0, ell_max=20)
    net = FrozenEndsMLP(3, 16, "elu", seed=0)
    df = train_gradient_flow(net, data, lr=0.5, steps=30, n_evals=4)
    last = df.groupby("metric")["value"].last()
    return {k: float(last[k]) for k in ("test_l2", "train_rmse", "weight_rel",
                                        "weight_rel_spec")}


def _kernel_regime(accelerator: str) -> dict[str, float]:
    device = "cuda" if accelerator == "gpu" else "cpu"
    rng = np.random.default_rng(0)
    x = torch.from_numpy(sample_sphere(10, 6, rng)).to(device)
    y = torch.from_numpy(sign_labels(10, rng)).to(device)
    net = TwoLayerNet.init(64, 6, [0, 1], "relu", device=device)
    df = train_gd(net, x, y, 0.2, 40, 10, [0, 1])
    last = df[df.step == df.step.max()].groupby(["metric", "seed"])["value"].last()
    return {f"{m}_seed{s}": float(v) for (m, s), v in last.items()}


def run_style(style: str, accelerator: str, tmp_path: Path, monkeypatch
              ) -> tuple[dict[str, float], set[str]]:
    """Run ``style`` on ``accelerator`` (``cpu`` | ``gpu``); return (final metrics, device
    types seen by the probe; empty for the kernel regime, which builds no Trainer)."""
    monkeypatch.setenv(progress.ACCELERATOR_ENV, accelerator)
    probe = DeviceProbe()
    _with_probe(monkeypatch, probe)
    family, _, variant = style.partition("_")
    if family == "operators":
        metrics = _operators(variant, tmp_path)
    elif family == "pinn":
        metrics = _pinn(variant)
    elif style == "gradient_flow":
        metrics = _gradient_flow()
    else:
        metrics = _kernel_regime(accelerator)
    return metrics, probe.devices
