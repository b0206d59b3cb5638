"""Compare two runs' records claim by claim and table by table: ``wideopt compare A B``.

A **record** is what a run publishes: the scorecard ``figures/claims.csv`` (columns
``claim_id, experiment, statement, paper_value, reproduced_value, uncertainty, verdict, why,
scale``), the checks behind it ``results/claims/checks.csv`` and the summary tables
``figures/<id>.csv``. ``A`` and ``B`` are each

- an **output root**: a folder holding ``figures/claims.csv`` (``.`` for paper scale,
  ``quick/``, ``gpu/``, any copy), or
- a **git commit** (anything ``git rev-parse`` resolves, in the repository given by
  ``--repo``, default ``.``): its committed paper-scale record, read with
  ``git show <commit>:<path>`` (nothing is checked out).

**Claims.** For every claim on both sides: the verdicts and whether they *flip* (any change
of verdict); the deciding check's value (``results/claims/checks.csv``, the row marked
``deciding``) and its relative difference; the two deciding intervals ``[lo, hi]`` and
whether they overlap, ``max(lo_A, lo_B) <= min(hi_A, hi_B)``; how many of the checks present
on both sides (same claim, group and quantity) have disjoint intervals. Without a
``checks.csv`` the interval is read from the ``uncertainty`` text (``group: [lo, hi] ...``)
and the value is left blank. A claim is listed when its verdict, value text, interval text,
reason or deciding value differ; claims on one side only are listed apart.

**Tables.** By default the summary tables ``figures/<id>.csv`` (one per table id of the
catalogue: what the published figures and Markdown tables show; small, so the whole diff
takes well under a second); with ``--tidy`` also the tidy per-seed tables
``results/<family>/*.csv`` the claims read. Rows are matched on their *key* columns: every
column that is neither numeric nor boolean nor a text value (:data:`TEXT_VALUE_COLUMNS`:
a run's ``status``), plus the grid coordinates in
:data:`KEY_COLUMNS` (width, seed, lr, ...), compared as the text the CSV holds (rows with
equal keys are told apart by their order). Every other column is a *value*; timing columns
(:data:`TIMING_COLUMNS`, wall-clock seconds, which differ on every run) are skipped. A numeric
cell differs when its relative difference

    r(a, b) = |a - b| / max(|a|, |b|)

exceeds ``rtol`` (default :data:`RTOL` = 1e-6: values agreeing to about six significant
digits are the same; reruns on one machine are bitwise equal, other machines and BLAS builds
agree to ~1e-12). ``r = 0`` when ``a == b`` (both zero, equal infinities, or both missing);
``r = inf`` when one side is missing (NaN or empty) and the other is not. A boolean or
status cell differs when its text differs. Rows or tables on one side only (another
scale's widths, a family not run) are listed, not an error.

**Output.** Markdown on stdout (a pull-request comment), with a first line saying when the two
scales differ (then different verdicts are expected: claims are judged at paper scale);
``--csv PATH`` (``-`` for stdout instead of the Markdown) writes every difference as one long
table, columns :data:`CSV_COLUMNS`.

**Exit status.** 0: no verdict flips (tables may differ); 1: at least one verdict flips;
2: an input cannot be read (a missing folder, a commit without a record, a corrupt table), with
a message naming what is missing.

Torch-free: reads only CSV text.
"""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

RTOL = 1e-6
CARD = "figures/claims.csv"
CHECKS = "results/claims/checks.csv"
CARD_COLUMNS = ["claim_id", "verdict", "reproduced_value", "uncertainty", "why"]
# Grid coordinates that are numbers but identify a row (not a measured value).
KEY_COLUMNS = frozenset({"width", "seed", "n", "d", "a", "dim", "depth", "layer", "multiple",
                         "epochs", "lr", "damping", "alpha", "step", "k", "degree"})
# Wall-clock times: differ on every run, never a result.
# Text columns that are values, not keys: a run's status ("ok", "diverged", "not reached")
# belongs to the row of its grid point and is compared as text, like a boolean.
TEXT_VALUE_COLUMNS = frozenset({"status"})
TIMING_COLUMNS = frozenset({"wall_s", "train_seconds", "seconds_per_epoch", "hessian_seconds",
                            "net_hessian_seconds"})
CSV_COLUMNS = ["kind", "item", "key", "column", "a", "b", "rel_diff", "note"]
MARKDOWN_LIMIT = 20


class CompareError(Exception):
    """An input cannot be read; the message names the side and what is missing."""


# ----------------------------------------------------------------------------- records

