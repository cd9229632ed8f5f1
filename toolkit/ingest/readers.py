"""Readers: one raw file in, documents out (rejects included, each with its reason).

A reader never raises on bad data: an empty, binary, undecodable or malformed input becomes a
rejected document that names the problem, so every input is accounted for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from toolkit.document import Document
from toolkit.ingest.encoding import Decoded, DecodeError, decode_bytes

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


LONE_SURROGATE = re.compile("[\ud800-\udfff]")
INVALID_BYTE = re.compile("[\udc80-\udcff]")  # what the surrogateescape error handler makes of a bad byte
JSONL_SNIFF_BYTES = 1 << 20  # the first lines of a JSONL file, enough to tell its encoding


def _without_lone_surrogates(value: Any) -> tuple[Any, int]:
    """`value` with every lone surrogate (which JSON's \\ud800 escapes can make, and no file can store)
    replaced by U+FFFD, and how many there were."""
    if isinstance(value, str):
        return LONE_SURROGATE.subn("\ufffd", value)
    if isinstance(value, list):
        cleaned = [_without_lone_surrogates(item) for item in value]
        return [item for item, _ in cleaned], sum(n for _, n in cleaned)
    if isinstance(value, dict):
        pairs = [(_without_lone_surrogates(k), _without_lone_surrogates(v)) for k, v in value.items()]
        return {k: v for (k, _), (v, _) in pairs}, sum(nk + nv for (_, nk), (_, nv) in pairs)
    return value, 0


def _record_document(record: Any, source: str, part: int, text_field: str, encoding: str) -> Document:
    record, surrogates = _without_lone_surrogates(record)
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
    doc.count_repair("lone-surrogates-replaced", surrogates)
    if not isinstance(text, str):
        return doc.reject(f"no-{text_field}-field")
    if not text.strip():
        return doc.reject("empty")
    return doc


def read_jsonl(path: Path, source: str, text_field: str) -> Iterator[Document]:
    """One document per line, streamed: the encoding is found on the file's first lines, then each line
    is decoded and parsed as it is read, so a large file never sits in memory whole."""
    try:
        with path.open("rb") as fh:
            head = fh.read(JSONL_SNIFF_BYTES)
            whole_lines = head[: head.rfind(b"\n") + 1] or head
            sniffed, decoded = _decoded_document(whole_lines, source)
            if decoded is None:
                yield sniffed
                return
            if decoded.encoding.startswith(("utf-16", "utf-32")):  # a newline byte is not a line end there
                fh.seek(0)
                lines = ((line, 0) for line in decode_bytes(fh.read()).text.split("\n"))
                yield from _jsonl_lines(lines, source, text_field, decoded.encoding)
                return
            fh.seek(0)
            codec = "utf-8" if decoded.encoding == "utf-8-sig" else decoded.encoding
            yield from _jsonl_lines(_decoded_lines(fh, codec), source, text_field, decoded.encoding)
    except OSError as error:
        yield Document(text="", source=source, meta={"error": error.strerror or str(error)}).reject("unreadable")


def _decoded_lines(raw_lines: Iterable[bytes], codec: str) -> Iterator[tuple[str, int]]:
    """Each line decoded, with the count of its bytes that were invalid and became U+FFFD."""
    for raw in raw_lines:
        line = raw.rstrip(b"\r\n").decode(codec, errors="surrogateescape")
        line, invalid = INVALID_BYTE.subn("\ufffd", line)
        yield line, invalid


def _jsonl_lines(lines: Iterable[tuple[str, int]], source: str, text_field: str, encoding: str) -> Iterator[Document]:
    for part, (line, invalid) in enumerate(lines):
        line = line.removeprefix("\ufeff") if part == 0 else line
        if not line.strip():
            yield Document(text=line, source=source, part=part).reject("empty")
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            bad = Document(text=line, source=source, part=part, meta={"error": f"line {part + 1}: {error}"})
            yield bad.reject("malformed-jsonl-line")
            continue
        doc = _record_document(record, source, part, text_field, encoding)
        doc.count_repair("invalid-bytes-replaced", invalid)
        yield doc


def read_parquet(path: Path, source: str, text_field: str) -> Iterator[Document]:
    try:
        table = pq.ParquetFile(path, pre_buffer=False)
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


def read_html(data: bytes, source: str, text_field: str) -> Iterator[Document]:
    """toolkit.ingest.html's reader, imported on first use: its libraries (trafilatura, lxml) take 0.15 s
    of CPU to import, which a corpus without HTML, and every stage process importing this, need not pay."""
    from toolkit.ingest.html import read_html as read

    return read(data, source, text_field)


def read_warc(path: Path, source: str, text_field: str) -> Iterator[Document]:
    """toolkit.ingest.warc's reader, imported on first use (warcio, and the HTML reader)."""
    from toolkit.ingest.warc import read_warc as read

    return read(path, source, text_field)


# Readers of a file's bytes (read here once, an unreadable file being a reject) and readers of a path
# (formats their library reads itself).
BYTES_READERS: dict[str, Callable[[bytes, str, str], Iterator[Document]]] = {
    ".txt": read_text,
    ".text": read_text,
    ".html": read_html,
    ".htm": read_html,
}
PATH_READERS: dict[str, Callable[[Path, str, str], Iterator[Document]]] = {
    ".jsonl": read_jsonl,
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
