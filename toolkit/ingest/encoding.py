"""Decode raw bytes of unknown encoding into text, and say which encoding it was.

Order of trust: a byte-order mark; strict UTF-8; then charset-normalizer's guess, accepted only when
the text encodes back to the very same bytes; then UTF-8 with a few bad bytes replaced. Anything else
is undecodable, and the caller turns it into a reject.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

__all__ = ["DecodeError", "Decoded", "decode_bytes"]

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# A guess is widened to the superset codec that browsers and Windows use for the same label.
_SUPERSETS = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "gb18030": ("gb18030",),
    "big5": ("cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs",),
}
MAX_INVALID_UTF8 = 0.005  # share of bad bytes up to which a file is read as damaged UTF-8


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can confirm; `reason` is the reject reason."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    replaced: int = 0  # bytes that were not valid and became U+FFFD


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" not in sample:
        controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
        return controls > len(sample) * 0.05
    return True


def _confirmed(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if text.encode(encoding) == data else None


def decode_bytes(data: bytes) -> Decoded:
    """Decode `data`, detecting its encoding; raise DecodeError when it is not text.

    >>> decode_bytes("黄河".encode("gb18030")).encoding
    'gb18030'
    >>> decode_bytes(b"\\xef\\xbb\\xbfhi\\r\\n")
    Decoded(text='hi\\n', encoding='utf-8-sig', replaced=0)
    """
    if not data:
        raise DecodeError("empty", "the file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise DecodeError("undecodable", f"has a {encoding} byte-order mark but {error}") from None
            label = "utf-8-sig" if encoding == "utf-8" else encoding
            return Decoded(_normalise_newlines(text), label)
    try:
        return Decoded(_normalise_newlines(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass

    best = charset_normalizer.from_bytes(data).best()
    if best is not None:
        guess = best.encoding.replace("_", "-").lower()
        if guess.startswith("utf-16") or guess.startswith("utf-32") or not _looks_binary(data):
            for encoding in _SUPERSETS.get(guess, (guess,)):
                text = _confirmed(data, encoding)
                if text is not None and "\x00" not in text:
                    return Decoded(_normalise_newlines(text), encoding)

    lossy = data.decode("utf-8", errors="surrogateescape")
    invalid = sum(1 for ch in lossy if "\udc80" <= ch <= "\udcff")
    if _looks_binary(data):
        raise DecodeError("binary", "looks like a binary file, not text")
    if invalid <= len(data) * MAX_INVALID_UTF8:
        text = data.decode("utf-8", errors="replace")
        return Decoded(_normalise_newlines(text), "utf-8", replaced=invalid)
    raise DecodeError("undecodable", "is not valid in UTF-8, UTF-16, GB18030, Big5 or any detected encoding")
