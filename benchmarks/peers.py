"""wideopt against the reference libraries, and the pipeline's own overheads (issue 7).

Measured in one process, implementations interleaved rep by rep (small kernels drift +-30 %
between runs on these machines: only same-run ratios are comparable), on ``--threads``
threads (default 1: every training job of the pipeline runs on one thread). Medians of
``--reps`` repetitions; the ratio is ours / theirs in process CPU time (robust on a shared
machine; wall time is reported beside it).

    fno       FNO epoch, 1000 samples x 128 points, batch 100, 16 modes, 4 layers, projection
              128, Adam: ``wideopt.models.fno.FNO1d`` vs neuraloperator 2.0.0 ``FNO`` set up
              like Li et al. (n_modes=(31,) keeps 16 rfft modes; linear lifting, no channel
              MLP, linear skip), widths 64 and 500
    deeponet  DeepONet epoch, 1000 functions x 100 sensors/points, batch 100, Adam:
              ``wideopt.models.deeponet.DeepONet`` vs DeepXDE 1.15 ``DeepONetCartesianProd``
              (pytorch backend), branch/trunk [n, m, m, m], widths 100 and 500
    pinn      PINN Adam step on poisson2d (float64, tanh, one hidden layer of m): ours through
              the pipeline's Lightning path (closed-form Laplacian and gradient) vs DeepXDE's
              ``Model.train`` (autograd Hessian), same collocation points; (m, n) = (128, 192)
              (the paper config) and (1280, 1020)
    ngd       one NGD step at m = 2560 on poisson2d (paper collocation, n = 192): Jacobian,
              Gram J J^T, Cholesky solve
    startup   per-job start-up: ``startup:`` lines of the job logs under ``--logs`` (seconds
              from process start to the first training step), by rule
    dag       ``snakemake -n figures`` at paper scale (DAG build), median of 3

Install the peers first: ``pip install -c envs/constraints.txt -e ".[bench]"``. Usage:

    python benchmarks/peers.py [--only fno deeponet pinn ngd startup dag] [--reps 3]

Writes ``benchmarks/out/peers.csv`` and prints a Markdown table (docs/performance.md).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("DDE_BACKEND", "pytorch")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

ROWS: list[dict] = []


@contextlib.contextmanager
def torch_defaults_restored():
    """Run one part and give the next one torch's global state as it was: the default dtype
    (DeepXDE's ``set_default_float("float64")`` in ``pinn`` sets torch's default to float64,
    which made a later ``fno`` part mix complex128 and complex64 spectral weights) and the
    number of threads."""
    dtype, threads = torch.get_default_dtype(), torch.get_num_threads()
    try:
        yield
    finally:
        torch.set_default_dtype(dtype)
        torch.set_num_threads(threads)
        if "deepxde" in sys.modules:  # its own float setting, read when it builds a net
            sys.modules["deepxde"].config.set_default_float(
                {torch.float32: "float32", torch.float64: "float64"}[dtype])


def clock(fn: Callable[[], object]) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def compare(name: str, ours: Callable[[], object], theirs: Callable[[], object] | None,
            reps: int, unit: str, peer: str = "", per: int = 1) -> None:
    """Interleave ``ours`` and ``theirs`` ``reps`` times after one warm-up each; record
    medians per ``per`` calls-worth of work (e.g. per step) and the CPU-time ratio."""
    fns = {"ours": ours} | ({"theirs": theirs} if theirs else {})
    for f in fns.values():
        f()
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in fns}
    for _ in range(reps):
        for k, f in fns.items():
            times[k].append(clock(f))
    row = dict(benchmark=name, unit=unit, peer=peer)
    for k, ts in times.items():
        row[f"{k}_wall"] = statistics.median(t[0] for t in ts) / per
        row[f"{k}_cpu"] = statistics.median(t[1] for t in ts) / per
    if theirs:
        row["ratio_cpu"] = row["ours_cpu"] / row["theirs_cpu"]
        row["ratio_wall"] = row["ours_wall"] / row["theirs_wall"]
    ROWS.append(row)
    print(row, flush=True)


def adam_epoch(net: torch.nn.Module, forward: Callable, u, s, batch: int, fused: bool):
    """One epoch of Adam (lr 1e-3) on the MSE, fixed batch order; returns the step function."""
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, fused=fused)

    def epoch():
        for i in range(0, len(u), batch):
            opt.zero_grad(set_to_none=True)
            loss = ((forward(u[i:i + batch]) - s[i:i + batch]) ** 2).mean()
            loss.backward()
            opt.step()
    return epoch


def operator_data(n: int, n_x: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Random inputs u (n, n_x), targets s (n, n_x) and the grid (n_x,): cost, not accuracy."""
    gen = torch.Generator().manual_seed(0)
    return (torch.randn(n, n_x, generator=gen), torch.randn(n, n_x, generator=gen),
            torch.linspace(0, 1, n_x))


