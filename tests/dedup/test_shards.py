from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit.dedup.shards import chunks, read_chunk, read_selected
from toolkit.document import Document, to_table


def shard(path: Path, texts: list[str], row_group_rows: int, repairs: int = 0) -> Path:
    documents = [Document(text=t, source=f"{n}.txt", repairs={"a": repairs, "b": 1}) for n, t in enumerate(texts)]
    pq.write_table(to_table(documents), path, row_group_size=row_group_rows)
    return path


def test_chunks_gather_row_groups_in_order_and_never_split_one(tmp_path):
    small = shard(tmp_path / "a.parquet", [f"甲{n}" for n in range(10)], row_group_rows=3)  # groups 3,3,3,1
    large = shard(tmp_path / "b.parquet", [f"乙{n}" for n in range(10)], row_group_rows=10)
    found = [(c.path.name, c.row_groups, c.rows) for c in chunks([small, large], rows=5)]
    assert found == [("a.parquet", (0, 1), 6), ("a.parquet", (2, 3), 4), ("b.parquet", (0,), 10)]


def test_a_chunk_reads_its_texts_and_repairs(tmp_path):
    path = shard(tmp_path / "a.parquet", [f"丙{n}" for n in range(7)], row_group_rows=3, repairs=4)
    last = list(chunks([path], rows=4))[-1]
    texts, repairs = read_chunk(last, with_repairs=True)
    assert texts == ["丙6"] and repairs.tolist() == [5]
    texts, repairs = read_chunk(last, with_repairs=False)
    assert texts == ["丙6"] and repairs.tolist() == [0]


def test_read_selected_turns_only_the_chosen_rows_into_documents(tmp_path):
    first = shard(tmp_path / "a.parquet", [f"丁{n}" for n in range(5)], row_group_rows=2)
    second = shard(tmp_path / "b.parquet", [f"戊{n}" for n in range(4)], row_group_rows=4)
    selected = np.zeros(9, dtype=bool)
    selected[[1, 4, 5, 8]] = True
    found = [(ordinal, doc.text) for ordinal, doc in read_selected([first, second], selected, batch_rows=2)]
    assert found == [(1, "丁1"), (4, "丁4"), (5, "戊0"), (8, "戊3")]


def test_reading_selected_rows_does_not_import_pandas(tmp_path):
    import subprocess
    import sys

    path = shard(tmp_path / "a.parquet", ["己", "庚", "辛"], row_group_rows=3)
    script = (
        "import sys, numpy as np; from pathlib import Path; from toolkit.dedup.shards import read_selected; "
        f"list(read_selected([Path({str(path)!r})], np.array([True, False, True]), 3)); "
        "print('pandas' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    assert pa.__version__  # pyarrow is what reads the shard


def test_a_corrupt_shard_is_named_in_a_data_error(tmp_path):
    import pytest

    from toolkit.pipeline import DataError

    path = shard(tmp_path / "a.parquet", ["壬", "癸"], row_group_rows=2)
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(DataError, match=r"a\.parquet: unreadable Parquet shard"):
        list(chunks([path], rows=10))
