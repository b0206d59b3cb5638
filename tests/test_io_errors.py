"""A damaged file between rules names itself (issue 12, part 9).

Each kind of file a rule writes and another reads (``.npz`` data, ``.csv`` tables) is written
by ``wideopt.io``, damaged, and read back: the error must name the file, say what is wrong and
that deleting it and rerunning regenerates it.
"""

import numpy as np
import pandas as pd
import pytest

from wideopt.io import CorruptFileError, read_csv, read_npz, write_csv, write_npz


@pytest.fixture
def npz(tmp_path):
    path = tmp_path / "results/data/burgers.npz"
    write_npz(path, {"seed": 0}, u=np.arange(4000.0).reshape(40, 100), s=np.ones((40, 100)))
    return path


@pytest.fixture
def csv(tmp_path):
    path = tmp_path / "results/ntk/runs.csv"
    df = pd.DataFrame({"width": np.arange(50), "seed": 0, "loss": np.linspace(0, 1, 50) / 3})
    write_csv(df, path)
    return path


def _cut(path, keep):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def _assert_names_itself(err, path):
    msg = str(err.value)
    assert str(path) in msg
    assert "delete it" in msg and "rerun" in msg
    assert err.value.path == path


def test_intact_files_round_trip(npz, csv):
    arrays, meta = read_npz(npz)
    assert meta == {"seed": 0} and arrays["u"].shape == (40, 100)
    assert list(read_csv(csv, columns=["width", "loss"]).columns) == ["width", "seed", "loss"]


@pytest.mark.parametrize("keep", [0.0, 0.002, 0.5, 0.99])
def test_truncated_npz_names_the_file(npz, keep):
    _cut(npz, keep)
    with pytest.raises(CorruptFileError) as err:
        read_npz(npz)
    _assert_names_itself(err, npz)


def test_npz_with_a_damaged_member_names_the_file(npz):
    data = bytearray(npz.read_bytes())
    mid = len(data) // 3
    data[mid : mid + 64] = bytes(64)  # inside the first array's bytes: CRC mismatch
    npz.write_bytes(bytes(data))
    with pytest.raises(CorruptFileError) as err:
        read_npz(npz)
    _assert_names_itself(err, npz)


@pytest.mark.parametrize("keep", [0.0, 0.5, 0.97])
def test_truncated_csv_names_the_file(csv, keep):
    _cut(csv, keep)
    with pytest.raises(CorruptFileError) as err:
        read_csv(csv)
    _assert_names_itself(err, csv)
    assert "cut short" in str(err.value) or "empty" in str(err.value)


def test_csv_missing_a_column_names_the_file(csv):
    with pytest.raises(CorruptFileError, match="lacks the column") as err:
        read_csv(csv, columns=["width", "error"])
    _assert_names_itself(err, csv)


def test_unparsable_csv_names_the_file(csv):
    csv.write_text("width,seed,loss\n1,0,0.5\n2,0,0.4,9,9\n")
    with pytest.raises(CorruptFileError, match="cannot be parsed") as err:
        read_csv(csv)
    _assert_names_itself(err, csv)


def test_missing_file_is_still_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_npz(tmp_path / "nope.npz")
    with pytest.raises(FileNotFoundError):
        read_csv(tmp_path / "nope.csv")
