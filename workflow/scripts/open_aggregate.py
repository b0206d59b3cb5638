"""Snakemake wrapper: the tidy per-seed section E tables results/open/<id>.csv
(wideopt.analysis.open_summary); E2 and E3 beside section A's runs of the same widths."""

from wideopt.analysis.open_summary import concat, encoder_table, relu_table
from wideopt.io import read_csv, write_csv
from wideopt.jobs import job

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    i, o, p = smk.input, smk.output, smk.params
    runs, curves = concat(i.summaries), concat(i.curves)
    ops, ops_curves = read_csv(i.ops_summary), read_csv(i.ops_curves)
    relu = runs[runs.variant == "relu"]
    write_csv(relu_table(relu, curves[curves.variant == "relu"], ops, ops_curves, p.smooth,
                         p.widths), o.open_relu_operators)
    write_csv(encoder_table(runs[runs.variant == "frozen"], ops, p.encoder_widths),
              o.open_fno_encoder)
    write_csv(read_csv(i.radius), o.open_radius)
    write_csv(read_csv(i.depth), o.open_depth_distance)
    write_csv(read_csv(i.ngd_depth), o.open_ngd_depth)
    write_csv(read_csv(i.ngd_dimension), o.open_ngd_dimension)
