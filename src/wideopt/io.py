"""Files between rules: written atomically, read back with errors that name the file.

Writing: every file the pipeline writes appears whole or not at all. A job killed mid-write
leaves only a hidden temporary file beside the target (never a truncated target), so an
interrupted run can be resumed safely.

Reading: every file a rule wrote is read back through :func:`read_npz` or :func:`read_csv`. A
file damaged after the fact (a full disk, a copy cut short, an edit by hand) raises
:class:`CorruptFileError`, whose message names the file, says what is wrong with it, and that
deleting it and rerunning Snakemake regenerates it; never a bare ``BadZipFile``.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd


class CorruptFileError(ValueError):
    """A file that a rule wrote cannot be read back; the message says which and why."""

    def __init__(self, path: str | os.PathLike, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(
            f"{self.path}: {problem}. This file was written by a rule of the pipeline and is "
            f"damaged (e.g. truncated); delete it (rm '{self.path}') and rerun the same "
            "snakemake command: the rule that wrote it runs again and regenerates it."
        )


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it onto ``path`` on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o666 & ~umask)  # mkstemp creates 0600; outputs get the usual permissions
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_csv(df: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a tidy table as CSV (no index), atomically, with full float precision."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, float_format="%.17g")


def write_text(text: str, path: str | os.PathLike) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text)


def write_npz(path: str | os.PathLike, meta: dict, **arrays: np.ndarray) -> None:
    """Write float64 arrays plus a ``meta`` JSON string (generator parameters, seed)."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            np.savez(fh, meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)


def read_npz(path: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict]:
    """Return ``(arrays, meta)`` from a file written by :func:`write_npz`.

    Raises :class:`CorruptFileError` (naming ``path``) if the file is not a readable ``.npz``
    archive (empty, truncated, bad checksum) or its ``meta`` is not JSON; a missing file raises
    the usual ``FileNotFoundError``.
    """
    try:
        with np.load(path, allow_pickle=False) as z:
            if not isinstance(z, np.lib.npyio.NpzFile):
                raise CorruptFileError(path, "is not an .npz archive (a single array)")
            arrays = {k: z[k] for k in z.files if k != "meta"}
            meta = json.loads(str(z["meta"])) if "meta" in z.files else {}
    except (FileNotFoundError, IsADirectoryError, PermissionError, CorruptFileError):
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, KeyError) as err:
        # Truncated: BadZipFile ("File is not a zip file"); empty: EOFError; cut below the zip
        # signature: ValueError (numpy falls back to pickle, refused); bad member: zlib/CRC.
        raise CorruptFileError(
            path, f"cannot be read as an .npz archive ({type(err).__name__}: {err})"
        ) from err
    return arrays, meta


def read_csv(
    path: str | os.PathLike, columns: Sequence[str] = (), **kwargs
) -> pd.DataFrame:
    """Read a table written by :func:`write_csv` (``pandas.read_csv(path, **kwargs)``).

    Raises :class:`CorruptFileError` (naming ``path``) if the file is empty, does not end
    with a line break (``write_csv`` always ends with one, so the file was cut short), cannot
    be parsed, or lacks one of ``columns``; a missing file raises ``FileNotFoundError``.
    """
    path = Path(path)
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        if size:
            fh.seek(-1, os.SEEK_END)
            last = fh.read(1)
    if size == 0:
        raise CorruptFileError(path, "is empty (0 bytes), not a CSV table")
    if last != b"\n":
        raise CorruptFileError(path, "ends in the middle of a line: the table was cut short")
    try:
        df = pd.read_csv(path, **kwargs)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise CorruptFileError(
            path, f"cannot be parsed as CSV ({type(err).__name__}: {err})"
        ) from err
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise CorruptFileError(path, f"lacks the column(s) {missing} (has {list(df.columns)})")
    return df
