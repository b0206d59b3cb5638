"""The install specs agree: pyproject.toml (ranges), envs/constraints.txt (the tested set,
exact) and envs/wideopt.yaml (the conda spec of every rule).

- every dependency of pyproject.toml (runtime and the `dev`/`cluster` extras) is pinned in the
  constraints, at a version inside its range;
- the constraints are complete: every package the installed environment needs to satisfy
  those dependencies (followed transitively through the installed metadata) is pinned there;
- the conda spec pins exactly the runtime dependencies and the `cluster` extra, each at its
  constraints version, on the Python version the package allows.
"""

import importlib.metadata as md
import re
import tomllib

import pytest
import yaml
from conftest import ROOT
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
TESTED_EXTRAS = ("dev", "cluster")  # `bench` (benchmarks only) is not part of the tested set


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "envs/constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def _declared(*extras: str) -> list[Requirement]:
    reqs = [Requirement(r) for r in PYPROJECT["dependencies"]]
    for extra in extras:
        reqs += [Requirement(r) for r in PYPROJECT["optional-dependencies"][extra]]
    return reqs


def test_constraints_are_exact_and_unique():
    text = (ROOT / "envs/constraints.txt").read_text()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][A-Za-z0-9_.!\-]*", ln) for ln in lines), [
        ln for ln in lines if "==" not in ln or "+" in ln]
    names = [canonicalize_name(ln.split("==")[0]) for ln in lines]
    assert len(names) == len(set(names))
    assert "wideopt" not in names and "pip" not in names


def test_declared_dependencies_are_pinned_inside_their_ranges():
    pins = _constraints()
    for req in _declared(*TESTED_EXTRAS):
        name = canonicalize_name(req.name)
        assert name in pins, f"{req} (pyproject.toml) is not pinned in envs/constraints.txt"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"envs/constraints.txt pins {name}=={pins[name]}, outside pyproject's {req}")


def _installed(name: str):
    try:
        return md.distribution(name)
    except md.PackageNotFoundError:
        return None


def test_constraints_cover_the_installed_closure():
    """Walk the installed metadata from pyproject's dependencies: every package reached (for
    this platform's markers) is pinned, so an install through the file is fully determined."""
    pins = _constraints()
    env = default_environment()
    todo = [(r, "") for r in _declared(*TESTED_EXTRAS)]
    seen, missing = set(), []
    while todo:
        req, extra = todo.pop()
        if req.marker is not None and not req.marker.evaluate({**env, "extra": extra}):
            continue
        name = canonicalize_name(req.name)
        key = (name, tuple(sorted(req.extras)))
        if key in seen:
            continue
        seen.add(key)
        dist = _installed(name)
        if dist is None:
            continue  # not installed here: nothing to follow (the test of pins above applies)
        if name not in pins:
            missing.append(name)
        for sub in dist.requires or []:
            sub = Requirement(sub)
            extras = req.extras or {""}
            todo += [(sub, e) for e in extras]
    assert not missing, f"installed and needed, but not in envs/constraints.txt: {missing}"
    assert len(seen) > 20  # the walk really followed the metadata


def test_conda_spec_pins_runtime_and_cluster_at_constraint_versions():
    pins = _constraints()
    spec = yaml.safe_load((ROOT / "envs/wideopt.yaml").read_text())
    pip = next(d["pip"] for d in spec["dependencies"] if isinstance(d, dict))
    conda_pins = dict(line.split("==") for line in pip)
    wanted = {canonicalize_name(r.name) for r in _declared("cluster")}
    assert {canonicalize_name(n) for n in conda_pins} == wanted
    for name, version in conda_pins.items():
        assert pins[canonicalize_name(name)] == version, (name, version)
    python = next(d for d in spec["dependencies"] if isinstance(d, str) and d.startswith("python="))
    allowed = PYPROJECT["requires-python"]
    assert Requirement(f"python{allowed}").specifier.contains(Version(python.split("=")[1] + ".0"))


@pytest.mark.parametrize("path", ["README.md", ".ci/run"])
def test_installs_go_through_the_constraints(path):
    """The README's install commands and CI install through the lock, never a bare pin list."""
    text = (ROOT / path).read_text()
    assert "-c envs/constraints.txt" in text
    assert "envs/requirements.txt" not in text
