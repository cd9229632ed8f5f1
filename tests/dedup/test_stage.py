from pathlib import Path

import pyarrow.parquet as pq
import pytest

from toolkit.config import ConfigError
from toolkit.dedup import DedupOptions, DedupStage
from toolkit.dedup.evaluation import build_test_set, score
from toolkit.document import Document, content_id, to_table
from toolkit.engines import LocalEngine
from toolkit.pipeline import DataError, ShardWriter, read_documents, read_stage_output, run_stage

FOOTER = "本文转载自其他媒体，转载目的在于传递更多信息，并不代表本网赞同其观点。"


def write_input(folder: Path, texts: list[str], repairs: list[int] | None = None) -> Path:
    writer = ShardWriter(folder, "part", rejects=False)
    for number, text in enumerate(texts):
        spans = repairs[number] if repairs else 0
        writer.write(Document(text=text, source=f"{number:05d}.txt", repairs={"mojibake": spans}))
    writer.close()
    return folder


def dedup(
    tmp_path: Path, texts: list[str], name: str = "out", repairs: list[int] | None = None, **options
) -> tuple[list[Document], list[Document]]:
    source = tmp_path / "in"
    if not source.exists():
        write_input(source, texts, repairs)
    output = tmp_path / name
    report = run_stage(DedupStage(DedupOptions(**options)), source, output)
    result = read_stage_output(output)
    kept, rejected = list(result.documents()), list(read_documents(result.rejects))
    assert report.documents_in == len(texts) == len(kept) + len(rejected)  # the accounting invariant
    assert report.documents_out == len(kept) and sum(report.rejected.values()) == len(rejected)
    return kept, rejected


def number(doc: Document) -> int:
    return int(doc.source.split(".")[0])


@pytest.fixture(scope="module")
def test_set(real_texts):
    return build_test_set(real_texts[:60], clusters=30, seed=1)


def test_recall_and_precision_on_variants_of_real_documents(tmp_path, test_set):
    kept, rejected = dedup(tmp_path, [item.text for item in test_set])
    number_of_kept = {doc.id: number(doc) for doc in kept}
    kept_for: list[int | None] = [None] * len(test_set)
    for doc in rejected:
        kept_for[number(doc)] = number_of_kept[doc.meta["duplicate_of"]]
    scores = score(test_set, kept_for)
    assert scores.recall >= 0.95, scores.rows()
    assert scores.precision >= 0.99


def test_every_output_names_its_cluster_and_dropped_ones_the_kept_one(tmp_path, test_set):
    kept, rejected = dedup(tmp_path, [item.text for item in test_set])
    kept_ids = {doc.id for doc in kept}
    assert len(kept_ids) == len(kept)
    for doc in kept + rejected:
        assert doc.id == content_id(doc.text)
    assert all(doc.meta["cluster_id"] == doc.id for doc in kept)
    for doc in rejected:
        assert doc.reject_reason in ("exact-duplicate", "near-duplicate")
        assert doc.meta["duplicate_of"] == doc.meta["cluster_id"] and doc.meta["duplicate_of"] in kept_ids


def test_same_input_gives_the_same_bytes_with_or_without_spilling(tmp_path, test_set):
    texts = [item.text for item in test_set]
    dedup(tmp_path, texts, "first")
    dedup(tmp_path, texts, "second", memory_budget_mb=0)  # every index column goes to disk
    for folder in ("documents", "rejects"):
        first = sorted((tmp_path / "first" / folder).glob("*.parquet"))
        second = sorted((tmp_path / "second" / folder).glob("*.parquet"))
        assert [f.name for f in first] == [f.name for f in second]
        assert [f.read_bytes() for f in first] == [f.read_bytes() for f in second]