class Record:
    """Read access to one run's record: a folder, or a commit of a git repository."""

    label: str

    def read(self, rel: str) -> str | None:
        """The text of ``rel`` (a path relative to the record's root), ``None`` if absent."""
        raise NotImplementedError

    def files(self, folder: str) -> list[str]:
        """Paths (relative to the root) of the files directly under ``folder``."""
        raise NotImplementedError


@dataclass
class FolderRecord(Record):
    root: Path
    label: str = ""

    def read(self, rel: str) -> str | None:
        path = self.root / rel
        if not path.is_file():
            return None
        try:
            return path.read_bytes().decode()
        except UnicodeDecodeError as e:
            raise CompareError(f"{self.label}: {path} is not text ({e})") from e

    def files(self, folder: str) -> list[str]:
        d = self.root / folder
        return sorted(str(PurePosixPath(folder) / p.name) for p in d.iterdir()
                      if p.is_file()) if d.is_dir() else []


@dataclass
class CommitRecord(Record):
    repo: Path
    commit: str
    label: str = ""
    _tree: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._tree = _git(self.repo, "ls-tree", "-r", "--name-only", self.commit).splitlines()

    def read(self, rel: str) -> str | None:
        if rel not in self._tree:
            return None
        raw = subprocess.run(["git", "-C", str(self.repo), "show", f"{self.commit}:{rel}"],
                             capture_output=True, check=True).stdout
        try:
            return raw.decode()
        except UnicodeDecodeError as e:
            raise CompareError(f"{self.label}: {rel} at commit {self.commit} is not text "
                               f"({e})") from e

    def files(self, folder: str) -> list[str]:
        return sorted(p for p in self._tree if str(PurePosixPath(p).parent) == folder)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


def open_record(spec: str, side: str, repo: str | Path = ".") -> Record:
    """The record named by ``spec`` (a folder, else a commit of ``repo``); ``side`` ("A" or
    "B") labels it in messages. Raises :class:`CompareError` when neither exists or it holds
    no scorecard."""
    path = Path(spec)
    if path.is_dir():
        record: Record = FolderRecord(path, f"`{spec}`")
        where = f"folder '{spec}'"
    else:
        try:
            sha = _git(Path(repo), "rev-parse", "--verify", "--quiet",
                       f"{spec}^{{commit}}").strip()
        except (OSError, subprocess.CalledProcessError):
            raise CompareError(f"{side}: '{spec}' is neither a folder nor a commit of the git "
                               f"repository at '{repo}'") from None
        record = CommitRecord(Path(repo), sha, f"`{spec}` (commit {sha[:12]})")
        where = f"commit {sha[:12]}"
    record.label = f"{side} {record.label}"
    if record.read(CARD) is None:
        raise CompareError(f"{side}: {where} holds no record: {CARD} is missing (an output "
                           "root has figures/claims.csv and results/ under it; at a commit, "
                           "the published paper-scale record)")
    return record


