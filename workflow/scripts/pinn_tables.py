"""Snakemake wrapper: the four section C tables (pinn_optimizers, pinn_lr_robustness,
pinn_width, pinn_gram_spectrum) from the run files, with the paper's values beside ours."""

from pathlib import Path

import pandas as pd

from wideopt.analysis import pinn_summary as ps
from wideopt.analysis.tables import fmt, write_table
from wideopt.io import write_csv, write_text
from wideopt.jobs import job
from wideopt.training.pinn import DISPLAY

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, out = smk.params, Path(smk.output.pinn_optimizers_csv).parent
    keys = [(pr, o) for pr in p.problems for o in p.optimizers]
    runs = {k: pd.read_csv(f) for k, f in zip(keys, smk.input.runs, strict=True)}

    def pick(df, lr, width):
        return df[(df.lr == float(f"{lr:g}")) & (df.width == width)]

    main = {(pr, DISPLAY[o]): pick(df, p.default_lr[o], p.main_width)
            for (pr, o), df in runs.items()}
    write_table(ps.optimizers_table(main), "pinn_optimizers", out, index=["problem"],
                columns="optimizer",
                title="Relative L2 test error, mean over seeds (paper in parentheses)")

    g = p.lr_grid
    lr_runs = {(o, float(lr)): pick(runs[(g["problem"], o)], lr, p.main_width)
               for o in g["optimizers"] for lr in g["lrs"]}
    write_table(ps.lr_table(lr_runs), "pinn_lr_robustness", out, index=["optimizer"],
                columns="lr", title=f"{g['problem']}: relative L2 test error vs learning rate")

    a = p.width_ablation
    w_runs = {m: pick(runs[(a["problem"], "NGD")], p.ngd_lr, m) for m in a["widths"]}
    write_table(ps.width_table(w_runs), "pinn_width", out, index=["optimizer"],
                columns="width", title=f"NGD on {a['problem']}: relative L2 test error vs width")

    gram = pd.read_csv(smk.input.gram)
    df = ps.gram_table({pr: d for pr, d in gram.groupby("problem", sort=False)})
    write_csv(df, smk.output.gram_full)
    shown = df[df.quantity.isin(ps.GRAM_SHOWN)]
    title = "Gram matrix J J^T at initialization (mean over seeds)"
    write_table(shown, "pinn_gram_spectrum", out, index=["problem"], columns="quantity",
                title=title)
    # Markdown: the paper reports only two poisson1d numbers; other cells show ours alone.
    wide = df.pivot_table(index="problem", columns="quantity", values="value", sort=False)

    def cell(r):
        # GD's contraction factor 1 - lambda_min / (2 lambda_max) prints as "1 - gap" (three
        # digits would show "1"); a lambda_min below the round-off floor gives no gap at all.
        if r.quantity == "gd_rate":
            w = wide.loc[r.problem]
            v = ("1 - O(eps): lambda_min at round-off" if w["below_floor"] >= 0.5
                 else f"1 - {fmt(w['lambda_min'] / (2 * w['lambda_max']))}")
        else:
            v = fmt(r.value)
        return v + (f" (paper {fmt(r.paper_value)})" if pd.notna(r.paper_value) else "")

    cells = shown.assign(cell=[cell(r) for r in shown.itertuples()])
    piv = cells.pivot_table(index="problem", columns="quantity", values="cell",
                            aggfunc="first", sort=False)[ps.GRAM_SHOWN]
    note = ("\n`roundoff_floor` = n eps lambda_max: a lambda_min below it is round-off, not a "
            "measurement. `gd_rate` = 1 - lambda_min / (2 lambda_max) per GD step at "
            "eta = 1/lambda_max (Thm 3.7); `ngd_rate` = 1 - eta_NGD (Thm 4.7).\n")
    write_text(f"# {title}\n\n" + piv.reset_index().to_markdown(index=False) + "\n" + note,
               smk.output.pinn_gram_spectrum_md)
