"""The published record: re-evaluate the committed scorecard from the committed tables.

The `claims` rule writes, beside the scorecard ``figures/claims.csv``, a small JSON record
``results/claims/inputs.json`` of what each family's evaluators read::

    {"scale": "paper",
     "families": {family: {"tables": {name: "results/<family>/<id>.csv", ...},
                           "settings": {name: value, ...}}}}

Table paths are relative to the directory Snakemake ran in (the repository root). With the
tables and the record committed, :func:`reevaluate` rebuilds the scorecard with the current
evaluators and :func:`card_differences` lists every cell where it differs from the committed
one. ``tests/test_published.py`` asserts there are none: the test fails when the evaluators
and the published results drift apart (then republish: docs/publishing.md).
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from wideopt.analysis.judging.claims import checks_table, evaluate, scorecard


def inputs_record(inputs: Mapping[str, Mapping], families: Mapping[str, list[str]],
                  scale: str) -> str:
    """JSON text of the record above. ``inputs[family]`` maps each table name in
    ``families[family]`` to its path, and each setting name to its value."""
    record = {"scale": scale, "families": {
        fam: {"tables": {k: str(inputs[fam][k]) for k in keys},
              "settings": {k: v for k, v in inputs[fam].items() if k not in keys}}
        for fam, keys in families.items()}}
    return json.dumps(record, indent=1, sort_keys=True) + "\n"


def reevaluate(record_path: str | Path, base: str | Path) -> pd.DataFrame:
    """The scorecard (with its ``scale`` column) from the tables a record names, resolved
    under ``base`` (the repository root), judged by the current evaluators."""
    return reevaluate_with_checks(record_path, base)[0]


def reevaluate_with_checks(record_path: str | Path, base: str | Path
                           ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`reevaluate`'s scorecard and the checks table behind it (what the `claims` rule
    writes to ``results/claims/checks.csv``)."""
    record = json.loads(Path(record_path).read_text())
    base = Path(base)
    missing = [p for f in record["families"].values() for p in f["tables"].values()
               if not (base / p).is_file()]
    if missing:
        raise FileNotFoundError(f"tables named in {record_path} are not under {base}: "
                                f"{', '.join(missing)}")
    inputs = {fam: {k: str(base / p) for k, p in f["tables"].items()} | f["settings"]
              for fam, f in record["families"].items()}
    outcomes = evaluate(inputs)
    return scorecard(inputs, outcomes).assign(scale=record["scale"]), checks_table(outcomes)


def as_csv_text(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as the `claims` rule writes it (:func:`wideopt.io.write_csv`), read back as text."""
    text = df.to_csv(index=False, float_format="%.17g")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def card_differences(committed: pd.DataFrame, fresh: pd.DataFrame) -> list[str]:
    """Every cell where two scorecards differ, as ``claim column: committed != fresh``,
    compared as the text the CSV holds: both go through the CSV writer of the `claims` rule
    and are read back as text (empty cells as "")."""
    a, b = (as_csv_text(df).set_index("claim_id") for df in (committed, fresh))
    diffs = [f"columns: {list(a.columns)} != {list(b.columns)}"] if list(a.columns) != list(
        b.columns) else []
    diffs += [f"claims only in the committed card: {sorted(set(a.index) - set(b.index))}"
              ] if set(a.index) - set(b.index) else []
    diffs += [f"claims only in the fresh card: {sorted(set(b.index) - set(a.index))}"
              ] if set(b.index) - set(a.index) else []
    for cid in a.index.intersection(b.index):
        for col in a.columns.intersection(b.columns):
            if a.at[cid, col] != b.at[cid, col]:
                diffs.append(f"{cid} {col}: {a.at[cid, col]!r} != {b.at[cid, col]!r}")
    return diffs
