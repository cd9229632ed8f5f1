"""Publish: an immutable, versioned dataset in the Hub's layout under dist/<name>/<version>/.

    data/train-00000-of-0000N.parquet   the documents (see toolkit.publish.parquet for the layout)
    README.md                           dataset card: Hub front matter, statistics, pipeline, repairs
    changelog.json                      documents added, removed, changed since the previous version
    manifest.json                       SHA-256 of every other file, and what the version was made from

A version is built in a temporary folder and renamed into place, so it exists whole or not at all; once
there it never changes: publishing it again is a no-op for the same corpus and an error for another.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq

from toolkit import __version__
from toolkit.config import Options, fingerprint, option
from toolkit.pipeline import MANIFEST, DataError, read_manifest, sha256_file
from toolkit.publish.changelog import Changelog, compare
from toolkit.publish.versions import BUMPS, next_version, parse_version, previous_version, published_versions

if TYPE_CHECKING:
    from toolkit.publish.hub import HubResult

# The card, shard and hub modules import `datasets` and `huggingface_hub` (seconds): they are imported
# where a version is written, verified or uploaded, so that a run with nothing to publish starts fast.

__all__ = [
    "BUMPS",
    "PublishOptions",
    "PublishResult",
    "bump_version",
    "publish",
    "push_to_hub",
    "verify",
]

CARD = "README.md"
CHANGELOG = "changelog.json"


@dataclass(frozen=True)
class PublishOptions(Options):
    """Publishing the final corpus as a versioned dataset."""

    license: str = option("other", "licence id written in the dataset card (a Hub licence id, e.g. cc-by-4.0)")
    pretty_name: str = option("", "title of the dataset card; empty means the dataset's name")
    max_shard_bytes: int = option(500_000_000, "Arrow bytes per Parquet shard at most (datasets' 500MB default)")
    max_row_group_bytes: int = option(
        100_000_000, "Arrow bytes per row group at most, so the Hub's viewer can read one (datasets' 100MB)"
    )

    def __post_init__(self) -> None:
        if self.max_shard_bytes <= 0 or self.max_row_group_bytes <= 0:
            raise ValueError("max_shard_bytes and max_row_group_bytes must be positive")


@dataclass
class PublishResult:
    path: str
    version: str
    status: str  # "published" or "unchanged"
    changelog: Changelog | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"changelog": self.changelog.summary() if self.changelog else None}


def bump_version(dist: Path, name: str, part: str) -> str:
    """The version after the newest one published of `name` (from 0.0.0 when there is none)."""
    versions = published_versions(dist / name)
    return next_version(versions[-1] if versions else "0.0.0", part)


def _refuse_change(dist: Path, name: str, version: str) -> DataError:
    patch, minor = bump_version(dist, name, "patch"), bump_version(dist, name, "minor")
    return DataError(
        f"{dist / name / version} is already published with other content, and a published version never "
        f'changes. Publish this corpus as a new version: set version = "{patch}" (or "{minor}") under [project] '
        f"in pipeline.toml, or run `ctk publish clean dist --bump patch` (or --bump minor)"
    )


def _rejected(corpus: Path, manifest: dict[str, Any]) -> dict[tuple[str, str], int]:
    counts: Counter[tuple[str, str]] = Counter()
    for entry in manifest["rejects"]:
        table = pq.read_table(corpus / entry["path"], columns=["stage", "reason"])
        counts.update(zip(table["stage"].to_pylist(), table["reason"].to_pylist(), strict=True))
    return dict(counts)


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def publish(corpus: Path, dist: Path, *, name: str, version: str, options: PublishOptions) -> PublishResult:
    """Write `corpus` (the enrich stage's output) as dist/<name>/<version>, once."""
    try:
        parse_version(version)
    except ValueError as error:
        raise DataError(str(error)) from None
    manifest = read_manifest(corpus)
    if manifest is None:
        raise DataError(f"{corpus}: no {MANIFEST}; run the enrich stage first")
    folder, target = dist / name, dist / name / version
    previous = previous_version(folder, version)
    # Everything the version's files are made from: same source, same files.
    source = fingerprint(name, manifest["output_fingerprint"], manifest.get("pipeline"), options.as_dict(), previous)
    if target.exists():
        published = read_manifest(target)
        if published is None:
            raise DataError(f"{target}: not a published version (no {MANIFEST}); move it away")
        if published.get("source_fingerprint") == source:
            return PublishResult(str(target), version, "unchanged")
        raise _refuse_change(dist, name, version)

    from toolkit.publish.card import CardInput, render_card, validate_card
    from toolkit.publish.parquet import dataset_features, read_keys, scan_corpus, write_shards

    files = [corpus / entry["path"] for entry in manifest["documents"]]
    scan = scan_corpus(files)
    if not scan.rows:
        raise DataError(f"{corpus}: no documents to publish")
    changelog = compare(previous, read_keys(folder / previous), scan.keys) if previous else None
    card = render_card(
        CardInput(
            name=name,
            version=version,
            license=options.license,
            pretty_name=options.pretty_name or name,
            scan=scan,
            rejected=_rejected(corpus, manifest),
            pipeline=manifest.get("pipeline", {}),
            changelog=changelog,
        )
    )
    validate_card(card, dataset_features())  # before anything is written

    tmp = folder / f".tmp-{version}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        shards = write_shards(
            files, tmp, scan, max_shard_bytes=options.max_shard_bytes, max_row_group_bytes=options.max_row_group_bytes
        )
        (tmp / CARD).write_text(card, encoding="utf-8")
        _write_json(tmp / CHANGELOG, changelog.as_dict() if changelog else None)
        listed = [*shards, CARD, CHANGELOG]
        _write_json(
            tmp / MANIFEST,
            {
                "name": name,
                "version": version,
                "previous": previous,
                "rows": scan.rows,
                "source_fingerprint": source,
                "tool_version": __version__,
                "files": [
                    {"path": p, "bytes": (tmp / p).stat().st_size, "sha256": sha256_file(tmp / p)} for p in listed
                ],
            },
        )
        tmp.rename(target)  # atomic; fails if another run published this version meanwhile
    except OSError as error:
        raise DataError(f"{target}: could not publish ({error.strerror or error})") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return PublishResult(str(target), version, "published", changelog)