def test_exact_and_near_duplicates_are_told_apart(tmp_path, real_texts):
    original = real_texts[0]
    texts = [original, "  " + original.replace("，", ","), original[: len(original) * 9 // 10], real_texts[1]]
    kept, rejected = dedup(tmp_path, texts, keep="earliest")
    assert [number(doc) for doc in kept] == [0, 3]
    assert {number(doc): doc.reject_reason for doc in rejected} == {1: "exact-duplicate", 2: "near-duplicate"}


@pytest.mark.parametrize(("keep", "expected"), [("earliest", 0), ("longest", 1), ("quality", 2)])
def test_keep_policy_chooses_the_copy(tmp_path, real_texts, keep, expected):
    original = real_texts[2]
    longer = original + "\n另有补充说明的一段文字。"
    shorter_but_cleaner = original[: len(original) * 95 // 100]
    kept, _ = dedup(tmp_path, [original, longer, shorter_but_cleaner], repairs=[3, 5, 0], keep=keep)
    assert [number(doc) for doc in kept] == [expected]


def test_repeated_paragraph_stays_only_in_its_first_document(tmp_path, real_texts):
    texts = [f"{text}\n{FOOTER}" for text in real_texts[:4]] + [FOOTER[:15]]
    kept, _ = dedup(tmp_path, texts)
    by_number = {number(doc): doc for doc in kept}
    assert FOOTER in by_number[0].text.split("\n")
    for n in (1, 2, 3):
        assert FOOTER not in by_number[n].text
        assert by_number[n].removed == [{"reason": "repeated-paragraph", "text": FOOTER}]
    assert by_number[4].text == FOOTER[:15]  # below paragraph_min_chars


def test_bad_options_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="divide"):
        DedupOptions(num_perm=128, bands=30)
    with pytest.raises(ConfigError, match="keep must be one of"):
        DedupOptions.from_table({"keep": "shortest"}, "dedup")


def test_one_or_two_workers_give_the_same_bytes(tmp_path, test_set, monkeypatch):
    monkeypatch.setattr("toolkit.pipeline.BATCH_ROWS", 16)  # row groups of 16 rows
    monkeypatch.setattr("toolkit.dedup.INDEX_BATCH", 32)  # read two at a time: several chunks for the workers
    write_input(tmp_path / "in", [item.text for item in test_set])
    for name, workers in (("one", 1), ("two", 2)):
        run_stage(DedupStage(), tmp_path / "in", tmp_path / name, engine=LocalEngine(workers))
    for folder in ("documents", "rejects"):
        one = sorted((tmp_path / "one" / folder).glob("*.parquet"))
        two = sorted((tmp_path / "two" / folder).glob("*.parquet"))
        assert one and [f.read_bytes() for f in one] == [f.read_bytes() for f in two]


def test_documents_given_as_an_iterator_are_deduplicated_the_same(tmp_path, test_set):
    texts = [item.text for item in test_set]
    kept, rejected = dedup(tmp_path, texts)
    documents = [Document(text=text, source=f"{n:05d}.txt", repairs={"mojibake": 0}) for n, text in enumerate(texts)]
    out = list(DedupStage().run(iter(documents)))
    assert [doc.text for doc in out if not doc.reject_reason] == [doc.text for doc in kept]
    assert [(doc.source, doc.reject_reason) for doc in out if doc.reject_reason] == [
        (doc.source, doc.reject_reason) for doc in rejected
    ]
    assert list(DedupStage().run(iter([]))) == []


def test_a_corrupt_shard_is_a_one_line_error(tmp_path, real_texts):
    source = write_input(tmp_path / "in", real_texts[:3])
    shard = next(source.glob("*.parquet"))
    shard.write_bytes(shard.read_bytes()[:200])
    with pytest.raises(DataError, match=f"{shard.name}: unreadable Parquet shard"):
        run_stage(DedupStage(), source, tmp_path / "out")


def test_an_empty_input_gives_an_empty_output(tmp_path):
    (tmp_path / "in").mkdir()
    pq.write_table(to_table([]), tmp_path / "in" / "part-00000.parquet")  # a shard with no rows
    report = run_stage(DedupStage(), tmp_path / "in", tmp_path / "out")
    assert (report.documents_in, report.documents_out) == (0, 0)
    assert list(read_stage_output(tmp_path / "out").documents()) == []
