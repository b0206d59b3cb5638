"""Snakemake wrapper: section B's four figures and the rendered decay-exponent table."""

from pathlib import Path

from wideopt.analysis.sobolev_summary import decay_summary
from wideopt.io import read_csv
from wideopt.jobs import job
from wideopt.plots import sobolev
from wideopt.plots.tables import TableSpec, render_table

with job(snakemake):  # noqa: F821
    smk = snakemake  # noqa: F821
    p, out, scale = smk.params, smk.output, smk.params.scale
    fit = p.fit
    decay = decay_summary(read_csv(smk.input.decay))
    # Heatmap: one panel and colour scale per quantity (exponents, R^2 and eigenvalue ratios
    # have different units); the theory row is in the .md only.
    quantities = [q for q in dict.fromkeys(decay.quantity) if not q.startswith("theory")]
    spec = TableSpec(
        id="sobolev_decay_exponents", index=["quantity", "activation"], columns="d",
        title=f"NTK eigenvalue decay exponent p (lambda_k ~ k^-p), fit on k in "
              f"[{fit['k_min']}, {fit['k_max_fraction']:g} n], above "
              f"{fit['floor_margin']:g} n eps lambda_1",
        facet="quantity", shown=quantities,
        facet_labels={"exponent": "exponent $p$", "k_hi_used": "last index $k$ of the fit",
                      "r2_power": "$R^2$, power law", "r2_geometric": "$R^2$, geometric decay",
                      "lambda_ratio_k100": r"$\lambda_{100} / \lambda_1$"},
        figure_title=(r"NTK eigenvalue decay exponent $p$ ($\lambda_k \sim k^{-p}$), fit on "
                      f"$k \\in [{fit['k_min']}, {fit['k_max_fraction']:g}\\,n]$, above "
                      f"${fit['floor_margin']:g}\\,n\\,\\varepsilon\\,\\lambda_1$"))
    render_table(decay, spec, Path(out.table_csv).parent, scale=scale)
    spectra = read_csv(smk.input.spectra)
    runs, classical = read_csv(smk.input.runs), read_csv(smk.input.classical)
    stem = lambda name: Path(out[name]).with_suffix("")  # noqa: E731
    sobolev.ntk_spectrum(spectra, stem("sobolev_ntk_spectrum"), scale)
    sobolev.error_rates(read_csv(smk.input.curves), stem("sobolev_error_rates"), scale)
    sobolev.vs_classical(runs, classical, stem("sobolev_vs_classical"), scale)
    sobolev.weight_distance(runs, stem("sobolev_weight_distance"), scale)
