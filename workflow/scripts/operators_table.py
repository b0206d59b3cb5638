"""Snakemake wrapper: the operators_final_loss table (csv, md, heatmap png)."""

from pathlib import Path

import pandas as pd

from wideopt.analysis.operators_summary import final_loss_table
from wideopt.analysis.tables import to_markdown
from wideopt.io import write_csv, write_text
from wideopt.jobs import job
from wideopt.plots.operators import final_loss_heatmaps

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    table = final_loss_table(pd.read_csv(smk.input.curves), pd.read_csv(smk.input.summary),
                             smk.params.loss_threshold)
    title = ("Final training loss, test relative L2 and epochs to reach training loss <= "
             f"{smk.params.loss_threshold:g} x mean(s^2) (mean ± sd over seeds)")
    write_csv(table, smk.output.csv)
    write_text(to_markdown(table, ["problem", "arch", "width"], "quantity", title),
               smk.output.md)
    # One colour scale per quantity (losses, errors and epochs share no unit), instead of
    # tables.write_table's single scale; the paper gives no numbers to show beside ours.
    final_loss_heatmaps(table, title, Path(smk.output.png).with_suffix(""))
