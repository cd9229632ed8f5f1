"""Documents to Arrow: the columns built from buffers are those pyarrow's own conversion builds."""

from __future__ import annotations

from datetime import date, datetime

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import python_output
from toolkit.document import DOCUMENT_SCHEMA, Document, _row, to_table
from toolkit.enrich.schema import DATASET_SCHEMA

EXTRA = [f for f in DATASET_SCHEMA if f.name not in DOCUMENT_SCHEMA.names]  # the typed columns taken from meta

PLAIN = {
    pa.string(): st.text(max_size=5),
    pa.int32(): st.integers(-(2**31), 2**31 - 1),
    pa.int64(): st.integers(-(2**63), 2**63 - 1),
    pa.float64(): st.floats(allow_nan=False) | st.integers(-(2**53), 2**53),
    pa.bool_(): st.booleans(),
    pa.date32(): st.dates(),
}
# What a stage could put in meta by mistake: pyarrow's conversion decides, and the result must be the same.
ODD = st.sampled_from([True, 1.5, "x", 3, datetime(2024, 1, 2, 3, 4), date(2024, 1, 2), [1], {"a": 1}])


def _value(field: pa.Field, odd: bool) -> st.SearchStrategy[object]:
    if pa.types.is_struct(field.type):
        names = [field.type.field(i).name for i in range(field.type.num_fields)]
        plain = st.fixed_dictionaries({name: st.text(max_size=3) for name in names})
    else:
        plain = PLAIN[field.type]
    return st.none() | plain | ODD if odd else st.none() | plain


def metas(odd: bool) -> st.SearchStrategy[dict[str, object]]:
    return st.fixed_dictionaries({}, optional={f.name: _value(f, odd) for f in EXTRA})


def _by_pyarrow(documents: list[Document]) -> pa.Table:
    rows = [_row(d, False, [f.name for f in EXTRA]) for d in documents]
    return pa.Table.from_pylist(rows, schema=DATASET_SCHEMA)


def _outcome(make: object) -> object:
    try:
        return make()  # type: ignore[operator]
    except (TypeError, ValueError, OverflowError, pa.ArrowException) as error:
        return type(error)


@given(st.lists(metas(odd=False), max_size=6))
def test_typed_columns_are_built_as_pyarrow_builds_them(meta_rows: list[dict[str, object]]) -> None:
    documents = [Document(f"文本{i}", "a.txt", part=i, meta=meta) for i, meta in enumerate(meta_rows)]
    assert to_table(documents, schema=DATASET_SCHEMA).equals(_by_pyarrow(documents), check_metadata=True)


@given(st.lists(metas(odd=True), max_size=4))
def test_values_of_another_type_are_left_to_pyarrow(meta_rows: list[dict[str, object]]) -> None:
    documents = [Document(f"文本{i}", "a.txt", part=i, meta=meta) for i, meta in enumerate(meta_rows)]
    ours = _outcome(lambda: to_table(documents, schema=DATASET_SCHEMA))
    theirs = _outcome(lambda: _by_pyarrow(documents))
    assert ours.equals(theirs) if isinstance(theirs, pa.Table) else ours is theirs  # type: ignore[attr-defined]


def test_enriched_documents_convert_without_importing_pandas() -> None:
    """pyarrow's list conversion imports pandas, 0.2 s in each worker process that converts its output."""
    code = (
        "import sys, datetime; from toolkit.document import Document, to_table;"
        "from toolkit.enrich.schema import DATASET_SCHEMA;"
        "meta = {'published': datetime.date(2024, 1, 2), 'characters': 2, 'han_ratio': 1.0, 'templated': False,"
        " 'paragraphs': 1, 'author': '杨文', 'pipeline': {'tool_version': '0', 'config_fingerprint': 'f'}};"
        "table = to_table([Document('黄河', 'a.txt', meta=meta)], schema=DATASET_SCHEMA);"
        "print(table.column('published')[0].as_py(), 'pandas' in sys.modules)"
    )
    assert python_output(code) == "2024-01-02 False\n"


@pytest.mark.parametrize("value", [None, date(2024, 2, 29), date(1900, 1, 1)])
def test_dates_round_trip(value: date | None) -> None:
    table = to_table([Document("黄河", "a.txt", meta={"published": value})], schema=DATASET_SCHEMA)
    assert table.column("published").to_pylist() == [value]
