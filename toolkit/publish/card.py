"""The dataset card: README.md with the Hub's YAML front matter and a body of statistics, and its offline check.

The front matter is built with the libraries that read it (huggingface_hub's `DatasetCardData`,
`datasets`' `MetadataConfigs` and `DatasetInfosDict`), the features come from the one column list in
`toolkit.enrich.schema`, and `validate_card` parses the result back the way `load_dataset` does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from datasets import Features
from datasets.info import DatasetInfo, DatasetInfosDict
from datasets.splits import SplitDict, SplitInfo
from datasets.utils.metadata import MetadataConfigs
from huggingface_hub import DatasetCard, DatasetCardData

from toolkit.enrich.schema import COLUMNS
from toolkit.pipeline import DataError
from toolkit.publish.changelog import Changelog
from toolkit.publish.parquet import SPLIT, CorpusScan, dataset_features

__all__ = ["CardInput", "render_card", "size_category", "validate_card"]

# The Hub's size buckets, lower bound of each (the list `datasets` ships as size_categories.json).
_SIZE_BUCKETS = [
    (10**12, "n>1T"),
    (10**11, "100B<n<1T"),
    (10**10, "10B<n<100B"),
    (10**9, "1B<n<10B"),
    (10**8, "100M<n<1B"),
    (10**7, "10M<n<100M"),
    (10**6, "1M<n<10M"),
    (10**5, "100K<n<1M"),
    (10**4, "10K<n<100K"),
    (10**3, "1K<n<10K"),
    (0, "n<1K"),
]


def size_category(rows: int) -> str:
    """The Hub's size category for a number of rows.

    >>> size_category(5), size_category(1000), size_category(123_456)
    ('n<1K', '1K<n<10K', '100K<n<1M')
    """
    return next(label for lower, label in _SIZE_BUCKETS if rows >= lower)


def _allowed(resource: str) -> set[str]:
    """Values the Hub accepts, from the lists `datasets` ships (the Hub's own check needs the network)."""
    text = resources.files("datasets.utils.resources").joinpath(resource).read_text(encoding="utf-8")
    return set(json.loads(text))


@dataclass
class CardInput:
    name: str
    version: str
    license: str
    pretty_name: str
    scan: CorpusScan
    rejected: dict[tuple[str, str], int]  # (stage, reason) -> documents
    pipeline: dict[str, Any]  # the enrich manifest's "pipeline": tool version, fingerprint, stages
    changelog: Changelog | None


def _card_data(card: CardInput) -> DatasetCardData:
    # The Hub tags languages by their ISO 639 code; the script subtag stays in the `language` column.
    languages = sorted({tag.split("-")[0] for tag in card.scan.languages} - {"und"})
    data = DatasetCardData(
        license=card.license,
        language=languages or None,
        size_categories=[size_category(card.scan.rows)],
        pretty_name=card.pretty_name,
    )
    MetadataConfigs({"default": {"data_files": [{"split": SPLIT, "path": f"data/{SPLIT}-*"}]}}).to_dataset_card_data(
        data
    )
    splits = SplitDict()
    splits.add(SplitInfo(name=SPLIT, num_bytes=card.scan.nbytes, num_examples=card.scan.rows))
    info = DatasetInfo(features=dataset_features(), splits=splits, dataset_size=card.scan.nbytes)
    DatasetInfosDict({"default": info}).to_dataset_card_data(data)
    return data


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _statistics(scan: CorpusScan) -> str:
    dated = sorted(scan.published)
    rows = [
        ["documents", f"{scan.rows:,}"],
        ["characters", f"{scan.characters:,}"],
        ["UTF-8 bytes of text", f"{scan.text_bytes:,}"],
        ["paragraphs", f"{scan.paragraphs:,}"],
        ["mean Han ratio", f"{scan.han_ratio_sum / scan.rows:.3f}" if scan.rows else "-"],
        ["documents with a publication date", f"{len(dated):,}" + (f" ({dated[0]} to {dated[-1]})" if dated else "")],
    ]
    rows += [[f"language `{tag}`", f"{n:,}"] for tag, n in sorted(scan.languages.items())]
    return _table(["", "value"], rows)


def _repairs(scan: CorpusScan) -> str:
    if not scan.repaired_documents and not scan.removed_spans:
        return "No repairs were needed and nothing was removed."
    rows = [
        [f"repair `{fixer}`", f"{scan.repaired_documents[fixer]:,}", f"{scan.repaired_spans[fixer]:,}"]
        for fixer in sorted(scan.repaired_documents)
    ]
    rows += [[f"removed `{reason}`", "", f"{n:,}"] for reason, n in sorted(scan.removed_spans.items())]
    return _table(["what", "documents", "spans"], rows)


def _rejected(rejected: dict[tuple[str, str], int]) -> str:
    if not rejected:
        return "No document was rejected."
    return _table(["stage", "reason", "documents"], [[s, r, f"{n:,}"] for (s, r), n in sorted(rejected.items())])


def _pipeline(pipeline: dict[str, Any]) -> str:
    rows = [
        [
            stage["stage"],
            f"`{stage['config_fingerprint'][:12]}`",
            f"`{json.dumps(stage['options'], ensure_ascii=False, sort_keys=True)}`",
        ]
        for stage in pipeline.get("stages", [])
    ]
    head = (
        f"corpus-toolkit {pipeline.get('tool_version', '?')}, configuration fingerprint "
        f"`{pipeline.get('config_fingerprint', '?')}` (the `pipeline` column of every row)."
    )
    return head + ("\n\n" + _table(["stage", "fingerprint", "options"], rows) if rows else "")


def _columns() -> str:
    return _table(["column", "type", "meaning"], [[f"`{c.name}`", f"`{c.type}`", c.description] for c in COLUMNS])


def _changes(changelog: Changelog | None) -> str:
    if changelog is None:
        return "First published version."
    return (
        f"Since {changelog.previous}: {changelog.added:,} documents added, {changelog.removed:,} removed, "
        f"{changelog.changed:,} changed, {changelog.unchanged:,} unchanged (details in `changelog.json`)."
    )


def render_card(card: CardInput) -> str:
    """README.md of one published version."""
    body = f"""
# {card.pretty_name}

Version {card.version} of `{card.name}`, built with corpus-toolkit from raw scraped text: decoded, repaired,
cleaned, deduplicated and enriched with metadata and quality signals.

```python
from datasets import load_dataset

dataset = load_dataset("path/or/repo", revision="v{card.version}", split="{SPLIT}")
```

## Statistics

{_statistics(card.scan)}

## Repairs and removals

{_repairs(card.scan)}

## Rejected documents

{_rejected(card.rejected)}

## Changes

{_changes(card.changelog)}

## Columns

{_columns()}

## Pipeline

{_pipeline(card.pipeline)}

Every file of this version is listed with its SHA-256 in `manifest.json`; `ctk verify` re-checks them.
"""
    return f"---\n{_card_data(card).to_yaml()}\n---\n{body}"


def validate_card(text: str, features: Features) -> DatasetCardData:
    """Parse a card as the Hub and `datasets` do; DataError naming the problem if they would refuse it
    or if its features are not `features` (those of the shards)."""
    try:
        data = DatasetCard(text).data
        assert isinstance(data, DatasetCardData)  # DatasetCard always parses into its own card data class
        configs = MetadataConfigs.from_dataset_card_data(data)
        infos = DatasetInfosDict.from_dataset_card_data(data)
    except (ValueError, TypeError, KeyError) as error:
        raise DataError(f"dataset card: its metadata does not parse ({error})") from None
    if not configs or not configs.get_default_config_name():
        raise DataError("dataset card: no default config with data_files")
    problems = [
        f"size category {value!r}"
        for value in data.size_categories or []
        if value not in _allowed("size_categories.json")
    ]
    problems += [f"language {value!r}" for value in data.language or [] if value not in _allowed("languages.json")]
    if not data.license:
        problems.append("no license")
    if problems:
        raise DataError(f"dataset card: the Hub would refuse {', '.join(problems)}")
    declared = infos["default"].features if "default" in infos else None
    if declared != features:
        raise DataError("dataset card: its features are not those of the data files")
    return data
