"""Encoding detection on real text encoded as it is found in the wild."""

from __future__ import annotations

import codecs

import pytest

from tests.conftest import RAW, corpus_files
from toolkit.ingest.encoding import DecodeError, decode_bytes


def _texts(name: str, limit: int, length: int) -> list[str]:
    return [path.read_text(encoding="utf-8")[:length] for path in corpus_files(name, limit)]


@pytest.mark.parametrize("length", [12, 60, 2000])
def test_simplified_chinese_in_gb18030(length: int) -> None:
    for text in _texts("peoples-daily-1998", 60, length):
        decoded = decode_bytes(text.encode("gb18030"))
        assert (decoded.text, decoded.encoding) == (text, "gb18030")


@pytest.mark.parametrize("length", [12, 60, 2000])
def test_traditional_chinese_in_big5(length: int) -> None:
    checked = 0
    for text in _texts("zh-hant", 60, length):
        try:
            data = text.encode("cp950")
        except UnicodeEncodeError:  # a character Big5 lacks: such text is never Big5 in the wild
            continue
        decoded = decode_bytes(data)
        assert decoded.text == data.decode("cp950")  # cp950 maps a few punctuation marks (• to ‧)
        assert decoded.encoding in ("cp950", "big5hkscs")
        checked += 1
    assert checked > 30


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark(codec: str) -> None:
    for text in _texts("zh-hant", 30, 500) + _texts("peoples-daily-1998", 30, 500):
        assert decode_bytes(text.encode(codec)).text == text


@pytest.mark.parametrize(
    ("bom", "codec", "label"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_byte_order_marks_are_honoured_and_dropped(bom: bytes, codec: str, label: str) -> None:
    text = (RAW / "001_0219663f217feaf0.txt").read_text(encoding="utf-8")
    decoded = decode_bytes(bom + text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding == label


def test_utf8_is_taken_as_is_and_newlines_are_normalised() -> None:
    decoded = decode_bytes("第一行\r\n第二行\r第三行".encode())
    assert decoded == decode_bytes("第一行\n第二行\n第三行".encode())
    assert decoded.encoding == "utf-8"


def test_a_few_bad_bytes_in_utf8_are_replaced_and_counted() -> None:
    text = (RAW / "002_bc199c91f5c17d2a.txt").read_bytes()
    cut = text.index(b"\n", 1000)
    damaged = text[:cut] + b"\xff" + text[cut:]
    decoded = decode_bytes(damaged)
    assert decoded.encoding == "utf-8"
    assert decoded.replaced == 1
    assert "\ufffd" in decoded.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4, "binary"),
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64, "binary"),
    ],
)
def test_bad_inputs_raise_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError) as caught:
        decode_bytes(data)
    assert caught.value.reason == reason
