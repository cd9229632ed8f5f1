"""Ingest: a folder of raw files in any encoding becomes documents."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.config import Options, fingerprint, option
from toolkit.document import Document
from toolkit.ingest.encoding import Decoded, DecodeError, decode_bytes
from toolkit.ingest.readers import read_file
from toolkit.pipeline import DataError, Stage, StageInput, read_manifest, sha256_file

__all__ = ["DecodeError", "Decoded", "IngestOptions", "IngestStage", "decode_bytes", "raw_files"]


@dataclass(frozen=True)
class IngestOptions(Options):
    """Reading raw files: .txt and .html in any encoding, .warc(.gz), .jsonl and .parquet with a text field."""

    text_field: str = option("text", "field holding the text in .jsonl and .parquet inputs")


def raw_files(root: Path) -> list[Path]:
    """Every file below `root` in a stable order, hidden files and folders left out."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(folder) / f for f in sorted(files) if not f.startswith(".")]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


class IngestStage(Stage):
    name = "ingest"
    options_class = IngestOptions
    parallel = False  # the work is in reading; process() passes documents through

    def open_input(self, path: Path, output: Path) -> StageInput:
        if not path.is_dir():
            raise DataError(f"{path}: not a folder of raw files")
        files = raw_files(path)
        if not files:
            raise DataError(f"{path}: no input files; put .txt, .html, .warc, .jsonl or .parquet files there")
        # Content hashes are reused while size and mtime are unchanged, so an unchanged corpus is
        # recognised without rereading it, and a touched but unchanged file still counts as unchanged.
        previous = read_manifest(output) or {}
        cache = {(e["path"], e["size"], e["mtime_ns"]): e["sha256"] for e in previous.get("inputs", [])}
        inputs = []
        for file in files:
            relative = file.relative_to(path).as_posix()
            try:
                stat = file.stat()
                digest = cache.get((relative, stat.st_size, stat.st_mtime_ns)) or sha256_file(file)
            except OSError as error:
                stat, digest = None, f"unreadable: {error.strerror}"
            inputs.append(
                {
                    "path": relative,
                    "size": stat.st_size if stat else -1,
                    "mtime_ns": stat.st_mtime_ns if stat else -1,
                    "sha256": digest,
                }
            )
        text_field = self.options.text_field  # type: ignore[attr-defined]

        def documents() -> Iterator[Document]:
            for file, entry in zip(files, inputs, strict=True):
                yield from read_file(file, str(entry["path"]), text_field)

        return StageInput(
            fingerprint=fingerprint([(e["path"], e["sha256"]) for e in inputs]),
            total=None,
            documents=documents,
            manifest_extra={"inputs": inputs, "bytes_in": sum(max(e["size"], 0) for e in inputs)},
        )