def bench_fno(reps: int) -> None:
    from neuralop.models import FNO

    from wideopt.models.fno import FNO1d
    batch = 100
    u, s, x = operator_data(1000, 128)
    for m in (64, 500):
        torch.manual_seed(0)
        ours = FNO1d(m, modes=16, n_layers=4, activation="gelu", proj_width=128)
        theirs = FNO(n_modes=(31,), in_channels=1, out_channels=1, hidden_channels=m,
                     n_layers=4, lifting_channel_ratio=0, projection_channel_ratio=128 / m,
                     use_channel_mlp=False, fno_skip="linear", positional_embedding="grid")
        kept = theirs.fno_blocks.convs[0].weight.shape[-1]
        assert kept == 16, f"neuraloperator keeps {kept} modes, not 16"
        compare(f"FNO epoch, width {m}",
                adam_epoch(ours, lambda v, net=ours: net(v, x), u, s, batch, fused=True),
                adam_epoch(theirs, lambda v, net=theirs: net(v[:, None])[:, 0], u, s, batch,
                           fused=False),
                reps, "s/epoch", "neuraloperator 2.0.0")


def bench_deeponet(reps: int) -> None:
    import deepxde as dde

    from wideopt.models.deeponet import DeepONet
    n_x, batch = 100, 100
    u, s, y = operator_data(1000, n_x)
    for m in (100, 500):
        torch.manual_seed(0)
        ours = DeepONet(n_x, m, activation="tanh")
        theirs = dde.nn.DeepONetCartesianProd([n_x, m, m, m], [1, m, m, m], "tanh",
                                              "Glorot normal")
        compare(f"DeepONet epoch, width {m}",
                adam_epoch(ours, lambda v, net=ours: net(v, y), u, s, batch, fused=True),
                adam_epoch(theirs, lambda v, net=theirs: net((v, y[:, None])), u, s, batch,
                           fused=False),
                reps, "s/epoch", "DeepXDE 1.15")


def bench_pinn(reps: int, steps: int = 300) -> None:
    import deepxde as dde

    from wideopt.data.pinn_problems import make_collocation
    from wideopt.pde import get_problem
    from wideopt.training.pinn.module import RunConfig, train_run
    dde.config.set_default_float("float64")
    problem = get_problem("poisson2d")
    for m, (n_int, n_bd) in ((128, (12, 13)), (1280, (30, 31))):
        colloc = make_collocation(problem, n_int, n_bd, 1000, 0)
        data = colloc.arrays()
        n = len(data["x_int"]) + len(data["x_bd"])

        def ours(m=m, colloc=colloc):
            train_run(RunConfig(problem="poisson2d", optimizer="Adam", lr=1e-3, width=m,
                                steps=steps, seed=0), colloc)

        geom = dde.geometry.Rectangle([0, 0], [1, 1])

        def pde(x, v):
            lap = dde.grad.hessian(v, x, i=0, j=0) + dde.grad.hessian(v, x, i=1, j=1)
            f = 2 * np.pi**2 * torch.sin(np.pi * x[:, :1]) * torch.sin(np.pi * x[:, 1:])
            return -lap - f

        bc = dde.icbc.DirichletBC(geom, lambda x: np.zeros((len(x), 1)),
                                  lambda x, on_b: on_b)
        anchors = np.concatenate([data["x_int"], data["x_bd"]])
        pdata = dde.data.PDE(geom, pde, bc, num_domain=0, num_boundary=0, anchors=anchors)
        model = dde.Model(pdata, dde.nn.FNN([2, m, 1], "tanh", "Glorot normal"))
        model.compile("adam", lr=1e-3, verbose=0)

        def theirs(model=model):
            model.train(iterations=steps, display_every=steps, verbose=0)

        compare(f"PINN Adam step, poisson2d, m={m}, n={n}", ours, theirs, reps, "s/step",
                "DeepXDE 1.15", per=steps)


