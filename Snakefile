# wideopt: regenerate every figure, table and claim of four works on why wide networks
# are easy to optimize. Usage: `snakemake --cores all figures` (paper scale) or add
# `--configfile workflow/config/quick.yaml` (minutes). See README.md.
import os

from snakemake.utils import min_version

# The tested version (envs/constraints.txt); pyproject.toml asks for the same range.
min_version("9.27")

# Jobs import the package from this checkout's src/, first on the path, even where another
# copy is pip-installed (a second worktree, a test's copy of the repo), so a job always runs
# the code its rule declared as input. Declared in `envvars` so that executors which do not
# inherit the environment pass it on to their jobs; with `--sdm conda`, Snakemake strips
# PYTHONPATH from jobs unless `--conda-not-block-search-path-envvars` is given (the SLURM
# profile sets it; see docs/cluster.md).
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (os.path.join(workflow.basedir, "src"), os.environ.get("PYTHONPATH")) if p
)


envvars:
    "PYTHONPATH",


configfile: "workflow/config/paper.yaml"


include: "workflow/rules/common.smk"
# Before the families: their rules use retry_scaled and the resource estimators.
include: "workflow/rules/resources.smk"
include: "workflow/rules/ntk.smk"
include: "workflow/rules/operators.smk"
include: "workflow/rules/operators_gd.smk"
include: "workflow/rules/pinn.smk"
include: "workflow/rules/pinn_search.smk"
include: "workflow/rules/sobolev.smk"
include: "workflow/rules/open.smk"
include: "workflow/rules/open_structured.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/publish.smk"


rule figures:
    """Every figure, table and the claims scorecard of the families built."""
    default_target: True
    input:
        FIGURE_TARGETS,
        out("figures/claims.csv"),
        out("figures/claims.md"),
        out("figures/claims.png"),
        out("figures/PROVENANCE.md"),
        out("docs/reproduction.md"),
        # Last: the checksums of everything above (workflow/rules/publish.smk).
        out("figures/MANIFEST.sha256"),
