"""Enrich on the seeds: typed columns, publication dates never guessed, filters to the rejects."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import RAW, python_output, seed_project
from toolkit.config import ConfigError
from toolkit.document import Document, content_id
from toolkit.enrich import EnrichOptions, EnrichStage
from toolkit.enrich.schema import DATASET_SCHEMA
from toolkit.enrich.signals import pinyin_gloss_density
from toolkit.pipeline import read_manifest, run_stage
from toolkit.project import load_config, make_stage, stage_folders

SEED_000 = "000_e8ddab1613936c90.txt"  # two Shanxi Daily articles: 3月28日 and 3月29日, no year stated
SEED_001 = "001_0219663f217feaf0.txt"  # 6月20日, with 上一篇 2022-06-22 10:51 under the article
SEED_004 = "004_be570e310e22c708.txt"  # traditional script, a pinyin gloss after every rare character


@pytest.fixture(scope="module")
def enriched(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds through every stage up to enrich (nothing published)."""
    root = seed_project(tmp_path_factory.mktemp("enrich"))
    config = load_config(root / "pipeline.toml")
    for name, source, output in stage_folders(root):
        run_stage(make_stage(name, config), source, output)
    return root


def _rows(folder: Path, kind: str = "documents") -> list[dict]:
    manifest = read_manifest(folder)
    assert manifest is not None
    return pa.concat_tables(pq.read_table(folder / e["path"]) for e in manifest[kind]).to_pylist()


def test_every_column_is_typed_and_ids_are_content_hashes(enriched: Path) -> None:
    manifest = read_manifest(enriched / "clean")
    assert (
        pq.read_schema(enriched / "clean" / manifest["documents"][0]["path"]).remove_metadata().equals(DATASET_SCHEMA)
    )
    for row in _rows(enriched / "clean"):
        assert row["id"] == content_id(row["text"])
        assert row["characters"] == len(row["text"]) and row["bytes"] == len(row["text"].encode())
        assert 0.0 <= row["han_ratio"] <= 1.0 and 0.0 <= row["duplicate_5gram_ratio"] <= 1.0
        assert row["language"] == "zh-Hans"
        assert row["pipeline"] == {k: manifest["pipeline"][k] for k in ("tool_version", "config_fingerprint")}
    assert [stage["stage"] for stage in manifest["pipeline"]["stages"]] == [
        "ingest",
        "repair",
        "clean",
        "dedup",
        "enrich",
    ]


def test_publication_dates_of_the_seeds(enriched: Path) -> None:
    published = {(r["source"], r["part"]): r["published"] for r in _rows(enriched / "clean")}
    # The only seed that states a year near its dateline: 6月20日 beside "上一篇 2022-06-22 10:51".
    assert published.pop((SEED_001, 0)) == date(2022, 6, 20)
    # 000 mentions 2022年 and 2023年 only as years of a film and of a plan: unknown, not guessed.
    assert set(published.values()) == {None}


def _seed(name: str, part: int = 0, **meta: object) -> Document:
    return Document(text=(RAW / name).read_text(encoding="utf-8"), source=name, part=part, meta=dict(meta))


def test_a_page_head_dates_every_article_of_its_file() -> None:
    stage = EnrichStage()
    first = _seed(SEED_000, 0, dateline="3月28日", page_head=["山西日报 2023年3月30日 星期四 第2版"])
    second = _seed(SEED_000, 1, dateline="3月29日")
    stage.prepare([first, second])
    assert [next(iter(stage.process(d))).meta["published"] for d in (first, second)] == [
        date(2023, 3, 28),
        date(2023, 3, 29),
    ]
    alone = EnrichStage()
    assert next(iter(alone.process(_seed(SEED_000, 1, dateline="3月29日")))).meta["published"] is None


def test_absent_upstream_facts_are_null() -> None:
    doc = next(iter(EnrichStage().process(Document(text="黄河。", source="x.txt"))))
    assert all(doc.meta[key] is None for key in ("url", "outlet", "author", "published", "templated"))
    assert doc.meta["original_script"] == "zh-Hans"


def test_pinyin_glosses_of_the_raw_seed_are_dense() -> None:
    assert pinyin_gloss_density((RAW / SEED_004).read_text(encoding="utf-8")) > 0.2
    assert pinyin_gloss_density((RAW / SEED_000).read_text(encoding="utf-8")) == 0.0


def test_filters_send_documents_to_the_rejects_with_their_reason(enriched: Path, tmp_path: Path) -> None:
    stage = EnrichStage(EnrichOptions(reject_below={"han_ratio": 0.9}, reject_above={"characters": 3000}))
    report = run_stage(stage, enriched / "build" / "dedup", tmp_path / "clean")
    rejects = [r for r in _rows(tmp_path / "clean", "rejects") if r["stage"] == "enrich"]
    assert rejects and sum(report.rejected.values()) == len(rejects)
    for row in rejects:
        signals = json.loads(row["meta"])
        assert row["reason"] in ("characters > 3000", "han_ratio < 0.9")
        assert signals["characters"] > 3000 or signals["han_ratio"] < 0.9
    for row in _rows(tmp_path / "clean"):
        assert row["characters"] <= 3000 and row["han_ratio"] >= 0.9


def test_unknown_filter_signals_are_refused(tmp_path: Path) -> None:
    (tmp_path / "pipeline.toml").write_text("[enrich]\nreject_above = { spam = 0.5 }\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="reject_above has no signal 'spam'"):
        load_config(tmp_path / "pipeline.toml")


def test_gloss_signals_leave_pypinyin_unimported() -> None:
    """Each worker reads the gloss signal's syllables from pypinyin's data file: importing the package also
    loads its phrase dictionary and trains its segmenter, a quarter of a second per process."""
    code = (
        "import sys; from toolkit.enrich.signals import quality_signals;"
        "signals = quality_signals('建設(shè)目標(biāo)，發展(fā zhǎn)經濟');"
        "print(signals['pinyin_gloss_density'] > 0, 'pypinyin' in sys.modules)"
    )
    assert python_output(code) == "True False\n"


def test_survey_tasks_carry_the_stage_as_it_was_before_combining() -> None:
    """The runner pickles the stage into every survey task while `combine` reads the results: dates
    gathered so far must not travel with the tasks still to come."""
    import pickle

    stage = EnrichStage()
    sizes = []

    def surveys():
        for n in range(50):
            sizes.append(len(pickle.dumps(stage)))
            yield {f"{n}.txt": [date(2024, 1, 1)] * 100}

    stage.combine(surveys())
    assert len(stage.file_dates) == 50 and max(sizes) == min(sizes)
