"""The record every stage reads and writes, and its Arrow schema (the one place it is defined).

A `Document` is one unit of text on its way from `raw/` to `dist/`. Stages add facts they find to
`meta` (a free-form dict, stored as canonical JSON between stages); the enrich stage promotes the
known keys to typed columns. A document that a stage drops carries `reject_reason` and is written
to the rejects instead of the documents.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from typing import Any

import pyarrow as pa

__all__ = [
    "DOCUMENT_SCHEMA",
    "RAW_PART",
    "REJECT_SCHEMA",
    "Document",
    "arrow_array",
    "content_id",
    "from_table",
    "to_table",
]

# `meta` key of a document cut out of a larger one: the `part` of the raw document it was cut from. A stage that
# splits documents numbers the parts of each source anew, so after it `part` no longer names a raw document.
RAW_PART = "raw_part"


@dataclass
class Document:
    """One document: its text, where it came from, and what the stages did to it."""

    text: str
    source: str  # path relative to the raw folder, with '/' separators
    part: int = 0  # 0-based index when one raw file yields several documents
    id: str = ""
    encoding: str = ""  # the encoding the raw bytes were decoded with
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    repairs: dict[str, int] = field(default_factory=dict)  # fixer name -> spans changed
    removed: list[dict[str, str]] = field(default_factory=list)  # {"reason", "text"} per removed span
    reject_reason: str | None = None
    stage: str = ""  # on rejects: the stage that dropped it

    def reject(self, reason: str) -> Document:
        """Mark this document as dropped, with a reason that the summary counts."""
        self.reject_reason = reason
        return self

    def count_repair(self, fixer: str, spans: int = 1) -> None:
        if spans:
            self.repairs[fixer] = self.repairs.get(fixer, 0) + spans


def content_id(text: str) -> str:
    """A stable id from the text alone: the same text gives the same id on any machine.

    >>> content_id("黄河")
    '2eb8e5544f32523f839db48302da697f'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


_REMOVED_TYPE = pa.list_(pa.struct([("reason", pa.string()), ("text", pa.string())]))
_REPAIRS_TYPE = pa.list_(pa.struct([("fixer", pa.string()), ("count", pa.int64())]))

DOCUMENT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("part", pa.int32()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("encoding", pa.string()),
        ("meta", pa.string()),  # canonical JSON of Document.meta
        ("repairs", _REPAIRS_TYPE),
        ("removed", _REMOVED_TYPE),
    ]
)
REJECT_SCHEMA = DOCUMENT_SCHEMA.append(pa.field("reason", pa.string())).append(pa.field("stage", pa.string()))


_CORE = set(DOCUMENT_SCHEMA.names)


def _row(doc: Document, with_reason: bool, extra: list[str]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": doc.id,
        "source": doc.source,
        "part": doc.part,
        "title": doc.title,
        "text": doc.text,
        "encoding": doc.encoding,
        "meta": json.dumps(doc.meta, ensure_ascii=False, sort_keys=True, default=str),
        "repairs": [{"fixer": k, "count": v} for k, v in sorted(doc.repairs.items())],
        "removed": doc.removed,
    }
    if extra:  # typed columns beyond the core are taken out of meta
        meta = dict(doc.meta)
        for name in extra:
            row[name] = meta.pop(name, None)
        row["meta"] = json.dumps(meta, ensure_ascii=False, sort_keys=True, default=str)
    if with_reason:
        row["reason"] = doc.reject_reason
        row["stage"] = doc.stage
    return row


def to_table(documents: Iterable[Document], *, rejects: bool = False, schema: pa.Schema | None = None) -> pa.Table:
    """Documents as an Arrow table. A `schema` wider than DOCUMENT_SCHEMA fills its other columns from
    `meta` (the enrich stage's typed columns); rejects always use REJECT_SCHEMA.

    >>> table = to_table([Document("黄河", "a.txt", repairs={"script": 2}), Document("", "b.txt", title="标题")])
    >>> table.column("repairs").to_pylist(), table.column("title").to_pylist()
    ([[{'fixer': 'script', 'count': 2}], []], [None, '标题'])
    """
    schema = REJECT_SCHEMA if rejects else (schema or DOCUMENT_SCHEMA)
    extra = [name for name in schema.names if name not in _CORE and not rejects]
    rows = [_row(d, rejects, extra) for d in documents]
    try:
        columns = [
            _COLUMN_BUILDERS[f.name]([row[f.name] for row in rows])
            if f.name in _COLUMN_BUILDERS
            else arrow_array([row[f.name] for row in rows], f.type)
            for f in schema
        ]
        return pa.Table.from_arrays(columns, schema=schema)
    except (TypeError, AttributeError, ValueError, OverflowError):  # not what a Document holds: pyarrow says why
        return pa.Table.from_pylist(rows, schema=schema)


# Columns built from their buffers: pyarrow's conversion of a Python list (pa.array, Table.from_pylist)
# imports pandas, 0.2 s of CPU in every process that writes, to ask whether the list is a pandas object.
_MAX_OFFSET = 2**31 - 1  # string and list offsets are int32


