"""Readers: one raw file in, documents out (rejects included, each with its reason).

A reader never raises on bad data: an empty, binary, undecodable or malformed input becomes a
rejected document that names the problem, so every input is accounted for.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from toolkit.document import Document
from toolkit.ingest.encoding import Decoded, DecodeError, decode_bytes
from toolkit.ingest.html import read_html
from toolkit.ingest.warc import read_warc

__all__ = ["BYTES_READERS", "PATH_READERS", "read_file"]


def _decoded_document(data: bytes, source: str, part: int = 0) -> tuple[Document, Decoded | None]:
    try:
        decoded = decode_bytes(data)
    except DecodeError as error:
        lossy = "" if error.reason == "binary" else data.decode("utf-8", errors="replace")
        doc = Document(text=lossy, source=source, part=part, meta={"bytes": len(data), "error": str(error)})
        return doc.reject(error.reason), None
    doc = Document(text=decoded.text, source=source, part=part, encoding=decoded.encoding)
    if decoded.replaced:
        doc.meta["invalid_bytes"] = decoded.replaced
        doc.count_repair("invalid-bytes-replaced", decoded.replaced)
    return doc, decoded


def read_text(data: bytes, source: str, text_field: str) -> Iterator[Document]:
    doc, decoded = _decoded_document(data, source)
    if decoded is not None and not decoded.text.strip():
        doc.reject("empty")
    yield doc


def _record_document(record: Any, source: str, part: int, text_field: str, encoding: str) -> Document:
    if not isinstance(record, dict):
        return Document(text=json.dumps(record, ensure_ascii=False), source=source, part=part).reject(
            "malformed-record"
        )
    text = record.get(text_field)
    extra = {k: v for k, v in record.items() if k != text_field}
    title = extra.pop("title", None)
    doc = Document(
        text=text if isinstance(text, str) else "",
        source=source,
        part=part,
        encoding=encoding,
        title=title if isinstance(title, str) else None,
        meta=extra,
    )
    if not isinstance(text, str):
        return doc.reject(f"no-{text_field}-field")
    if not text.strip():
        return doc.reject("empty")
    return doc


def read_jsonl(data: bytes, source: str, text_field: str) -> Iterator[Document]:
    whole, decoded = _decoded_document(data, source)
    if decoded is None:
        yield whole
        return
    lines = decoded.text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for part, line in enumerate(lines):
        if not line.strip():
            yield Document(text=line, source=source, part=part).reject("empty")
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            bad = Document(text=line, source=source, part=part, meta={"error": f"line {part + 1}: {error}"})
            yield bad.reject("malformed-jsonl-line")
            continue
        yield _record_document(record, source, part, text_field, decoded.encoding)


def read_parquet(path: Path, source: str, text_field: str) -> Iterator[Document]:
    try:
        table = pq.ParquetFile(path)
        names = table.schema_arrow.names
    except (OSError, ValueError) as error:
        yield Document(text="", source=source, meta={"error": str(error)}).reject("unreadable-parquet")
        return
    if text_field not in names:
        problem = f"no column {text_field!r} (columns: {', '.join(names)})"
        yield Document(text="", source=source, meta={"error": problem}).reject(f"no-{text_field}-field")
        return
    part = 0
    for batch in table.iter_batches(batch_size=1024):
        for record in batch.to_pylist():
            yield _record_document(record, source, part, text_field, "parquet")
            part += 1


# Readers of a file's bytes (read here once, an unreadable file being a reject) and readers of a path
# (formats their library reads itself).
BYTES_READERS: dict[str, Callable[[bytes, str, str], Iterator[Document]]] = {
    ".txt": read_text,
    ".text": read_text,
    ".jsonl": read_jsonl,
    ".html": read_html,
    ".htm": read_html,
}
PATH_READERS: dict[str, Callable[[Path, str, str], Iterator[Document]]] = {
    ".parquet": read_parquet,
    ".warc": read_warc,
    ".warc.gz": read_warc,
}


def read_file(path: Path, source: str, text_field: str = "text") -> Iterator[Document]:
    """Documents of one raw file; unknown types and unreadable files become rejects."""
    suffixes = ("".join(path.suffixes[-2:]).lower(), path.suffix.lower())  # .warc.gz, then .gz
    if path_reader := next((PATH_READERS[s] for s in suffixes if s in PATH_READERS), None):
        yield from path_reader(path, source, text_field)
        return
    bytes_reader = next((BYTES_READERS[s] for s in suffixes if s in BYTES_READERS), None)
    if bytes_reader is None:
        yield Document(text="", source=source, meta={"bytes": path.stat().st_size}).reject("unsupported-file-type")
        return
    try:
        data = path.read_bytes()
    except OSError as error:
        yield Document(text="", source=source, meta={"error": error.strerror or str(error)}).reject("unreadable")
        return
    yield from bytes_reader(data, source, text_field)
