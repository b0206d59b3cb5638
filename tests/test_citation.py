"""LICENSE and CITATION.cff: the citation file is valid CFF 1.2.0 and cites the four sources.

The CFF 1.2.0 JSON schema is kept in the repository (tests/data/cff-1.2.0.schema.json; its
source, commit and SHA-256 in tests/data/README.md), so the test runs offline.
"""

import hashlib
import json
import re

import jsonschema
import pytest
import yaml
from conftest import ROOT

SCHEMA = ROOT / "tests/data/cff-1.2.0.schema.json"
# The arXiv ids of the README's source table; the lecture notes (family D) have none.
ARXIV = {"2502.00705", "2309.04860", "2408.00573"}


def cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text())


def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA.read_text())
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    digest = hashlib.sha256(SCHEMA.read_bytes()).hexdigest()
    assert digest in (ROOT / "tests/data/README.md").read_text(), "schema changed: see its README"
    return jsonschema.Draft7Validator(schema,
                                      format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_citation_file_is_valid_cff_1_2_0():
    errors = sorted(validator().iter_errors(cff()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.mark.parametrize("broken", [
    {"cff-version": "1.2.0"},                                           # no title, authors...
    {**{"cff-version": "1.2.0", "message": "m", "title": "t"}, "authors": []},
    {**{"cff-version": "1.2.0", "message": "m", "title": "t", "authors": [{"name": "a"}]},
     "references": [{"title": "no type, no authors"}]},
])
def test_the_schema_rejects_broken_files(broken):
    assert list(validator().iter_errors(broken))


def test_citation_cites_the_four_sources_and_the_licence():
    data = cff()
    refs = data["references"]
    assert len(refs) == 4
    readme = (ROOT / "README.md").read_text()
    assert ARXIV <= set(re.findall(r"arXiv (\d{4}\.\d{5})", readme))
    cited = {i["value"].removeprefix("arXiv:") for r in refs for i in r.get("identifiers", [])
             if i["type"] == "other"}
    assert cited == ARXIV
    for r in refs:   # the README's source table names each (its first four words)
        assert " ".join(r["title"].split()[:4]).rstrip(",") in readme, r["title"]
    assert data["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