def bench_ngd(reps: int, width: int = 2560) -> None:
    from wideopt.data.pinn_problems import make_collocation
    from wideopt.models.pinn_two_layer import TwoLayerPINN
    from wideopt.pde import get_problem
    from wideopt.training.pinn.residual import Residual
    problem = get_problem("poisson2d")
    colloc = make_collocation(problem, 12, 13, 100, 0)
    data = dict(colloc.items())
    residual = Residual(problem.operator, colloc)
    net = TwoLayerPINN(width, 2, 0)
    parts = {}

    def jac():
        parts["r"], parts["J"] = residual.with_jacobian(net)

    def gram():
        parts["K"] = parts["J"] @ parts["J"].T

    def solve():
        k = parts["K"]
        k = k + 1e-8 * torch.diagonal(k).mean() * torch.eye(len(k), dtype=k.dtype)
        chol = torch.linalg.cholesky(k)
        parts["d"] = parts["J"].T @ torch.cholesky_solve(parts["r"][:, None], chol)[:, 0]

    n, p = len(data["x_int"]) + len(data["x_bd"]), net.w.numel()
    with torch.no_grad():
        for name, fn in (("Jacobian", jac), ("Gram JJ^T", gram), ("Cholesky solve", solve)):
            compare(f"NGD step at m={width} (n={n}, p={p}): {name}", fn, None, max(reps, 5),
                    "s")


def bench_startup(logs: Path) -> None:
    per_rule: dict[str, list[float]] = {}
    for f in sorted(logs.rglob("*.log")):
        hits = re.findall(r"startup: ([\d.]+) s[^(\n]*(?:\(([\d.]+) CPU-s\))?",
                          f.read_text(errors="replace"))
        if hits:
            rule = re.sub(r"_(w\d+|m\d+|[A-Za-z]+\d+d|antiderivative|burgers|"
                          r"diffusion_reaction|SGD|Adam|LBFGS|NGD)", "", f.stem)
            wall, cpu = hits[0]
            per_rule.setdefault(f"{f.parent.name}/{rule}", []).append(
                (float(wall), float(cpu) if cpu else float("nan")))
    if not per_rule:
        print(f"no 'startup:' lines under {logs}: run the pipeline first", flush=True)
    for rule, v in per_rule.items():
        ROWS.append(dict(benchmark=f"job start-up, {rule} ({len(v)} jobs; max "
                                   f"{max(w for w, _ in v):.2f} s)", unit="s",
                         ours_wall=statistics.median(w for w, _ in v),
                         ours_cpu=statistics.median(c for _, c in v)))
        print(ROWS[-1], flush=True)


def bench_dag(reps: int = 3) -> None:
    cmd = [sys.executable, "-m", "snakemake", "-n", "figures", "--quiet", "all"]
    walls, cpus = [], []
    for _ in range(reps):
        t, c = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, cwd=REPO, check=True, capture_output=True)
        walls.append(time.perf_counter() - t)
        c2 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(c2.ru_utime + c2.ru_stime - c.ru_utime - c.ru_stime)
    ROWS.append(dict(benchmark="snakemake -n figures (paper scale, DAG build)", unit="s",
                     ours_wall=statistics.median(walls), ours_cpu=statistics.median(cpus)))
    print(ROWS[-1], flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parts = ["fno", "deeponet", "pinn", "ngd", "startup", "dag"]
    ap.add_argument("--only", nargs="+", choices=parts, default=parts)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--logs", type=Path, default=REPO / "results" / "logs")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "peers.csv")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    for part in args.only:
        with torch_defaults_restored():
            if part == "startup":
                bench_startup(args.logs)
            elif part == "dag":
                bench_dag()
            else:
                globals()[f"bench_{part}"](args.reps)
    df = pd.DataFrame(ROWS)
    df.insert(0, "threads", args.threads)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(args.out, index=False)
    print(df.to_markdown(index=False, floatfmt=".4g"))


if __name__ == "__main__":
    main()
