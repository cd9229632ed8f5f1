"""Every raw input becomes documents or rejects with a reason; nothing stops the run."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import RAW
from toolkit.document import DOCUMENT_SCHEMA, REJECT_SCHEMA, Document, _row, from_table, to_table
from toolkit.ingest import IngestStage
from toolkit.pipeline import read_documents, read_manifest, run_stage


def _ingest(raw: Path, out: Path) -> tuple[list, list]:
    run_stage(IngestStage(), raw, out)
    manifest = read_manifest(out)
    assert manifest is not None
    documents = list(read_documents(out / e["path"] for e in manifest["documents"]))
    rejects = list(read_documents(out / e["path"] for e in manifest["rejects"]))
    return documents, rejects


def test_bad_inputs_become_rejects_with_reasons(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    seed = (RAW / "001_0219663f217feaf0.txt").read_text(encoding="utf-8")
    (raw / "good-gbk.txt").write_bytes(seed.encode("gb18030"))
    (raw / "empty.txt").write_bytes(b"")
    (raw / "blank.txt").write_text(" \n\n ", encoding="utf-8")
    (raw / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (raw / "sub" / "garbage.txt").write_bytes(bytes(range(128, 256)) * 40)
    (raw / "notes.docx").write_bytes(b"PK\x03\x04")
    (raw / "dangling.txt").symlink_to(tmp_path / "nowhere")
    (raw / "lines.jsonl").write_text(
        "\n".join(
            [
                json.dumps({"text": "第一篇", "url": "http://a.b/1", "title": "标题"}, ensure_ascii=False),
                "{not json",
                json.dumps({"body": "no text field"}),
                json.dumps(["a", "list"]),
                "",
                json.dumps({"text": "第二篇"}, ensure_ascii=False),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    pq.write_table(pa.table({"text": ["甲", "乙"], "lang": ["zh", "zh"]}), raw / "table.parquet")
    pq.write_table(pa.table({"body": ["甲"]}), raw / "textless.parquet")
    (raw / "broken.parquet").write_bytes(b"PAR1 this is not parquet")

    documents, rejects = _ingest(raw, tmp_path / "out")

    reasons = {(r.source, r.part): r.reject_reason for r in rejects}
    assert reasons == {
        ("blank.txt", 0): "empty",
        ("broken.parquet", 0): "unreadable-parquet",
        ("dangling.txt", 0): "unreadable",
        ("empty.txt", 0): "empty",
        ("image.txt", 0): "binary",
        ("lines.jsonl", 1): "malformed-jsonl-line",
        ("lines.jsonl", 2): "no-text-field",
        ("lines.jsonl", 3): "malformed-record",
        ("lines.jsonl", 4): "empty",
        ("notes.docx", 0): "unsupported-file-type",
        ("sub/garbage.txt", 0): "undecodable",
        ("textless.parquet", 0): "no-text-field",
    }
    assert all(r.stage == "ingest" for r in rejects)
    kept = {(d.source, d.part): d for d in documents}
    assert sorted(kept) == [
        ("good-gbk.txt", 0),
        ("lines.jsonl", 0),
        ("lines.jsonl", 5),
        ("table.parquet", 0),
        ("table.parquet", 1),
    ]
    assert kept["good-gbk.txt", 0].text == seed
    assert kept["good-gbk.txt", 0].encoding == "gb18030"
    first = kept["lines.jsonl", 0]
    assert (first.title, first.meta["url"]) == ("标题", "http://a.b/1")
    assert kept["table.parquet", 1].meta == {"lang": "zh"}


def test_unchanged_raw_files_are_not_reread(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("黄河", encoding="utf-8")
    first = run_stage(IngestStage(), raw, tmp_path / "out")
    again = run_stage(IngestStage(), raw, tmp_path / "out")
    assert (first.skipped, again.skipped) == (False, True)
    (raw / "a.txt").write_text("长江", encoding="utf-8")
    assert run_stage(IngestStage(), raw, tmp_path / "out").skipped is False


def test_jsonl_is_streamed_in_its_own_encoding_with_bad_bytes_and_lone_surrogates_mended(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    texts = [path.read_text(encoding="utf-8") for path in sorted(RAW.iterdir())] * 60  # over a megabyte
    lines = [json.dumps({"text": text, "n": n}, ensure_ascii=False).encode("gb18030") for n, text in enumerate(texts)]
    (raw / "legacy.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    utf8 = [
        json.dumps({"text": "正常的一行"}, ensure_ascii=False).encode(),
        b'{"text": "\\ud800 lone surrogate", "note": "\\udc00"}',
        json.dumps({"text": "坏字节："}, ensure_ascii=False).encode()[:-2] + b"\xff\xfe" + b'"}',
    ]
    (raw / "mixed.jsonl").write_bytes(b"\r\n".join(utf8))

    documents, rejects = _ingest(raw, tmp_path / "out")

    assert not rejects
    legacy = [d for d in documents if d.source == "legacy.jsonl"]
    assert [d.text for d in legacy] == [t.replace("\r\n", "\n") for t in texts]
    assert {d.encoding for d in legacy} == {"gb18030"}
    mixed = {d.part: d for d in documents if d.source == "mixed.jsonl"}
    assert mixed[0].text == "正常的一行" and not mixed[0].repairs
    assert mixed[1].text == "\ufffd lone surrogate" and mixed[1].meta["note"] == "\ufffd"
    assert mixed[1].repairs == {"lone-surrogates-replaced": 2}
    assert mixed[2].text == "坏字节：\ufffd\ufffd" and mixed[2].repairs == {"invalid-bytes-replaced": 2}


# The documents a reader makes are the first that a stage writes: toolkit.document's Arrow conversion,
# which builds columns from their buffers (pyarrow's own conversion of a list imports pandas), is checked
# here against pyarrow's.
NAMES = st.one_of(st.none(), st.text(max_size=8))
DOCUMENTS = st.builds(
    Document,
    text=st.text(max_size=40),
    source=st.text(max_size=8),
    part=st.integers(0, 2**31 - 1),
    id=st.text(max_size=4),
    encoding=st.sampled_from(["", "utf-8", "gb18030"]),
    title=NAMES,
    meta=st.dictionaries(st.text(max_size=4), st.one_of(st.integers(), st.text(max_size=4)), max_size=3),
    repairs=st.dictionaries(st.text(max_size=6), st.integers(0, 2**40), max_size=3),
    removed=st.lists(st.fixed_dictionaries({"reason": NAMES, "text": NAMES}), max_size=3),
    reject_reason=NAMES,
    stage=st.text(max_size=6),
)


@settings(max_examples=300)
@given(documents=st.lists(DOCUMENTS, max_size=6), rejects=st.booleans())
def test_documents_become_the_table_pyarrow_would_make(documents: list[Document], rejects: bool) -> None:
    schema = REJECT_SCHEMA if rejects else DOCUMENT_SCHEMA
    expected = pa.Table.from_pylist([_row(doc, rejects, []) for doc in documents], schema=schema)
    table = to_table(documents, rejects=rejects)
    assert table.schema == expected.schema and table.equals(expected)
    assert [(d.text, d.repairs, d.removed) for d in from_table(table)] == [
        (d.text, d.repairs, d.removed) for d in documents
    ]


def test_a_document_arrow_cannot_hold_fails_as_pyarrow_fails() -> None:
    with pytest.raises(UnicodeEncodeError):  # what pyarrow raises for a lone surrogate
        to_table([Document(text="\ud800", source="x")])
    with pytest.raises(pa.ArrowInvalid):  # a part beyond int32
        to_table([Document(text="", source="x", part=2**31)])


def test_reading_raw_files_imports_no_html_warc_or_pandas_library() -> None:
    """Every stage process imports toolkit.ingest (the project's stage list): trafilatura, warcio,
    charset-normalizer and pandas cost it 0.4 s of CPU, and only HTML, WARC and legacy encodings need them."""
    code = """
import sys
from pathlib import Path
from toolkit.ingest import IngestStage
from toolkit.pipeline import run_stage
run_stage(IngestStage(), Path(sys.argv[1]), Path(sys.argv[2]))
print(sorted({"trafilatura", "lxml", "warcio", "charset_normalizer", "pandas"} & set(sys.modules)))
"""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        (raw / "a.jsonl").write_text(json.dumps({"text": "黄河流域"}, ensure_ascii=False) + "\n", encoding="utf-8")
        (raw / "b.txt").write_text("黄河流域生态保护", encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-c", code, str(raw), str(Path(tmp) / "out")], capture_output=True, text=True
        )
    assert run.returncode == 0, run.stderr
    assert run.stdout == "[]\n"