def _validity(values: list[Any]) -> pa.Buffer | None:
    """The validity bitmap of `values` (None for a null), or None when nothing is null.

    >>> _validity(["a", None, "b"]).to_pybytes()
    b'\\x05'
    """
    if None not in values:
        return None
    bits = bytearray((len(values) + 7) // 8)
    for index, value in enumerate(values):
        if value is not None:
            bits[index >> 3] |= 1 << (index & 7)
    return pa.py_buffer(bits)


def _offsets(lengths: Iterable[int]) -> pa.Buffer:
    offsets = array("i", accumulate(lengths, initial=0))  # OverflowError past int32: the caller falls back
    return pa.py_buffer(offsets)


def _string_array(values: list[str | None]) -> pa.Array:
    """A UTF-8 string array of `values`, None for null; a lone surrogate raises UnicodeEncodeError.

    >>> _string_array(["黄河", None, ""]).to_pylist()
    ['黄河', None, '']
    """
    encoded = [b"" if value is None else value.encode("utf-8") for value in values]
    data = b"".join(encoded)
    if len(data) > _MAX_OFFSET:
        raise OverflowError("more than 2 GiB of text in one batch")
    buffers = [_validity(values), _offsets(map(len, encoded)), pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.string(), len(values), buffers)


def _fixed_width_array(values: list[Any], kind: pa.DataType, code: str, plain: Callable[[Any], Any]) -> pa.Array:
    """An array of numbers stored as `array(code)`, None for null; `plain(value)` is the number stored and
    raises TypeError for a value that pyarrow's own conversion should judge."""
    data = array(code, [0 if value is None else plain(value) for value in values])
    return pa.Array.from_buffers(kind, len(values), [_validity(values), pa.py_buffer(data)])


def _exactly(*types: type) -> Callable[[Any], Any]:
    def plain(value: Any) -> Any:
        if type(value) not in types:  # pyarrow's own rules for the rest (bool in an int column, numpy scalars)
            raise TypeError(f"not {types}")
        return value

    return plain


_EPOCH = date(1970, 1, 1)


def _days(value: Any) -> int:
    return (_exactly(date)(value) - _EPOCH).days


def _bool_array(values: list[Any]) -> pa.Array:
    bits = bytearray((len(values) + 7) // 8)
    for index, value in enumerate(values):
        if _exactly(bool, type(None))(value):
            bits[index >> 3] |= 1 << (index & 7)
    return pa.Array.from_buffers(pa.bool_(), len(values), [_validity(values), pa.py_buffer(bits)])


def _struct_array(values: list[Any], kind: pa.StructType) -> pa.Array:
    fields = [kind.field(i) for i in range(kind.num_fields)]
    if not all(value is None or (type(value) is dict and value.keys() <= {f.name for f in fields}) for value in values):
        raise TypeError("not dicts of the struct's fields")
    children = [arrow_array([None if v is None else v.get(f.name) for v in values], f.type) for f in fields]
    return pa.Array.from_buffers(kind, len(values), [_validity(values)], children=children)


def arrow_array(values: list[Any], kind: pa.DataType) -> pa.Array:
    """`pa.array(values, kind)` for the types of the dataset's typed columns, built from buffers; TypeError
    for another type or a value that is not plainly of it, for which pyarrow's conversion decides."""
    if kind == pa.string():
        return _string_array(values)
    if kind in _NUMBER_CODES:
        return _fixed_width_array(values, kind, *_NUMBER_CODES[kind])
    if kind == pa.bool_():
        return _bool_array(values)
    if pa.types.is_struct(kind):
        return _struct_array(values, kind)
    raise TypeError(f"no builder for {kind}")


_NUMBER_CODES: dict[pa.DataType, tuple[str, Callable[[Any], Any]]] = {
    pa.int32(): ("i", _exactly(int)),
    pa.int64(): ("q", _exactly(int)),
    pa.float64(): ("d", _exactly(float, int)),
    pa.date32(): ("i", _days),
}


def _struct_list(
    values: list[list[dict[str, Any]]], kind: pa.ListType, build: dict[str, Callable[[list[Any]], pa.Array]]
) -> pa.Array:
    """A list<struct> array from lists of dicts (no null list, no null item)."""
    items = [item for value in values for item in value]
    fields = [kind.value_type.field(i) for i in range(kind.value_type.num_fields)]
    children = [build[field.name]([item.get(field.name) for item in items]) for field in fields]
    structs = pa.StructArray.from_arrays(children, fields=fields)
    offsets = pa.Array.from_buffers(pa.int32(), len(values) + 1, [None, _offsets(map(len, values))])
    return pa.ListArray.from_arrays(offsets, structs, type=kind)


_COLUMN_BUILDERS: dict[str, Callable[[list[Any]], pa.Array]] = {
    **{name: _string_array for name in ("id", "source", "title", "text", "encoding", "meta", "reason", "stage")},
    "part": lambda values: arrow_array(values, pa.int32()),
    "repairs": lambda values: _struct_list(
        values, _REPAIRS_TYPE, {"fixer": _string_array, "count": lambda counts: arrow_array(counts, pa.int64())}
    ),
    "removed": lambda values: _struct_list(values, _REMOVED_TYPE, {"reason": _string_array, "text": _string_array}),
}


def from_table(table: pa.Table | pa.RecordBatch) -> Iterator[Document]:
    """Documents from an Arrow table; columns beyond the core go back into `meta`."""
    extra = [name for name in table.schema.names if name not in _CORE and name not in ("reason", "stage")]
    for row in table.to_pylist():
        meta = json.loads(row["meta"]) if row.get("meta") else {}
        meta.update({name: row[name] for name in extra})
        yield Document(
            text=row.get("text") or "",
            source=row.get("source") or "",
            part=row.get("part") or 0,
            id=row.get("id") or "",
            encoding=row.get("encoding") or "",
            title=row.get("title"),
            meta=meta,
            repairs={r["fixer"]: r["count"] for r in row.get("repairs") or []},
            removed=list(row.get("removed") or []),
            reject_reason=row.get("reason"),
            stage=row.get("stage") or "",
        )
