"""Device-correct by construction (CPU-side, runs in CI): every tensor a training module or
an optimizer keeps is a parameter, a buffer or optimizer state, so that Lightning's move of
the module (and torch's of the state) takes all of it to the GPU. tests/test_gpu.py runs the
same training styles on CUDA where it exists."""

import pytest
import torch
from torch import nn
from training_styles import STYLES, run_style, tensors_in

from wideopt.data.pinn_problems import make_collocation
from wideopt.data.sobolev import make_problem
from wideopt.models import deeponet, fno
from wideopt.models.frozen_mlp import FrozenEndsMLP
from wideopt.models.pinn_two_layer import TwoLayerPINN
from wideopt.pde import get_problem
from wideopt.training.flows.gradient_flow import GradientFlow
from wideopt.training.operators.regression import OperatorRegression
from wideopt.training.pinn.module import PINNModule, RunConfig
from wideopt.training.pinn.ngd import NGD

# Deliberate tensor attributes that are neither parameters nor buffers, with the reason.
ALLOWED = {
    ("OperatorRegression", "_epoch_losses"): "per-epoch scratch of step losses, made on the "
                                             "device of each step and cleared every epoch",
}
REGISTERED = {"_parameters", "_buffers", "_modules"}


def stray_tensors(root: nn.Module) -> list[str]:
    """``Class.attribute`` of every tensor held by a submodule outside its registered
    parameters and buffers (also inside lists, tuples and dicts)."""
    stray = []
    for module in root.modules():
        cls = type(module).__name__
        for name, value in vars(module).items():
            if name in REGISTERED or (cls, name) in ALLOWED:
                continue
            if tensors_in(value):
                stray.append(f"{cls}.{name}")
    return stray


def training_modules() -> dict[str, nn.Module]:
    """The LightningModules the training styles build (the kernel regime builds none: plain
    torch on tensors it is given, tested on CUDA in tests/test_gpu.py)."""
    grid = torch.linspace(0, 1, 16)
    problem = get_problem("poisson2d")
    colloc = make_collocation(problem, 4, 5, 20, seed=0)
    cfg = RunConfig("poisson2d", "NGD", 0.1, 8, 2, seed=0)
    data = make_problem(3, 1.0, 20, 20, seed=0, ell_max=8)
    return {
        "deeponet": OperatorRegression(deeponet.build(16, 8), grid),
        "fno": OperatorRegression(fno.build(16, 8, modes=4, n_layers=2, proj_width=8), grid),
        "pinn": PINNModule(TwoLayerPINN(8, 2, 0), problem.operator, colloc, cfg),
        "gradient_flow": GradientFlow(FrozenEndsMLP(3, 8, "elu"), data["x"], data["y"],
                                      data["x_test"], data["y_test"], 0.1, [0, 1]),
    }


@pytest.mark.parametrize("name", ["deeponet", "fno", "pinn", "gradient_flow"])
def test_no_tensor_outside_parameters_and_buffers(name):
    assert stray_tensors(training_modules()[name]) == []


def test_the_walker_finds_a_plain_tensor_list():
    """The check can fail: a module keeping W(0) in a plain list (as GradientFlow once did)."""
    module = training_modules()["gradient_flow"]
    module.w0_list = [p.detach().clone() for p in module.net.hidden]
    module.net.scratch = {"x": torch.zeros(2)}
    assert stray_tensors(module) == ["GradientFlow.w0_list", "FrozenEndsMLP.scratch"]


def test_ngd_keeps_its_direction_in_optimizer_state():
    """NGD's last direction is per-parameter state (moved and checkpointed with the
    optimizer), and the optimizer holds no other tensor."""
    w = nn.Parameter(torch.randn(3, 4, dtype=torch.float64))
    opt = NGD([w], lr=0.5)
    jac = torch.randn(5, 12, dtype=torch.float64)
    r = torch.randn(5, dtype=torch.float64)
    opt.step(lambda: (r, jac))
    assert opt.state[w]["direction"].shape == w.shape
    assert opt.last_direction is opt.state[w]["direction"]
    held = {k: v for k, v in vars(opt).items() if k not in ("state", "param_groups")}
    assert tensors_in(held) == []
    moved = NGD([w], lr=0.5)
    moved.load_state_dict(opt.state_dict())  # the state survives a checkpoint round trip
    torch.testing.assert_close(moved.last_direction, opt.last_direction)


@pytest.mark.parametrize("style", STYLES)
def test_every_training_style_runs_on_the_cpu_accelerator(style, tmp_path, monkeypatch):
    """The harness of tests/test_gpu.py, on the CPU: finite metrics, and the probe sees only
    CPU tensors (it sees something for every style that builds a Trainer)."""
    metrics, devices = run_style(style, "cpu", tmp_path, monkeypatch)
    assert metrics and all(torch.isfinite(torch.tensor(v)) for v in metrics.values()), metrics
    assert devices == (set() if style == "kernel_regime" else {"cpu"})
