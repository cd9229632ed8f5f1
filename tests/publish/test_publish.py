"""Publishing: the Hub layout that `datasets` loads, immutability, changelogs, verify, determinism."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from toolkit.cli import main
from toolkit.enrich.schema import DATASET_SCHEMA
from toolkit.pipeline import DataError, read_manifest
from toolkit.project import run_pipeline
from toolkit.publish import PublishOptions, parquet, publish, verify
from toolkit.publish.card import validate_card
from toolkit.publish.parquet import dataset_features, scan_corpus, write_shards


def _version(project: Path, version: str = "0.1.0") -> Path:
    return project / "dist" / project.name / version


def _clean_table(project: Path) -> pa.Table:
    manifest = read_manifest(project / "clean")
    assert manifest is not None
    return pa.concat_tables(pq.read_table(project / "clean" / e["path"]) for e in manifest["documents"])


def _set_option(project: Path, line: str, value: str) -> None:
    config = project / "pipeline.toml"
    text = config.read_text(encoding="utf-8")
    assert line in text
    config.write_text(text.replace(line, value), encoding="utf-8")


@pytest.fixture(autouse=True)
def offline_datasets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf-cache")


def test_load_dataset_reads_the_card_and_the_plain_parquet(built: Path) -> None:
    folder = _version(built)
    expected = _clean_table(built)
    assert expected.schema.equals(DATASET_SCHEMA)
    from_card = datasets.load_dataset(str(folder), split="train", cache_dir=str(folder.parent / ".cache"))
    shards = sorted(str(p) for p in (folder / "data").glob("train-*.parquet"))
    from_files = datasets.load_dataset(
        "parquet", data_files=shards, split="train", cache_dir=str(folder.parent / ".cache")
    )
    for loaded in (from_card, from_files):
        assert loaded.features == dataset_features()
        assert loaded.data.table.cast(DATASET_SCHEMA).equals(expected)


def test_shards_follow_the_hub_layout(built: Path) -> None:
    folder = _version(built)
    shards = sorted(p.name for p in (folder / "data").iterdir())
    assert shards == ["train-00000-of-00001.parquet"]
    meta = pq.ParquetFile(folder / "data" / shards[0]).metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
    assert b"content_defined_chunking" in meta.metadata
    assert b"huggingface" in meta.metadata
    assert meta.row_group(0).column(0).has_offset_index  # the page index


def test_small_limits_split_shards_and_row_groups(project: Path, tmp_path: Path) -> None:
    options = PublishOptions(max_shard_bytes=20_000, max_row_group_bytes=8_000)
    result = publish(project / "clean", tmp_path / "dist", name="seeds", version="1.0.0", options=options)
    files = sorted(Path(result.path, "data").iterdir())
    assert len(files) > 1
    assert all(f.name.endswith(f"-of-{len(files):05d}.parquet") for f in files)
    assert pq.ParquetFile(files[0]).metadata.num_row_groups > 1
    rows = pa.concat_tables(pq.read_table(f) for f in files)
    assert rows.cast(DATASET_SCHEMA).equals(_clean_table(project))


def test_same_corpus_gives_byte_identical_files(project: Path, tmp_path: Path) -> None:
    again = publish(project / "clean", tmp_path / "dist", name=project.name, version="0.1.0", options=PublishOptions())
    first = _version(project)
    for entry in read_manifest(first)["files"]:  # type: ignore[index]
        assert (first / entry["path"]).read_bytes() == (Path(again.path) / entry["path"]).read_bytes(), entry["path"]


def test_republishing_the_same_content_is_a_no_op(project: Path) -> None:
    folder = _version(project)
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}
    result = run_pipeline(project)
    assert result.published is not None and result.published.status == "unchanged"
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before


def test_a_published_version_is_immutable(project: Path) -> None:
    _set_option(project, "reject_below = {}", "reject_below = { han_ratio = 0.9 }")
    before = (_version(project) / "manifest.json").read_bytes()
    with pytest.raises(DataError, match=r'version = "0\.1\.1".*--bump patch'):
        run_pipeline(project)
    assert (_version(project) / "manifest.json").read_bytes() == before
    assert not list((project / "dist" / project.name).glob(".tmp-*"))


def test_changelog_between_two_versions(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_ids = set(_clean_table(project)["id"].to_pylist())
    _set_option(project, "reject_below = {}", "reject_below = { han_ratio = 0.9 }")
    with pytest.raises(DataError):
        run_pipeline(project)  # enrich reruns, publishing 0.1.0 is refused
    new_ids = set(_clean_table(project)["id"].to_pylist())
    assert new_ids < old_ids
    code = main(
        [
            "publish",
            str(project / "clean"),
            str(project / "dist"),
            "--name",
            project.name,
            "--bump",
            "minor",
            "--config",
            str(project / "pipeline.toml"),
        ]
    )
    assert code == 0
    assert "0 added, " in capsys.readouterr().out
    changelog = json.loads((_version(project, "0.2.0") / "changelog.json").read_text(encoding="utf-8"))
    assert changelog["previous"] == "0.1.0"
    assert set(changelog["ids"]["removed"]) == old_ids - new_ids
    assert (changelog["added"], changelog["changed"], changelog["unchanged"]) == (0, 0, len(new_ids))
    assert "Since 0.1.0:" in (_version(project, "0.2.0") / "README.md").read_text(encoding="utf-8")


def test_verify_catches_a_corrupted_shard(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _version(project)
    assert verify(folder) == 3
    shard = next((folder / "data").iterdir())
    data = bytearray(shard.read_bytes())
    data[len(data) // 2] ^= 0xFF
    shard.write_bytes(bytes(data))
    assert main(["verify", str(folder)]) == 1
    assert f"data/{shard.name} does not match its checksum" in capsys.readouterr().err


def test_verify_catches_an_unlisted_file_and_a_broken_card(project: Path) -> None:
    folder = _version(project)
    (folder / "data" / "train-00001-of-00002.parquet").write_bytes(b"")
    with pytest.raises(DataError, match="not listed"):
        verify(folder)
    card = (folder / "README.md").read_text(encoding="utf-8")
    with pytest.raises(DataError, match="size category 'tiny'"):
        validate_card(card.replace("- n<1K", "- tiny"), dataset_features())
    with pytest.raises(DataError, match="language 'chinese'"):
        validate_card(card.replace("- zh\n", "- chinese\n"), dataset_features())


def test_card_metadata_parses_with_huggingface_hub_and_datasets(built: Path) -> None:
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCard

    data = DatasetCard.load(_version(built) / "README.md").data
    assert data.language == ["zh"] and data.size_categories == ["n<1K"] and data.license == "other"
    configs = MetadataConfigs.from_dataset_card_data(data)
    assert configs["default"]["data_files"] == [{"split": "train", "path": "data/train-*"}]


def test_bad_versions_are_refused(project: Path) -> None:
    with pytest.raises(DataError, match=r"MAJOR\.MINOR\.PATCH"):
        publish(project / "clean", project / "dist", name="x", version="1.0", options=PublishOptions())


def test_a_row_group_is_freed_before_the_next_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Row groups are up to 100 MB: holding the last one while reading the next doubled publish's memory."""
    rows = 16_000  # in row groups of about 4,000 rows, read 1,024 at a time

    def empty(kind: pa.DataType) -> pa.Array:  # what scan_corpus adds up: zeros and empty lists, not nulls
        if pa.types.is_integer(kind) or pa.types.is_floating(kind):
            return pa.array([0] * rows, kind)
        return pa.array([[]] * rows, kind) if pa.types.is_list(kind) else pa.nulls(rows, kind)

    columns = {field.name: empty(field.type) for field in DATASET_SCHEMA}
    columns["text"] = pa.array([f"{n:08d}" * 50 for n in range(rows)])
    corpus = pa.table(columns, schema=DATASET_SCHEMA)
    shard = tmp_path / "documents.parquet"
    pq.write_table(corpus, shard, row_group_size=100)
    del corpus, columns
    scan = scan_corpus([shard])
    allocated_at_reads: list[int] = []
    read_batches = parquet.parquet_batches

    def watched(file: Path, **options: object) -> Iterator[pa.RecordBatch]:
        for batch in read_batches(file, **options):  # type: ignore[arg-type]
            allocated_at_reads.append(pa.total_allocated_bytes())
            yield batch

    monkeypatch.setattr(parquet, "parquet_batches", watched)
    group_bytes = scan.nbytes // 4
    before = pa.total_allocated_bytes()
    write_shards([shard], tmp_path / "out", scan, max_shard_bytes=scan.nbytes * 2, max_row_group_bytes=group_bytes)
    assert len(allocated_at_reads) == 16
    assert (
        max(allocated_at_reads) - before < 1.75 * group_bytes
    )  # one group and the batches of the next, (before, allocated_at_reads, group_bytes)
