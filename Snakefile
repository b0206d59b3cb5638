# wideopt: regenerate every figure, table and claim of four works on why wide networks
# are easy to optimize. Usage: `snakemake --cores all figures` (paper scale) or add
# `--configfile workflow/config/quick.yaml` (minutes). See README.md.
from snakemake.utils import min_version

min_version("9.0")


configfile: "workflow/config/paper.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/ntk.smk"
include: "workflow/rules/claims.smk"


rule figures:
    """Every figure, table and the claims scorecard of the families built."""
    default_target: True
    input:
        FIGURE_TARGETS,
        "figures/claims.csv",
        "figures/claims.md",
