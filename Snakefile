# wideopt: regenerate every figure, table and claim of four works on why wide networks
# are easy to optimize. Usage: `snakemake --cores all figures` (paper scale) or add
# `--configfile workflow/config/quick.yaml` (minutes). See README.md.
import os

from snakemake.utils import min_version

min_version("9.0")

# Jobs import the package from this checkout's src/ even where it is not pip-installed
# (e.g. `--sdm conda` on a cluster); an installed copy is the same source.
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (os.path.join(workflow.basedir, "src"), os.environ.get("PYTHONPATH")) if p
)


configfile: "workflow/config/paper.yaml"


conda: "envs/wideopt.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/ntk.smk"
include: "workflow/rules/operators.smk"
include: "workflow/rules/pinn.smk"
include: "workflow/rules/sobolev.smk"
include: "workflow/rules/claims.smk"
# Last: scheduling policy (GPU requests, retry scaling) over all rules above.
include: "workflow/rules/cluster.smk"


rule figures:
    """Every figure, table and the claims scorecard of the families built."""
    default_target: True
    input:
        FIGURE_TARGETS,
        "figures/claims.csv",
        "figures/claims.md",
