"""The conda spec for clusters pins exactly the pip set of envs/requirements.txt."""

import yaml
from conftest import ROOT


def test_conda_spec_matches_requirements():
    reqs = {
        line.strip()
        for line in (ROOT / "envs/requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "-e"))
    }
    spec = yaml.safe_load((ROOT / "envs/wideopt.yaml").read_text())
    pip = next(d["pip"] for d in spec["dependencies"] if isinstance(d, dict))
    assert set(pip) == reqs