def read_table(record: Record, rel: str, dtype=str) -> pd.DataFrame | None:
    """``rel`` as a table of text cells (empty cells ""), ``None`` if absent; a file that is
    not a readable CSV raises :class:`CompareError` naming it."""
    text = record.read(rel)
    if text is None:
        return None
    try:
        return pd.read_csv(io.StringIO(text), dtype=dtype, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as e:
        raise CompareError(f"{record.label}: {rel} is not a readable CSV table ({e})") from e


# ----------------------------------------------------------------------------- numbers

def rel_diff(a, b) -> np.ndarray:
    """Elementwise ``|a - b| / max(|a|, |b|)``: 0 where equal (both NaN included), inf where
    exactly one is NaN."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.abs(a - b) / np.maximum(np.abs(a), np.abs(b))
    r = np.where(np.isnan(a) != np.isnan(b), np.inf, r)
    return np.where((a == b) | (np.isnan(a) & np.isnan(b)), 0.0, r)


def _num(text: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return float("nan")


def _fmt(x: float) -> str:
    return "" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.4g}"


# ----------------------------------------------------------------------------- claims

INTERVAL = re.compile(r"^(?P<group>.*?): \[(?P<lo>[^,\]]+), (?P<hi>[^\]]+)\]")


@dataclass(frozen=True)
class Decider:
    """A claim's deciding check: group, value and interval ``[lo, hi]``."""

    group: str
    value: float
    lo: float
    hi: float

    def interval(self) -> str:
        return "" if np.isnan(self.lo) else f"[{_fmt(self.lo)}, {_fmt(self.hi)}]"


def deciders(card: pd.DataFrame, checks: pd.DataFrame | None) -> dict[str, Decider]:
    """Per claim, its deciding check from ``checks`` (else parsed from ``uncertainty``)."""
    out = {}
    if checks is not None and {"claim_id", "deciding", "lo", "hi"} <= set(checks.columns):
        for r in checks[checks["deciding"] == "True"].itertuples():
            out[r.claim_id] = Decider(r.group, _num(r.value), _num(r.lo), _num(r.hi))
    for r in card.itertuples():
        m = INTERVAL.match(r.uncertainty)
        if r.claim_id not in out and m:
            out[r.claim_id] = Decider(m["group"], float("nan"), _num(m["lo"]), _num(m["hi"]))
        elif r.claim_id not in out and r.uncertainty.split(": ")[-1].startswith("exact"):
            out[r.claim_id] = Decider(r.uncertainty.split(": ")[0], *[float("nan")] * 3)
    return out


def overlap(a: Decider | None, b: Decider | None) -> str:
    """"yes"/"no" for two intervals; "" when either is unknown."""
    if a is None or b is None or np.isnan([a.lo, a.hi, b.lo, b.hi]).any():
        return ""
    return "yes" if max(a.lo, b.lo) <= min(a.hi, b.hi) else "no"


def disjoint_checks(ca: pd.DataFrame | None, cb: pd.DataFrame | None) -> dict[str, str]:
    """Per claim, "k of n": checks on both sides (same group and quantity) whose intervals are
    disjoint, of those shared."""
    if ca is None or cb is None:
        return {}
    key = ["claim_id", "group", "quantity"]
    if not all(set(key + ["lo", "hi"]) <= set(c.columns) for c in (ca, cb)):
        return {}
    m = ca[key + ["lo", "hi"]].merge(cb[key + ["lo", "hi"]], on=key, suffixes=("_a", "_b"))
    lo = np.maximum(m.lo_a.map(_num), m.lo_b.map(_num))
    hi = np.minimum(m.hi_a.map(_num), m.hi_b.map(_num))
    m["disjoint"] = lo > hi
    return {cid: f"{int(g.disjoint.sum())} of {len(g)}" for cid, g in m.groupby("claim_id")}


@dataclass
class ClaimDiff:
    claim_id: str
    verdict_a: str
    verdict_b: str
    value_a: float
    value_b: float
    interval_a: str
    interval_b: str
    overlap: str
    disjoint: str
    changed: list[str]

    @property
    def flip(self) -> bool:
        return self.verdict_a != self.verdict_b


def compare_claims(card_a: pd.DataFrame, card_b: pd.DataFrame, checks_a=None, checks_b=None,
                   rtol: float = RTOL) -> tuple[list[ClaimDiff], list[str], list[str], int]:
    """``(differences, only in A, only in B, claims on both sides)`` of two scorecards
    (text cells) and their checks tables (text cells, or ``None``)."""
    for side, card in (("A", card_a), ("B", card_b)):
        missing = [c for c in CARD_COLUMNS if c not in card.columns]
        if missing:
            raise CompareError(f"{side}: {CARD} lacks the columns {missing}")
    a, b = (c.set_index("claim_id") for c in (card_a, card_b))
    da, db = deciders(card_a, checks_a), deciders(card_b, checks_b)
    disjoint = disjoint_checks(checks_a, checks_b)
    shared = [c for c in a.index if c in b.index]
    diffs = []
    for cid in shared:
        x, y = da.get(cid), db.get(cid)
        va, vb = (d.value if d else float("nan") for d in (x, y))
        changed = [c for c in CARD_COLUMNS[1:] if a.at[cid, c] != b.at[cid, c]]
        if rel_diff(va, vb) > rtol:
            changed.append("deciding value")
        if x and y and x.group != y.group:
            changed.append("deciding group")
        if changed:
            diffs.append(ClaimDiff(cid, a.at[cid, "verdict"], b.at[cid, "verdict"], va, vb,
                                   x.interval() if x else "", y.interval() if y else "",
                                   overlap(x, y), disjoint.get(cid, ""), changed))
    only_a = [c for c in a.index if c not in b.index]
    only_b = [c for c in b.index if c not in a.index]
    return diffs, only_a, only_b, len(shared)


# ----------------------------------------------------------------------------- tables

def split_columns(df: pd.DataFrame) -> tuple[list[str], list[str], list[str]]:
    """``(keys, numeric values, boolean values)`` of a table of text cells (see module doc)."""
    keys, nums, bools = [], [], []
    for c in df.columns:
        cells = df[c][df[c] != ""]
        if c in TIMING_COLUMNS:
            continue
        if c in KEY_COLUMNS:
            keys.append(c)
        elif c in TEXT_VALUE_COLUMNS or (len(cells) and cells.isin(["True", "False"]).all()):
            bools.append(c)
        elif pd.to_numeric(cells, errors="coerce").notna().all() and len(cells):
            nums.append(c)
        elif len(cells) == 0:
            nums.append(c)
        else:
            keys.append(c)
    return keys, nums, bools


@dataclass
class TableDiff:
    table: str
    cells: pd.DataFrame  # key, column, a, b, rel_diff
    only_a: list[str]
    only_b: list[str]
    rows: int = 0
    columns_only_a: list[str] = field(default_factory=list)
    columns_only_b: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(len(self.cells) or self.only_a or self.only_b or self.columns_only_a
                    or self.columns_only_b)


def _keyed(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``df`` indexed by the text of its key columns (plus the occurrence of that key)."""
    text = pd.Series([""] * len(df), index=df.index, dtype=object)
    for i, k in enumerate(keys):
        text = text + (", " if i else "") + f"{k}=" + df[k].astype(str)
    occ = text.groupby(text).cumcount()
    label = text.where(occ == 0, text + " #" + (occ + 1).astype(str))
    return df.set_index(label.rename("key"))


def compare_table(name: str, ta: pd.DataFrame, tb: pd.DataFrame, rtol: float = RTOL
                  ) -> TableDiff:
    """Cells of two versions of one table (text cells) whose values differ (module doc)."""
    ka, na, ba = split_columns(ta)
    kb, nb, bb = split_columns(tb)
    keys = [k for k in ka if k in kb] if ka != kb else ka
    a, b = _keyed(ta, keys), _keyed(tb, keys)
    shared = a.index.intersection(b.index, sort=False)
    rows = []
    for col in [c for c in ta.columns if c in tb.columns and c not in keys
                and c not in TIMING_COLUMNS]:
        x, y = a.loc[shared, col], b.loc[shared, col]
        if col in na and col in nb:
            r = rel_diff(pd.to_numeric(x, errors="coerce"), pd.to_numeric(y, errors="coerce"))
            bad = r > rtol
        else:
            r = np.where(x.to_numpy() != y.to_numpy(), np.inf, 0.0)
            bad = r > 0
        rows += [dict(key=k, column=col, a=u, b=v, rel_diff=d)
                 for k, u, v, d in zip(shared[bad], x[bad], y[bad], r[bad], strict=True)]
    cells = pd.DataFrame(rows, columns=["key", "column", "a", "b", "rel_diff"])
    return TableDiff(name, cells, [k for k in a.index if k not in b.index],
                     [k for k in b.index if k not in a.index], len(shared),
                     [c for c in ta.columns if c not in tb.columns],
                     [c for c in tb.columns if c not in ta.columns])


def table_paths(record: Record, tidy: bool) -> list[str]:
    """The tables compared: figures/*.csv but the scorecard; with ``tidy`` results/*/*.csv."""
    paths = [p for p in record.files("figures") if p.endswith(".csv") and p != CARD]
    if tidy:
        for folder in sorted({str(PurePosixPath(p).parent)
                              for p in _all_under(record, "results")}):
            paths += [p for p in record.files(folder) if p.endswith(".csv")]
    return paths


def _all_under(record: Record, top: str) -> list[str]:
    if isinstance(record, CommitRecord):
        return [p for p in record._tree if p.startswith(top + "/") and p.count("/") == 2]
    root = record.root / top
    return [str(p.relative_to(record.root).as_posix()) for p in root.glob("*/*.csv")] \
        if root.is_dir() else []


# ----------------------------------------------------------------------------- comparison

@dataclass
class Comparison:
    label_a: str
    label_b: str
    scale_a: str
    scale_b: str
    rtol: float
    claims: list[ClaimDiff]
    claims_only_a: list[str]
    claims_only_b: list[str]
    claims_shared: int
    tables: list[TableDiff]
    tables_only_a: list[str]
    tables_only_b: list[str]

    @property
    def flips(self) -> list[ClaimDiff]:
        return [c for c in self.claims if c.flip]

    @property
    def empty(self) -> bool:
        return not (self.claims or self.claims_only_a or self.claims_only_b
                    or any(self.tables) or self.tables_only_a or self.tables_only_b)


def _scale(card: pd.DataFrame) -> str:
    return ", ".join(sorted(set(card["scale"]))) if "scale" in card.columns else "unknown"


def compare(a: Record, b: Record, rtol: float = RTOL, tidy: bool = False,
            tables: bool = True) -> Comparison:
    """Every difference between records ``a`` and ``b`` (module doc)."""
    card_a, card_b = read_table(a, CARD), read_table(b, CARD)
    claims, only_a, only_b, shared = compare_claims(
        card_a, card_b, read_table(a, CHECKS), read_table(b, CHECKS), rtol)
    diffs, t_only_a, t_only_b = [], [], []
    if tables:
        pa, pb = table_paths(a, tidy), table_paths(b, tidy)
        t_only_a = [p for p in pa if p not in pb]
        t_only_b = [p for p in pb if p not in pa]
        for p in [p for p in pa if p in pb]:
            diffs.append(compare_table(p, read_table(a, p), read_table(b, p), rtol))
    return Comparison(a.label, b.label, _scale(card_a), _scale(card_b), rtol, claims,
                      only_a, only_b, shared, diffs, t_only_a, t_only_b)


# ----------------------------------------------------------------------------- output

def _short(text: str) -> str:
    """A cell's text, numbers to 6 significant digits (the CSV output keeps every digit)."""
    x = _num(text)
    return text if np.isnan(x) or text in ("True", "False") else f"{x:.6g}"


def _md_cell(x) -> str:
    return str(x).replace("|", "\\|").replace("\n", " ")


def _md_table(header: Sequence[str], rows: list[Sequence]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows)]


def markdown(c: Comparison, limit: int = MARKDOWN_LIMIT) -> str:
    """The comparison as Markdown (at most ``limit`` cells listed per table; 0: all)."""
    lines = [f"# wideopt compare: {c.label_a} vs {c.label_b}", ""]
    if c.scale_a != c.scale_b:
        lines += [f"**The scales differ: A is {c.scale_a}, B is {c.scale_b}.** Claims are "
                  "judged at paper scale, so verdicts of another scale are expected to differ, "
                  "and rows of widths or seeds run at one scale only are listed apart.", ""]
    else:
        lines += [f"Both at scale **{c.scale_a}**.", ""]
    if c.empty:
        return "\n".join(lines + ["No differences: the two records agree claim by claim and "
                                  f"cell by cell (rtol {c.rtol:g})."]) + "\n"
    lines += [f"## Claims: {len(c.flips)} verdict flip(s), {len(c.claims)} claim(s) changed, "
              f"of {c.claims_shared} on both sides", ""]
    if c.claims:
        lines += _md_table(
            ["claim", "verdict A", "verdict B", "flip", "value A", "value B", "rel. diff",
             "interval A", "interval B", "overlap", "disjoint checks", "changed"],
            [[d.claim_id, d.verdict_a, d.verdict_b, "**flip**" if d.flip else "",
              _fmt(d.value_a), _fmt(d.value_b), _fmt(float(rel_diff(d.value_a, d.value_b))),
              d.interval_a, d.interval_b, d.overlap, d.disjoint, ", ".join(d.changed)]
             for d in c.claims]) + [""]
    for side, ids in (("A", c.claims_only_a), ("B", c.claims_only_b)):
        if ids:
            lines += [f"Claims only in {side}: {', '.join(ids)}", ""]
    changed = [t for t in c.tables if t]
    lines += [f"## Tables: {len(changed)} of {len(c.tables)} on both sides differ "
              f"(relative difference > {c.rtol:g}; timing columns skipped)", ""]
    for side, paths in (("A", c.tables_only_a), ("B", c.tables_only_b)):
        if paths:
            lines += [f"Tables only in {side}: {', '.join(paths)}", ""]
    for t in changed:
        lines += [f"### {t.table}: {len(t.cells)} cell(s) differ; rows only in A: "
                  f"{len(t.only_a)}, only in B: {len(t.only_b)}, on both: {t.rows}", ""]
        shown = t.cells if not limit else t.cells.head(limit)
        if len(shown):
            lines += _md_table(["row", "column", "A", "B", "rel. diff"],
                               [[r.key, r.column, _short(r.a), _short(r.b), _fmt(r.rel_diff)]
                                for r in shown.itertuples()])
            if len(shown) < len(t.cells):
                lines.append(f"... and {len(t.cells) - len(shown)} more (--limit 0 or --csv "
                             "lists all)")
            lines.append("")
        for side, cols in (("A", t.columns_only_a), ("B", t.columns_only_b)):
            if cols:
                lines += [f"Columns only in {side}: {', '.join(cols)}", ""]
        for side, keys in (("A", t.only_a), ("B", t.only_b)):
            if keys:
                some = keys if not limit else keys[:limit]
                more = f" ... and {len(keys) - len(some)} more" if len(some) < len(keys) else ""
                lines += [f"Rows only in {side}: " + "; ".join(some) + more, ""]
    return "\n".join(lines) + "\n"


def rows(c: Comparison) -> pd.DataFrame:
    """Every difference as one long table, columns :data:`CSV_COLUMNS`."""
    out = []
    if c.scale_a != c.scale_b:
        out.append(dict(kind="scale", a=c.scale_a, b=c.scale_b, note="scales differ"))
    for d in c.claims:
        out.append(dict(kind="claim", item=d.claim_id, column="verdict", a=d.verdict_a,
                        b=d.verdict_b, note="flip" if d.flip else ""))
        out.append(dict(kind="claim", item=d.claim_id, column="deciding value",
                        a=_fmt(d.value_a), b=_fmt(d.value_b),
                        rel_diff=float(rel_diff(d.value_a, d.value_b))))
        out.append(dict(kind="claim", item=d.claim_id, column="interval", a=d.interval_a,
                        b=d.interval_b, note=f"overlap: {d.overlap or 'unknown'}; disjoint "
                                             f"checks: {d.disjoint or 'unknown'}; changed: "
                                             + ", ".join(d.changed)))
    for side, ids in (("A", c.claims_only_a), ("B", c.claims_only_b)):
        out += [dict(kind="claim only", item=i, note=f"only in {side}") for i in ids]
    for side, paths in (("A", c.tables_only_a), ("B", c.tables_only_b)):
        out += [dict(kind="table only", item=p, note=f"only in {side}") for p in paths]
    for t in c.tables:
        out += [dict(kind="cell", item=t.table, key=r.key, column=r.column, a=r.a, b=r.b,
                     rel_diff=r.rel_diff) for r in t.cells.itertuples()]
        for side, cols in (("A", t.columns_only_a), ("B", t.columns_only_b)):
            out += [dict(kind="column only", item=t.table, column=col, note=f"only in {side}")
                    for col in cols]
        for side, keys in (("A", t.only_a), ("B", t.only_b)):
            out += [dict(kind="row only", item=t.table, key=k, note=f"only in {side}")
                    for k in keys]
    return pd.DataFrame(out, columns=CSV_COLUMNS)


def main(argv: Sequence[str] | None = None) -> int:
    """``wideopt compare A B [--rtol R] [--tidy] [--csv PATH] [--limit N] [--repo DIR]``."""
    p = argparse.ArgumentParser(
        prog="wideopt compare",
        description="Compare two runs' records (an output root such as '.' or 'quick/', or a "
                    "git commit): verdict flips, value changes, interval overlap, and the "
                    "table cells whose relative difference exceeds --rtol. Exit 0: no verdict "
                    "flips; 1: some verdict flips; 2: an input cannot be read.")
    p.add_argument("a", help="output root folder or git commit (A)")
    p.add_argument("b", help="output root folder or git commit (B)")
    p.add_argument("--rtol", type=float, default=RTOL,
                   help=f"relative difference above which a cell differs (default {RTOL:g})")
    p.add_argument("--tidy", action="store_true",
                   help="also compare the tidy tables results/<family>/*.csv")
    p.add_argument("--csv", metavar="PATH",
                   help="write every difference as CSV to PATH ('-': stdout, no Markdown)")
    p.add_argument("--limit", type=int, default=MARKDOWN_LIMIT,
                   help=f"cells listed per table in the Markdown (default {MARKDOWN_LIMIT}; "
                        "0: all)")
    p.add_argument("--repo", default=".", help="git repository of commit arguments "
                                                "(default '.')")
    args = p.parse_args(argv)
    try:
        c = compare(open_record(args.a, "A", args.repo), open_record(args.b, "B", args.repo),
                    rtol=args.rtol, tidy=args.tidy)
    except CompareError as e:
        print(f"wideopt compare: {e}", file=sys.stderr)
        return 2
    if args.csv == "-":
        rows(c).to_csv(sys.stdout, index=False)
    else:
        sys.stdout.write(markdown(c, args.limit))
        if args.csv:
            rows(c).to_csv(args.csv, index=False)
    return 1 if c.flips else 0


if __name__ == "__main__":
    sys.exit(main())
