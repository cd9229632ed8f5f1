"""Semantic versions of a published dataset: parsing, ordering, bumping.

>>> next_version("1.2.3", "minor"), next_version("1.2.3", "major"), next_version("1.2.3", "patch")
('1.3.0', '2.0.0', '1.2.4')
>>> sorted(["0.10.0", "0.2.0", "0.9.1"], key=parse_version)
['0.2.0', '0.9.1', '0.10.0']
"""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.pipeline import MANIFEST

__all__ = ["BUMPS", "next_version", "parse_version", "previous_version", "published_versions"]

BUMPS = ("major", "minor", "patch")
_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


def parse_version(version: str) -> tuple[int, int, int]:
    """(major, minor, patch) of `version`; ValueError with the expected form otherwise."""
    match = _SEMVER.fullmatch(version)
    if not match:
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH (e.g. 1.2.0)")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def next_version(version: str, part: str) -> str:
    """`version` with `part` ("major", "minor" or "patch") raised and the parts after it reset."""
    major, minor, patch = parse_version(version)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    if part == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"cannot bump {part!r}; choose one of {', '.join(BUMPS)}")


def published_versions(folder: Path) -> list[str]:
    """Versions published under dist/<name>/ (folders holding a manifest), oldest first."""
    if not folder.is_dir():
        return []
    found = [p.name for p in folder.iterdir() if _SEMVER.fullmatch(p.name) and (p / MANIFEST).is_file()]
    return sorted(found, key=parse_version)


def previous_version(folder: Path, version: str) -> str | None:
    """The newest published version older than `version`, the base of its changelog."""
    older = [v for v in published_versions(folder) if parse_version(v) < parse_version(version)]
    return older[-1] if older else None
