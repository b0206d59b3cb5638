"""Snakemake wrapper: section B's four figures and the decay-exponent table."""

from pathlib import Path

import pandas as pd

from wideopt.analysis.sobolev_summary import decay_table
from wideopt.analysis.tables import write_table
from wideopt.jobs import job
from wideopt.plots import sobolev

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, out = smk.params, smk.output
    spectra = pd.read_csv(smk.input.spectra)
    runs, classical = pd.read_csv(smk.input.runs), pd.read_csv(smk.input.classical)
    table = decay_table(spectra, p.fit, p.ratio_index)
    write_table(table, "sobolev_decay_exponents", Path(out.table_csv).parent,
                index=["quantity", "activation"], columns="d",
                title=f"NTK eigenvalue decay exponent p (lambda_k ~ k^-p), fit on k in "
                      f"[{p.fit['k_min']}, {p.fit['k_max_fraction']:g} n], above "
                      f"{p.fit['floor_margin']:g} n eps lambda_1")
    stem = lambda name: Path(out[name]).with_suffix("")  # noqa: E731
    sobolev.ntk_spectrum(spectra, stem("sobolev_ntk_spectrum"))
    sobolev.error_rates(pd.read_csv(smk.input.curves), stem("sobolev_error_rates"))
    sobolev.vs_classical(runs, classical, stem("sobolev_vs_classical"))
    sobolev.weight_distance(runs, stem("sobolev_weight_distance"))