def verify(folder: Path) -> int:
    """Re-check every checksum of a published version and its card; the number of files checked.
    Raises DataError listing every problem."""
    from datasets import Features

    from toolkit.publish.card import validate_card
    from toolkit.publish.parquet import dataset_features

    manifest = read_manifest(folder)
    if manifest is None:
        raise DataError(f"{folder}: no {MANIFEST}; not a published version")
    problems = []
    for entry in manifest["files"]:
        file = folder / entry["path"]
        if not file.is_file():
            problems.append(f"{entry['path']} is missing")
        elif file.stat().st_size != entry["bytes"] or sha256_file(file) != entry["sha256"]:
            problems.append(f"{entry['path']} does not match its checksum")
    listed = {entry["path"] for entry in manifest["files"]} | {MANIFEST}
    problems += [
        f"{p} is not listed in {MANIFEST}"
        for p in sorted(f.relative_to(folder).as_posix() for f in folder.rglob("*") if f.is_file())
        if p not in listed
    ]
    if not problems:
        shards = sorted(p for p in listed if p.startswith("data/"))
        features = Features.from_arrow_schema(pq.read_schema(folder / shards[0])) if shards else dataset_features()
        try:
            validate_card((folder / CARD).read_text(encoding="utf-8"), features)
        except DataError as error:
            problems.append(str(error))
        except OSError as error:
            problems.append(f"{CARD}: {error.strerror}")
    if problems:
        raise DataError(f"{folder}: " + "; ".join(problems))
    return len(manifest["files"])


def push_to_hub(folder: Path, repo_id: str) -> HubResult:
    """Verify the published version in `folder`, then upload it to `repo_id` tagged v<version>."""
    from toolkit.publish.hub import upload_version

    verify(folder)
    return upload_version(folder, repo_id)
