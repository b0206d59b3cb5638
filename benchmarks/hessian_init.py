"""Cost and value of the section A Hessian norms at initialization (claim A4), paper sizes.

For each architecture x problem x width (one seed), builds the network exactly as a training
job does (``seed_everything(seed)``, then the architecture's ``build``) on the fixed Hessian
batch of ``workflow/config/paper.yaml`` (first ``hessian_batch`` training functions of
``results/data/PROBLEM.npz``), and computes by Lanczos
(:mod:`wideopt.training.operators.hessian`) the spectral norms of the loss Hessian and of the
network Hessian nabla^2 <v, G(u)>
(``init_hessians``, what the training job records). Reports the norms, Hessian-vector
products, measured residuals, wall seconds of each and process CPU seconds of both (1 thread),
and per
architecture x problem the Spearman rho and log-log slope of the network-Hessian norm vs width.
The training jobs need no data beyond the data files. Usage:

    python benchmarks/hessian_init.py [--widths 10 50 100 200 500] [--seed 0] [--out x.csv]
"""

from __future__ import annotations

import argparse
import functools
import importlib
import time

import numpy as np
import pandas as pd
import pytorch_lightning as L
import torch
import yaml
from scipy import stats

from wideopt.training.operators.regression import (
    OperatorDataModule,
    TrainSettings,
    init_hessians,
)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--widths", type=int, nargs="+", default=[10, 50, 100, 200, 500])
    ap.add_argument("--archs", nargs="+", default=["deeponet", "fno"])
    ap.add_argument("--problems", nargs="+",
                    default=["antiderivative", "diffusion_reaction", "burgers"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--config", default="workflow/config/paper.yaml")
    ap.add_argument("--data", default="results/data")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    torch.set_num_threads(1)
    cfg = yaml.safe_load(open(args.config))["operators"]
    rows = []
    for arch in args.archs:
        build = functools.partial(importlib.import_module(f"wideopt.models.{arch}").build,
                                  **cfg[arch]["model"])
        st = TrainSettings.from_config(cfg[arch]["train"])
        for problem in args.problems:
            dm = OperatorDataModule(f"{args.data}/{problem}.npz", problem, st.batch_size,
                                    st.subsample, st.n_train, args.seed)
            for m in args.widths:
                L.seed_everything(args.seed, verbose=False)  # as train_operator does
                net = build(dm.u_train.shape[1], m)
                t = time.process_time()
                row = dict(arch=arch, problem=problem, width=m, seed=args.seed,
                           n_params=sum(p.numel() for p in net.parameters()),
                           **init_hessians(net, dm, st, args.seed))
                row["cpu_s"] = time.process_time() - t
                rows.append(row)
                print(pd.DataFrame([row]).to_string(index=False, header=len(rows) == 1),
                      flush=True)
    df = pd.DataFrame(rows)
    if args.out:
        df.to_csv(args.out, index=False)
    print("\nper architecture x problem: network-Hessian norm vs width")
    for (arch, problem), g in df.groupby(["arch", "problem"]):
        rho = stats.spearmanr(g.width, g.net_hessian_norm).statistic
        slope = stats.linregress(np.log(g.width), np.log(g.net_hessian_norm)).slope
        lslope = stats.linregress(np.log(g.width), np.log(g.hessian_norm)).slope
        print(f"{arch:9s} {problem:19s} rho={rho:+.2f} slope={slope:+.3f} "
              f"(loss Hessian slope {lslope:+.3f}) cpu_s={g.cpu_s.sum():.1f}")
    print(f"total CPU-s per seed: {df.cpu_s.sum():.1f}")


if __name__ == "__main__":
    main()
