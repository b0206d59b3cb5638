"""Per-epoch cost of the section A networks vs width, and this machine's matmul ceiling.

Times a few optimizer steps (forward + backward + fused Adam, 1 thread, float32) at the
paper-scale batch, grid and sample count of ``workflow/config/paper.yaml`` and extrapolates
to one epoch; reports wall *and* process CPU seconds (the machine is shared: CPU time is what
the job would take alone), the model's FLOPs per epoch, and a float32 GEMM's GFLOP/s measured
in the same process, interleaved. Usage:

    python benchmarks/operators_epoch_times.py [--widths 10 50 100 200 500] [--steps 3]
"""

from __future__ import annotations

import argparse
import time

import torch
import yaml

from wideopt.models.deeponet import DeepONet
from wideopt.models.fno import FNO1d


def gemm_gflops(n: int = 1024, reps: int = 3) -> float:
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    t = time.process_time()
    for _ in range(reps):
        a @ b
    return 2 * n**3 * reps / (time.process_time() - t) / 1e9


def fno_flops(batch: int, n_x: int, m: int, modes: int, layers: int, proj: int) -> float:
    """Forward FLOPs of one batch (matmul-like terms only); training ~3x this."""
    pointwise = 2 * batch * n_x * m * m
    spectral = 8 * batch * m * m * modes  # complex multiply-add = 8 real flops
    return layers * (pointwise + spectral) + 2 * batch * n_x * (2 * m + m * proj + proj)


def don_flops(batch: int, n_sensors: int, n_q: int, m: int) -> float:
    branch = 2 * batch * (n_sensors * m + 2 * m * m)
    trunk = 2 * n_q * (m + 2 * m * m)
    return branch + trunk + 2 * batch * n_q * m


def time_steps(net, u, x, s, batch, steps):
    opt = torch.optim.Adam(net.parameters(), 1e-3, fused=True)

    def step(i):
        sl = slice((i * batch) % len(u), (i * batch) % len(u) + batch)
        opt.zero_grad()
        loss = ((net(u[sl], x) - s[sl]) ** 2).mean()
        loss.backward()
        opt.step()

    step(0)
    w, c = time.perf_counter(), time.process_time()
    for i in range(steps):
        step(i + 1)
    return (time.perf_counter() - w) / steps, (time.process_time() - c) / steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--widths", type=int, nargs="+", default=[10, 50, 100, 200, 500])
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--config", default="workflow/config/paper.yaml")
    args = ap.parse_args()
    torch.set_num_threads(1)
    cfg = yaml.safe_load(open(args.config))["operators"]
    n = cfg["data"]["n_train"]
    print("arch,problem_grid,width,batch,steps_per_epoch,wall_s_per_epoch,cpu_s_per_epoch,"
          "gflop_per_epoch,gemm_gflops,fraction_of_gemm", flush=True)
    for arch in ("deeponet", "fno"):
        tr, mo = cfg[arch]["train"], cfg[arch]["model"]
        n_x = cfg["data"]["burgers"]["n_points"] // tr["subsample"]  # the largest grid
        bs = tr["batch_size"]
        u, s, x = torch.randn(n, n_x), torch.randn(n, n_x), torch.linspace(0, 1, n_x)
        for m in args.widths:
            torch.manual_seed(0)
            if arch == "fno":
                net = FNO1d(m, **mo)
                fl = 3 * fno_flops(bs, n_x, m, mo["modes"], mo["n_layers"], mo["proj_width"])
            else:
                net = DeepONet(n_x, m, **mo)
                fl = 3 * don_flops(bs, n_x, n_x, m)
            wall, cpu = time_steps(net, u, x, s, bs, args.steps)
            g = gemm_gflops()
            per = n / bs
            print(f"{arch},{n_x},{m},{bs},{per:.0f},{wall * per:.3f},{cpu * per:.3f},"
                  f"{fl * per / 1e9:.1f},{g:.1f},{fl / cpu / 1e9 / g:.2f}", flush=True)


if __name__ == "__main__":
    main()
