"""The published dataset's columns: one list of (name, Arrow type, meaning), the one place they are defined.

The enrich stage writes `DATASET_SCHEMA` (its `Stage.schema`), publish checks the corpus against it and
derives the dataset card's `features` and its column table from `COLUMNS`. Keys of `Document.meta` that
are not promoted to a column stay in the `meta` JSON column (e.g. `dateline`, `page_head`,
`continuation_markers`, `cluster_id`), so nothing an upstream stage found is lost.
"""

from __future__ import annotations

from typing import NamedTuple

import pyarrow as pa

from toolkit.document import DOCUMENT_SCHEMA, RAW_PART

__all__ = [
    "COLUMNS",
    "DATASET_SCHEMA",
    "DUPLICATE_NGRAM_SIZES",
    "PROMOTED_TEXT_KEYS",
    "SIGNALS",
    "TOP_NGRAM_SIZES",
    "Column",
]

# Gopher's repetition filters use word n-grams: top n-grams for n = 2..4, duplicated n-grams for
# n = 5..10. Our n-grams are over text units (one Han/kana/Hangul character, or one Latin word), so the
# same sizes apply to Chinese and to English alike.
TOP_NGRAM_SIZES = (2, 3, 4)
DUPLICATE_NGRAM_SIZES = (5, 6, 7, 8, 9, 10)


class Column(NamedTuple):
    name: str
    type: pa.DataType
    description: str


_CORE = {field.name: field.type for field in DOCUMENT_SCHEMA}

_IDENTITY = [
    Column("id", _CORE["id"], "content hash of `text` (first 32 hex digits of its SHA-256): same text, same id"),
    Column("source", _CORE["source"], "raw file the document comes from, relative to `raw/`"),
    Column("part", _CORE["part"], "0-based index of the document within its raw file"),
    Column(
        RAW_PART,
        pa.int32(),
        "the `part` of the raw document (a record of a JSONL or Parquet file) this one was cut from: "
        "the clean stage splits a page holding several articles and numbers the parts of the file anew",
    ),
    Column("url", pa.string(), "address of the original page, when the file names it"),
    Column("title", _CORE["title"], "headline"),
    Column("text", _CORE["text"], "the cleaned text, one paragraph per line"),
    Column("outlet", pa.string(), "publication or site named in the document"),
    Column("author", pa.string(), "author or reporter named in the document"),
    Column("editor", pa.string(), "editor named in the document"),
    Column("photographer", pa.string(), "photographer named in the document"),
    Column(
        "published",
        pa.date32(),
        "publication date when a full date is known (a dateline plus a year stated elsewhere in the "
        "same file, or an explicit date); null when unknown, never guessed",
    ),
    Column("language", pa.string(), "BCP-47 tag from the text's script (e.g. `zh-Hans`); `und-Latn` when unsure"),
    Column("original_script", pa.string(), "language and script of the raw text before any script conversion"),
    Column("encoding", _CORE["encoding"], "encoding the raw bytes were decoded with"),
]

_SIZES = [
    Column("characters", pa.int64(), "length of `text` in Unicode code points"),
    Column("bytes", pa.int64(), "length of `text` in UTF-8 bytes"),
    Column("paragraphs", pa.int32(), "non-blank lines of `text`"),
    Column("han_ratio", pa.float64(), "share of non-space characters that are Han ideographs"),
]

# Quality signals, in the style of Gopher / FineWeb, adapted to text without spaces between words.
_SIGNALS = [
    Column("duplicate_line_ratio", pa.float64(), "share of paragraphs that repeat an earlier paragraph"),
    Column("duplicate_line_char_ratio", pa.float64(), "share of characters in paragraphs that repeat an earlier one"),
    *(
        Column(f"top_{n}gram_ratio", pa.float64(), f"share of characters in the most frequent {n}-gram of units")
        for n in TOP_NGRAM_SIZES
    ),
    *(
        Column(
            f"duplicate_{n}gram_ratio",
            pa.float64(),
            f"share of characters inside {n}-grams of units seen twice or more",
        )
        for n in DUPLICATE_NGRAM_SIZES
    ),
    Column("punctuation_ratio", pa.float64(), "share of non-space characters that are punctuation"),
    Column("mean_paragraph_chars", pa.float64(), "mean paragraph length in characters"),
    Column("templated", pa.bool_(), "the clean stage recognised the text as a filled-in template; null if not checked"),
    Column(
        "pinyin_gloss_density",
        pa.float64(),
        "share of non-space characters inside pinyin glosses after Han text (a strong spam signal)",
    ),
]

_PIPELINE_TYPE = pa.struct([("tool_version", pa.string()), ("config_fingerprint", pa.string())])

_HISTORY = [
    Column("repairs", _CORE["repairs"], "what the repair stage fixed: spans changed per fixer"),
    Column("removed", _CORE["removed"], "what the clean stage removed: each span with its reason"),
    Column("pipeline", _PIPELINE_TYPE, "corpus-toolkit version and fingerprint of every stage's options"),
    Column("meta", _CORE["meta"], "JSON of the facts upstream stages found that have no column of their own"),
]

COLUMNS: list[Column] = _IDENTITY + _SIZES + _SIGNALS + _HISTORY
DATASET_SCHEMA = pa.schema([(column.name, column.type) for column in COLUMNS])

# The numeric sizes and signals the `[enrich]` filters may test, in column order.
SIGNALS = [
    column.name for column in _SIZES + _SIGNALS if pa.types.is_floating(column.type) or pa.types.is_integer(column.type)
]
# Text facts the clean stage puts in meta under the column's own name.
PROMOTED_TEXT_KEYS = ("url", "outlet", "author", "editor", "photographer")
