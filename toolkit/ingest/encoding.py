"""Decode raw bytes of unknown encoding into text, and say which encoding it was.

Order of trust: a byte-order mark; strict UTF-8; then charset-normalizer's guess, accepted only when
the text encodes back to the very same bytes; then UTF-8 with a few bad bytes replaced. Anything else
is undecodable, and the caller turns it into a reject.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from toolkit.text import HAN

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
# Tried before charset-normalizer's guesses (which can be empty for legacy CJK text); on a tie in
# plausibility the first wins, so short ambiguous Chinese input is read as GB18030, then Big5.
_PREFERRED = ("gb18030", "cp950")
MIN_PLAUSIBILITY = 0.9  # a decode with more odd characters than this is not the right one
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
    return text if text.encode(encoding) == data and "\x00" not in text else None


@functools.lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """The level-1 (most frequent) characters of GB2312 and of Big5: a wrong CJK decode is mostly rare ones."""
    pairs = [(bytes([lead, trail]), "gb2312") for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF)]
    pairs += [
        (bytes([lead, trail]), "big5")
        for lead in range(0xA4, 0xC7)
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF))
    ]
    common = set()
    for raw, codec in pairs:
        with contextlib.suppress(UnicodeDecodeError):  # unassigned codes inside the level-1 range
            common.add(raw.decode(codec))
    return frozenset(common)


_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_RARE_BLOCKS = re.compile("[\ua000-\ua4cf\u3200-\u33ff\ue000-\uf8ff]")  # Yi, enclosed CJK, private use


def plausibility(text: str) -> float:
    """Share of characters a real document would use: common Han, printable non-private characters,
    less a penalty for Hangul next to Han (what a Chinese text decoded as Korean or UTF-16 looks like).

    >>> plausibility("ab\ue000\ue001")  # private-use characters
    0.5
    >>> plausibility("黄河流域") > plausibility("컸蠟졌돨")
    True
    """
    sample = text[:65536]
    if not sample:
        return 0.0
    common = _common_han()
    good = 0
    for ch in sample:
        if HAN.match(ch):
            good += ch in common
        elif ch in "\n\t" or (ch.isprintable() and unicodedata.category(ch) not in ("Co", "Cn", "Cs")):
            good += not _RARE_BLOCKS.match(ch)
    mixed = sum(
        1
        for a, b in itertools.pairwise(sample)
        if (HAN.match(a) and _HANGUL.match(b)) or (_HANGUL.match(a) and HAN.match(b))
    )
    return (good - 2 * mixed) / len(sample)


def decode_bytes(data: bytes) -> Decoded:
    """Decode `data`, detecting its encoding; raise DecodeError when it is not text.

    >>> decode_bytes("黄河流域生态保护和高质量发展".encode("gb18030")).encoding
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
    binary_looking = _looks_binary(data)  # NUL bytes are valid UTF-8 but never in a text file
    if not binary_looking:
        with contextlib.suppress(UnicodeDecodeError):
            return Decoded(_normalise_newlines(data.decode("utf-8")), "utf-8")

    import charset_normalizer  # imported here: most files are UTF-8 and never need it

    guesses = [match.encoding.replace("_", "-").lower() for match in charset_normalizer.from_bytes(data)]
    best: tuple[float, str, str] | None = None
    # Our preferred encodings go first, so that they win a tie on short, ambiguous inputs.
    wide = ("utf-16-le", "utf-16-be") if b"\x00" in data else ()  # UTF-16 without a byte-order mark
    for guess in dict.fromkeys([*_PREFERRED, *guesses, *wide]):
        for encoding in _SUPERSETS.get(guess, (guess,)):
            confirmed = _confirmed(data, encoding)
            if confirmed is not None:
                score = plausibility(confirmed)
                if best is None or score > best[0]:  # on a tie the earlier (preferred) guess stays
                    best = (score, confirmed, encoding)
                break
    if best is not None and best[0] >= MIN_PLAUSIBILITY:
        return Decoded(_normalise_newlines(best[1]), best[2])

    lossy = data.decode("utf-8", errors="surrogateescape")
    invalid = sum(1 for ch in lossy if "\udc80" <= ch <= "\udcff")
    if binary_looking:
        raise DecodeError("binary", "looks like a binary file, not text")
    if invalid <= len(data) * MAX_INVALID_UTF8:
        text = data.decode("utf-8", errors="replace")
        return Decoded(_normalise_newlines(text), "utf-8", replaced=invalid)
    raise DecodeError("undecodable", "is not valid in UTF-8, UTF-16, GB18030, Big5 or any detected encoding")
