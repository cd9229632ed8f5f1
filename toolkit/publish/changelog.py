"""What changed between two published versions, by document id and by place in the raw corpus.

An id is the hash of the text, so a document whose id is in both versions is unchanged wherever it
moved. A document at the same (source, part) with a new id, whose old id is gone, was changed; the
other new ids were added and the other old ids removed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Changelog", "compare"]

Keys = dict[tuple[str, int], str]  # (source, part) -> id


@dataclass
class Changelog:
    previous: str
    added: int
    removed: int
    changed: int
    unchanged: int
    ids: dict[str, list[Any]] = field(default_factory=dict)  # "added", "removed": ids; "changed": [old, new]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"since {self.previous}: {self.added} added, {self.removed} removed, {self.changed} changed, "
            f"{self.unchanged} unchanged"
        )


def compare(previous: str, old: Keys, new: Keys) -> Changelog:
    """The changelog from the documents `old` of version `previous` to the documents `new`.

    >>> old = {("a.txt", 0): "1", ("a.txt", 1): "2", ("b.txt", 0): "3"}
    >>> new = {("a.txt", 0): "1", ("a.txt", 1): "9", ("c.txt", 0): "4"}
    >>> compare("0.1.0", old, new).summary()
    'since 0.1.0: 1 added, 1 removed, 1 changed, 1 unchanged'
    """
    old_ids, new_ids = set(old.values()), set(new.values())
    changed = sorted(
        (old[key], new_id)
        for key, new_id in new.items()
        if key in old and new_id not in old_ids and old[key] not in new_ids
    )
    changed_old, changed_new = {pair[0] for pair in changed}, {pair[1] for pair in changed}
    added = sorted(new_ids - old_ids - changed_new)
    removed = sorted(old_ids - new_ids - changed_old)
    return Changelog(
        previous=previous,
        added=len(added),
        removed=len(removed),
        changed=len(changed),
        unchanged=len(old_ids & new_ids),
        ids={"added": added, "removed": removed, "changed": [list(pair) for pair in changed]},
    )
