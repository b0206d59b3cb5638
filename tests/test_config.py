"""A bad config stops at parse time, before any job, with the offending key named."""

import copy
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, snakemake
from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

SCHEMA = str(ROOT / "workflow/schemas/config.schema.yaml")


def paper():
    return yaml.safe_load((ROOT / "workflow/config/paper.yaml").read_text())


def test_paper_and_quick_configs_are_valid():
    validate(paper(), SCHEMA)
    cfg = paper()
    quick = yaml.safe_load((ROOT / "workflow/config/quick.yaml").read_text())

    def merge(base, over):
        for k, v in over.items():
            if isinstance(v, dict) and isinstance(base.get(k), dict):
                merge(base[k], v)
            else:
                base[k] = v

    merge(cfg, quick)
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
