"""Publish: an immutable, versioned dataset in the Hub's layout under dist/<name>/<version>/."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from toolkit.config import Options, fingerprint, option
from toolkit.pipeline import DataError, read_manifest, sha256_file

__all__ = ["PublishOptions", "PublishResult", "publish"]

CHECKSUMS = "checksums.json"


@dataclass(frozen=True)
class PublishOptions(Options):
    """Publishing the final corpus as a versioned dataset."""

    license: str = option("other", "licence id written in the dataset card")


@dataclass
class PublishResult:
    path: str
    version: str
    status: str  # "published" or "unchanged"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def publish(corpus: Path, dist: Path, *, name: str, version: str, options: PublishOptions) -> PublishResult:
    """Write `corpus` (a stage output with documents/) as dist/<name>/<version>, once."""
    manifest = read_manifest(corpus)
    if manifest is None:
        raise DataError(f"{corpus}: no manifest.json; run the enrich stage first")
    content = fingerprint([entry["sha256"] for entry in manifest["documents"]])
    target = dist / name / version
    if target.exists():
        published = read_manifest(target) or {}
        if published.get("content_fingerprint") == content:
            return PublishResult(str(target), version, "unchanged")
        raise DataError(
            f"{target}: version {version} is already published with other content; "
            "set a new version in pipeline.toml ([project] version) or pass --version"
        )
    tmp = dist / name / f".tmp-{version}"
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "data").mkdir(parents=True)
    shards = [corpus / entry["path"] for entry in manifest["documents"]]
    files = []
    for i, shard in enumerate(shards):
        relative = f"data/train-{i:05d}-of-{len(shards):05d}.parquet"
        pq.write_table(pq.read_table(shard), tmp / relative, compression="zstd")
        files.append({"path": relative, "bytes": (tmp / relative).stat().st_size, "sha256": sha256_file(tmp / relative)})
    record = {"name": name, "version": version, "content_fingerprint": content, "files": files}
    (tmp / "manifest.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    tmp.rename(target)
    return PublishResult(str(target), version, "published")
