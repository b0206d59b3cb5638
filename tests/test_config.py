"""A bad config stops at parse time, before any job, with the offending key named."""

import copy
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, snakemake
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

from wideopt.config import scale_config

SCHEMA = str(ROOT / "workflow/schemas/config.schema.yaml")


def paper():
    return scale_config(ROOT)


def test_paper_config_is_valid():
    validate(paper(), SCHEMA)


@pytest.mark.parametrize("scale", ["quick", "gpu"])
def test_override_configs_are_valid_and_write_under_their_own_root(scale):
    cfg = scale_config(ROOT, scale)
    assert cfg["scale"] == scale
    validate(cfg, SCHEMA)


def _set(cfg, path, value):
    node = cfg
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return cfg


BAD = {
    "unknown key": ((["ntk", "widthz"], [10]), "widthz"),
    "wrong type": ((["ntk", "train", "steps"], "many"), "many"),
    "width <= 0": ((["ntk", "widths"], [10, 0]), "minimum"),
    "empty width list": ((["ntk", "widths"], []), "widths"),
    "unknown activation": ((["ntk", "activations"], ["relu", "swish"]), "swish"),
    "negative lr": ((["ntk", "train", "lr"], -1.0), "lr"),
    # every other section (pinn, operators, sobolev) gets the same treatment
    "pinn: unknown key": ((["pinn", "convergence", "stepz"], 3), "stepz"),
    "pinn: width 0": ((["pinn", "width"], 0), "minimum"),
    "pinn: negative NGD lr": ((["pinn", "optimizers", "NGD", "lr"], -0.1), "-0.1"),
    "pinn: unknown problem": ((["pinn", "lr_grid", "problem"], "wave3d"), "wave3d"),
    "operators: unknown problem": ((["operators", "problems"], ["antiderivative", "heat"]),
                                   "heat"),
    "operators: epochs as text": ((["operators", "fno", "train", "epochs"], "twelve"),
                                  "twelve"),
    "operators: width 0": ((["operators", "widths"], [10, 0]), "minimum"),
    "sobolev: unknown key": ((["sobolev", "train", "stepz"], 3), "stepz"),
    "sobolev: negative alpha": ((["sobolev", "alphas"], [0.5, -1]), "minimum"),
    "sobolev: unknown activation": ((["sobolev", "spectrum", "activations"], ["relu", "swish"]),
                                    "swish"),
    "open: unknown key": ((["open", "radius", "stepz"], 7), "stepz"),
    "open: too few bisection steps": ((["open", "radius", "steps"], 3), "minimum"),
    "open: unknown PINN problem": ((["open", "ngd_depth", "problems"], ["wave3d"]), "wave3d"),
}

# A required key removed: the error names it.
MISSING = {
    "ntk": ["ntk", "train", "steps"],
    "pinn": ["pinn", "problems", "poisson1d", "epochs"],
    "operators": ["operators", "fno", "train", "batch_size"],
    "sobolev": ["sobolev", "train", "widths"],
    "open": ["open", "ngd_dimension", "factor"],
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_schema_rejects_bad_values(case):
    (path, value), expected = BAD[case]
    cfg = _set(copy.deepcopy(paper()), path, value)
    with pytest.raises(WorkflowError) as err:
        validate(cfg, SCHEMA)
    message = str(err.value)
    assert expected in message
    assert path[-1] in message or path[-2] in message


@pytest.mark.parametrize("section", sorted(MISSING))
def test_schema_rejects_a_missing_required_key(section):
    path = MISSING[section]
    cfg = copy.deepcopy(paper())
    node = cfg
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    with pytest.raises(WorkflowError) as err:
        validate(cfg, SCHEMA)
    assert f"'{path[-1]}' is a required property" in str(err.value)


@pytest.mark.parametrize("case", ["unknown key", "width <= 0", "unknown activation"])
def test_snakemake_stops_before_any_job(tmp_path: Path, case):
    (path, value), expected = BAD[case]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(_nested(path, value)))  # an override file, as quick.yaml is
    proc = snakemake(ROOT, "-n", "figures", "--configfile", str(bad), check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert expected in out and path[-1] in out
    assert "Job stats" not in out


def _nested(path, value):
    return {path[0]: _nested(path[1:], value)} if len(path) > 1 else {path[0]: value}
