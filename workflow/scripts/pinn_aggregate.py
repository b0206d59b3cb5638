"""Snakemake wrapper: the section C tables as tidy per-seed files (results/pinn/<id>.csv: one
row per cell and seed) and the training-loss curves of the optimizer table's cells, from the
sweep files. The damping table's cell at the tables' damping is the optimizer table's NGD cell
(read here, not trained twice)."""

import pandas as pd

from wideopt.analysis.pinn_summary import select, tidy_table
from wideopt.io import write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, o = smk.params, smk.output
    runs = {(pr, opt): pd.read_csv(f) for (pr, opt), f in
            zip([(pr, opt) for pr in p.problems for opt in p.optimizers], smk.input.runs,
                strict=True)}

    def main_cell(problem, opt):
        return select(runs[(problem, opt)], lr=p.default_lr[opt], width=p.main_width)

    def display(problem, opt):
        return str(runs[(problem, opt)]["optimizer"].iloc[0])

    cells = [(dict(problem=pr, optimizer=display(pr, opt)), main_cell(pr, opt))
             for pr in p.problems for opt in p.optimizers]
    write_csv(tidy_table(cells), o.optimizers)
    curves = [df[df.metric == "loss"][["seed", "step", "value"]].assign(**keys)
              for keys, df in cells]
    write_csv(pd.concat(curves, ignore_index=True)[["problem", "optimizer", "seed", "step",
                                                     "value"]], o.curves)

    g = p.lr_grid  # rows by optimizer, learning rates from large to small
    cells = [(dict(optimizer=display(g["problem"], opt), lr=float(lr)),
              select(runs[(g["problem"], opt)], lr=lr, width=p.main_width))
             for opt in sorted(g["optimizers"]) for lr in sorted(g["lrs"], reverse=True)]
    write_csv(tidy_table(cells), o.lr)

    a = p.width_ablation
    cells = [(dict(optimizer="NGD", width=int(m)),
              select(runs[(a["problem"], "NGD")], lr=p.default_lr["NGD"], width=m))
             for m in sorted(a["widths"])]
    write_csv(tidy_table(cells), o.width)

    damping = ({pr: pd.read_csv(f) for pr, f in zip(p.problems, smk.input.damping, strict=True)}
               if smk.input.damping else {})
    cells = [(dict(problem=pr, damping=float(d)),
              main_cell(pr, "NGD") if d == p.chosen_damping
              else select(damping[pr], damping=d))
             for pr in p.problems for d in p.dampings]
    write_csv(tidy_table(cells), o.damping)
