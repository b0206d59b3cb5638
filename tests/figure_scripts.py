"""Run the figure rules' scripts (workflow/scripts/*_figures.py, claims_figure.py) outside
Snakemake, on a folder of tidy result tables, with a stand-in ``snakemake`` object carrying
the rules' input names, output paths and params (taken from the merged config).

Used by tests/test_figure_layout.py (every figure's layout) and to redraw the published
record's figures from its committed tables (``draw_all(ROOT, ROOT / "results",
ROOT / "figures", "paper")``).
"""

from __future__ import annotations

import runpy
from pathlib import Path

import yaml

PINN_TABLES = ["pinn_optimizers", "pinn_lr_robustness", "pinn_width", "pinn_gram_spectrum",
               "pinn_ngd_damping", "pinn_helmholtz_frequency", "pinn_collocation",
               "pinn_ngd_schedule"]
OPEN_IDS = ["open_radius", "open_relu_operators", "open_fno_encoder", "open_depth_distance",
            "open_ngd_depth", "open_ngd_dimension"]
OPEN_FIGURES = ["open_radius", "open_relu_operators", "open_fno_encoder",
                "open_depth_distance", "open_ngd_dimension"]
NTK_FIGURES = ["ntk_init_concentration", "ntk_drift", "ntk_linearized_dynamics",
               "ntk_parameterization"]
SOB_FIGURES = ["sobolev_ntk_spectrum", "sobolev_error_rates", "sobolev_vs_classical",
               "sobolev_weight_distance"]
OPS_FIGURES = ["operators_loss_curves", "operators_lazy"]


class Names(list):
    """Snakemake's Namedlist, as far as the scripts use it: a list with named items."""

    def __init__(self, items: dict | list = ()):
        items = dict(items) if isinstance(items, dict) else {str(i): v for i, v in
                                                             enumerate(items)}
        super().__init__(items.values())
        self._names = items

    def __getattr__(self, name):
        try:
            return self.__dict__["_names"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key):
        return self._names[key] if isinstance(key, str) else super().__getitem__(key)


class Job:
    def __init__(self, input: dict, output: dict | list, params: dict):
        self.input, self.output, self.params = Names(input), Names(output), Names(params)
        self.log, self.wildcards = Names([]), Names({})
        self.threads, self.rule = 1, "figures"


def config(root: Path, scale: str) -> dict:
    """paper.yaml with ``<scale>.yaml``'s overrides merged in (as ``--configfile`` does)."""
    def merge(a: dict, b: dict) -> dict:
        return {**a, **{k: merge(a[k], v) if isinstance(v, dict) and isinstance(a.get(k), dict)
                        else v for k, v in b.items()}}

    cfg = yaml.safe_load((root / "workflow/config/paper.yaml").read_text())
    if scale != "paper":
        cfg = merge(cfg, yaml.safe_load((root / f"workflow/config/{scale}.yaml").read_text()))
    return cfg


def jobs(results: Path, figs: Path, cfg: dict) -> dict[str, Job]:
    """The figure rules' jobs: script name -> stand-in job (inputs under ``results``)."""
    r = lambda rel: str(results / rel)  # noqa: E731
    f = lambda name: str(figs / name)  # noqa: E731
    scale = cfg["scale"]

    def pngs_pdfs(names):
        return [f(n + ".png") for n in names] + [f(n + ".pdf") for n in names]

    def table(t):
        return [f(t + ".csv"), f(t + ".md"), f(t + ".png")]

    pinn, ntk, sob, ops, opn = (cfg[k] for k in ("pinn", "ntk", "sobolev", "operators", "open"))
    return {
        "ntk_figures": Job(
            dict(init=r("ntk/init.csv"), runs=r("ntk/runs.csv"),
                 residuals=r("ntk/residuals.csv"), slopes=r("ntk/ntk_slopes.csv")),
            pngs_pdfs(NTK_FIGURES) + table("ntk_slopes"),
            dict(mean_field_activation=ntk["mean_field"]["activation"], scale=scale)),
        "sobolev_figures": Job(
            dict(spectra=r("sobolev/spectra.csv"), curves=r("sobolev/curves.csv"),
                 runs=r("sobolev/runs.csv"), classical=r("sobolev/classical.csv"),
                 decay=r("sobolev/sobolev_decay_exponents.csv")),
            {**{n: f(n + ".png") for n in SOB_FIGURES},
             **{n + "_pdf": f(n + ".pdf") for n in SOB_FIGURES},
             **dict(zip(["table_csv", "table_md", "table_png"],
                        table("sobolev_decay_exponents"), strict=True))},
            dict(fit=sob["spectrum"]["fit"], scale=scale)),
        "operators_figures": Job(
            dict(curves=r("operators/curves.csv"), summary=r("operators/summary.csv"),
                 final_loss=r("operators/operators_final_loss.csv")),
            pngs_pdfs(OPS_FIGURES) + table("operators_final_loss"),
            dict(scale=scale, loss_threshold=ops["loss_threshold"])),
        "open_figures": Job(
            {**{i: r(f"open/{i}.csv") for i in OPEN_IDS},
             "pinn_optimizers": r("pinn/pinn_optimizers.csv")},
            pngs_pdfs(OPEN_FIGURES) + table("open_relu_operators")[:2]
            + table("open_ngd_depth"),
            dict(scale=scale, factor=opn["ngd_dimension"]["factor"],
                 pinn_ngd_lr=pinn["optimizers"]["NGD"]["lr"])),
        "pinn_figures": Job(
            {**{t: r(f"pinn/{t}.csv") for t in PINN_TABLES},
             "rates": r("pinn/convergence_rates.csv"), "conv": r("pinn/convergence.csv"),
             "curves": r("pinn/curves.csv")},
            {"tables": [p for t in PINN_TABLES for p in table(t)],
             "convergence_png": f("pinn_convergence.png"),
             "convergence_pdf": f("pinn_convergence.pdf")},
            dict(lr_problem=pinn["lr_grid"]["problem"],
                 width_problem=pinn["width_ablation"]["problem"],
                 chosen_damping=float(pinn["ngd_solver"]["damping"]), scale=scale)),
        "claims_figure": Job(
            # the scorecard the claims rule wrote beside the tables' own figures
            dict(checks=r("claims/checks.csv"), card=str(results.parent / "figures/claims.csv")),
            dict(png=f("claims.png"), pdf=f("claims.pdf")), dict(scale=scale)),
    }


def run_script(root: Path, name: str, job: Job) -> None:
    """Run ``workflow/scripts/<name>.py`` with ``snakemake`` = ``job``."""
    runpy.run_path(str(root / "workflow/scripts" / f"{name}.py"),
                   init_globals={"snakemake": job}, run_name="__main__")


def draw_all(root: Path, results: Path, figs: Path, scale: str,
             only: list[str] | None = None) -> None:
    """Draw every figure (or the scripts in ``only``) from ``results`` into ``figs``."""
    figs.mkdir(parents=True, exist_ok=True)
    for name, job in jobs(results, figs, config(root, scale)).items():
        if only is None or name in only:
            run_script(root, name, job)
