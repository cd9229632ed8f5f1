"""Text decoded with the wrong codec: UTF-8 read as Latin-1/Windows-1252 (ftfy), or as GBK/GB18030 or Big5.

ftfy repairs the Latin family but its defaults also fold full-width punctuation to ASCII and straighten
curly quotes, which damages every Chinese document; `FTFY_CJK_SAFE` switches those off. ftfy does not
handle UTF-8 read as a CJK codec (its documentation says so): `fix_cjk_mojibake` does, one run of
non-ASCII characters at a time, so a single damaged paragraph is repaired inside a clean document.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import ftfy
import ftfy.badness
import ftfy.chardata

from toolkit.repair.result import Repaired

__all__ = ["FTFY_CJK_SAFE", "LOST", "fix_cjk_mojibake", "fix_latin_mojibake", "remove_lost_sequences"]

LOST = "\ufffd"  # the mark left where a character could not be recovered

FTFY_CJK_SAFE = ftfy.TextFixerConfig(
    unescape_html=False,  # entities.py decodes entities, also on lines that contain '<'
    fix_latin_ligatures=False,  # clean text keeps its ligatures
    fix_character_width=False,  # would turn ，：（）！？ into ASCII: wrong for Chinese and Japanese
    uncurl_quotes=False,  # “” and ‘’ are the quotes of Chinese text
    fix_line_breaks=False,  # line breaks are the ingest stage's business
    remove_control_chars=False,  # characters.py removes them, after mojibake repair has used C1 controls
    normalization=None,  # NFC would fold CJK compatibility ideographs (U+F900..) into other characters
    fix_surrogates=False,  # characters.py joins surrogate pairs and removes lone ones instead of marking them
    explain=False,
)

# Latin mojibake of UTF-8 always holds a character that stands for a lead byte 0xC2-0xF4 (Â-ô in Latin-1
# and Windows-1252, Latin Extended-A in Windows-1250, Greek or Cyrillic in Windows-1253/1251, ¬√ƒ≈∆ in
# Mac Roman, box drawing in CP437), or C1 controls, or terminal escapes. Left out: the readings of
# continuation bytes (·×°±) and the quotes and dashes Mac Roman reads some leads as, all common in clean
# Chinese, where they would send every line to ftfy's slower badness test.
LATIN_SUSPECT = re.compile(
    "[\x1b\x80-\x9f\xac\xc2-\xf4\u0100-\u017f\u0370-\u04ff\u0192\u221a\u2248\u2206\u2500-\u257f]"
)

C1_OR_ESCAPE = re.compile("[\x1b\x80-\x9f]")


def _lead_then_continuation() -> re.Pattern[str]:
    """A lead byte 0xC2-0xF4 then a continuation byte, as any of ftfy's single-byte codecs reads them: what
    every Latin mojibake of UTF-8 holds (a space or U+FFFD may stand for the continuation: ftfy restores
    a no-break space turned into a space, and sequences a strict decoder replaced)."""
    leads, continuations = set(), {" ", "\ufffd"}
    for codec in ftfy.chardata.CHARMAP_ENCODINGS:
        leads |= set(bytes(range(0xC2, 0xF5)).decode(codec, "replace"))
        continuations |= set(bytes(range(0x80, 0xC0)).decode(codec, "replace"))
    return re.compile(f"[{re.escape(''.join(sorted(leads)))}][{re.escape(''.join(sorted(continuations)))}]")


LEAD_THEN_CONTINUATION = _lead_then_continuation()


# What real UTF-8 text would not hold: controls, private-use and unassigned code points.
NOT_TEXT = re.compile("[^\t\n\x20-\x7e\xa0-\udfff\uf900-\uffef\U00020000-\U000323af]")
BEYOND_TWO_BYTES = re.compile("[^\x00-\u07ff]")  # characters UTF-8 writes with three bytes or four


def _is_text(text: str) -> bool:
    return not NOT_TEXT.search(text)


def fix_latin_mojibake(text: str) -> Repaired:
    """UTF-8 read as a single-byte codec, repaired by ftfy line by line where a line looks suspect.

    >>> fix_latin_mojibake("ä¸­æ–‡ â€œquotesâ€\x9d and cafÃ©")
    '中文 “quotes” and café'
    >>> fix_latin_mojibake("“全面推进”，（一）建設(shè) café ½")
    '“全面推进”，（一）建設(shè) café ½'
    """
    if not LATIN_SUSPECT.search(text):
        return Repaired(text)
    lines = text.split("\n")
    spans = 0
    for i, line in enumerate(lines):
        if _looks_latin_mojibake(line):
            fixed = _fix_latin_line(line)
            if fixed != line:
                lines[i], spans = fixed, spans + 1
    fixed, glued = _fix_latin_mojibake_beside_wide("\n".join(lines))
    spans += glued
    return Repaired(fixed, spans) if spans else Repaired(text)


def _looks_latin_mojibake(line: str) -> bool:
    # each test is cheaper than the next: ftfy's badness test is 5x slower than a regex search, and its
    # fix_text runs every fixer on the line
    return bool(
        LATIN_SUSPECT.search(line)
        and (C1_OR_ESCAPE.search(line) or (LEAD_THEN_CONTINUATION.search(line) and ftfy.badness.is_bad(line)))
    )


def _fix_latin_line(line: str) -> str:
    """A line that looks like Latin mojibake, decoded whole as long as it can be (it may have been mixed
    up more than once), then by ftfy."""
    while (decoded := _decode_whole_line(line)) is not None:
        if not _looks_latin_mojibake(decoded):
            return decoded
        line = decoded
    return ftfy.fix_text(line, FTFY_CJK_SAFE)


def _decode_whole_line(line: str) -> str | None:
    """The line re-encoded with the first codec ftfy would try that gives valid UTF-8 of text, if any.

    A paragraph read whole with the wrong codec is the common case; this is ftfy's first step without
    the rest of its fix_text (every fixer run on the line), 5x faster."""
    for codec in ("latin-1", "sloppy-windows-1252"):
        try:
            decoded = line.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
        if _is_text(decoded):
            return decoded
    return None


# UTF-8 of a three-byte character (Han, kana, Hangul, full-width punctuation) as Latin-1 or Windows-1252
# reads it: a lead à-ï then two continuation bytes, each a C1 control or a Windows-1252 symbol.
UTF8_CONTINUATION_READINGS = {
    reading: byte for byte in range(0x80, 0xC0) for reading in {chr(byte), bytes([byte]).decode("sloppy-windows-1252")}
}
# Written X then X* rather than (?:X)+: a pattern that starts with a character class is scanned for it,
# one that starts with a repeat is tried at every position (5x slower on a text without any).
_LATIN_READING_OF_3_BYTES = f"[\xe0-\xef][{''.join(UTF8_CONTINUATION_READINGS)}]{{2}}"
LATIN_MOJIBAKE_OF_3_BYTES = re.compile(f"{_LATIN_READING_OF_3_BYTES}(?:{_LATIN_READING_OF_3_BYTES})*")


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _fix_latin_mojibake_beside_wide(text: str) -> tuple[str, int]:
    """Latin mojibake of East Asian characters glued to East Asian text (`监控化学品çš„管理`).

    ftfy's badness test does not see it there (it looks for Latin context), and ftfy cannot re-encode
    a line that also holds Han. The sequence must decode to wide characters and touch one, so Latin
    text such as `allé »` (with a no-break space) stays as written."""
    spans = 0

    def decode(match: re.Match[str]) -> str:
        nonlocal spans
        start, end = match.span()
        beside = text[start - 1 : start] + text[end : end + 1]
        if not any(map(_is_wide, beside)):
            return match.group()
        data = bytes(UTF8_CONTINUATION_READINGS.get(ch, ord(ch)) for ch in match.group())  # leads are Latin-1
        decoded = data.decode("utf-8", "replace")
        if not all(map(_is_wide, decoded)):
            return match.group()
        spans += 1
        return decoded

    return LATIN_MOJIBAKE_OF_3_BYTES.sub(decode, text), spans


# ---------------------------------------------------------------- UTF-8 read as a CJK codec

CJK_CODECS = ("gbk", "gb18030", "big5")  # gbk and gb18030 map some bytes to different private-use characters
SENTINEL = 0xFF  # stands for a byte the wrong decode replaced by U+FFFD; never valid in UTF-8
_SENTINEL_BYTE = bytes([SENTINEL])
UTF8_LEADS = range(0xE4, 0xEA)  # lead bytes of the Han block U+4E00-U+9FFF
UTF8_CONTINUATIONS = range(0x80, 0xC0)
NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\s]{2,}")


@lru_cache(maxsize=1)
def _suspect() -> re.Pattern[str]:
    """Characters a CJK codec makes of a Han lead byte followed by a continuation byte.

    They are rare characters in real text, and one in three characters of the mojibake is one of them,
    so a text without any costs one regex search, and a run without any (our own marks of lost
    characters beside recovered ones) is not read again."""
    chars = set()
    for codec in CJK_CODECS:
        for lead in UTF8_LEADS:
            for continuation in UTF8_CONTINUATIONS:
                decoded = bytes([lead, continuation]).decode(codec, "ignore")
                if len(decoded) == 1:
                    chars.add(decoded)
    return re.compile("[" + "".join(sorted(chars)) + "]")


LOST_BYTES = re.compile("[\udc80-\udcff]+")  # invalid bytes, as the surrogateescape decoder gives them
# The start of a character cut short, then per loss the sentinel, the continuation bytes left of the
# character it hit and the start of the next character cut short.
PIECES_AROUND_LOSS = re.compile(
    rb"(?:[\xc2-\xf4][\x80-\xbf]{0,2})?(?:\xff[\x80-\xbf]{0,3}(?:[\xc2-\xf4][\x80-\xbf]{0,2})?)*"
)
UTF8_BYTES_PER_HAN = 3
GB18030_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
GB18030_LOST_BYTE = 0x80


def _restore_loss(invalid: bytes, marker: str, lost_byte: int | None) -> tuple[str, int]:
    """The text for the bytes around a loss, and the characters lost: what they were, when `lost_byte`
    is known and makes them valid UTF-8 text, else `marker` once per character lost."""
    if lost_byte is not None:
        try:
            restored = invalid.replace(bytes([SENTINEL]), bytes([lost_byte])).decode("utf-8")
        except UnicodeDecodeError:
            restored = ""
        if restored and _is_text(restored):
            return restored, 0
    lost = max(1, round(len(invalid) / UTF8_BYTES_PER_HAN))
    return marker * lost, lost


def _encodings(run: str) -> Iterator[bytes]:
    """`run` as written by each CJK codec that can write it, in the codecs' order, each distinct bytes once:
    GBK and GB18030 write most runs alike, and the same bytes read the same way."""
    # a run holds no ASCII, which these codecs write as itself and never make otherwise, so a NUL put
    # in place of each loss becomes the sentinel and nothing else does
    nul_for_loss = run.replace(LOST, "\x00")
    seen = set()
    for codec in CJK_CODECS:
        try:
            data = nul_for_loss.encode(codec).replace(b"\x00", _SENTINEL_BYTE)
        except UnicodeEncodeError:
            continue
        if data not in seen:
            seen.add(data)
            yield data


def _reread(data: bytes, marker: str, lost_byte: int | None) -> tuple[str, int] | None:
    """A run as a CJK codec wrote it (`data`) decoded as UTF-8, with the number of characters lost; None
    when the bytes are not UTF-8 apart from where the wrong decode lost some. Inside the run a loss is
    `lost_byte` when that is known, at its end it never is (the ASCII after it cut a character in two)."""
    decoded = data.decode("utf-8", "surrogateescape")
    pieces: list[str] = []
    lost = done = 0
    for region in LOST_BYTES.finditer(decoded):
        # invalid bytes are acceptable where the wrong decode lost some, or at the run's end; and only
        # as the pieces of characters around a loss, so that a real character inside the run (decoded
        # from an entity, say) is not taken for lost bytes
        invalid = region.group().encode("utf-8", "surrogateescape")
        at_end = region.end() == len(decoded)
        if not PIECES_AROUND_LOSS.fullmatch(invalid) or (SENTINEL not in invalid and not at_end):
            return None
        restored, region_lost = _restore_loss(invalid, marker, None if at_end else lost_byte)
        pieces += [decoded[done : region.start()], restored]
        lost, done = lost + region_lost, region.end()
    pieces.append(decoded[done:])
    recovered = "".join(pieces[::2])  # the text between the invalid bytes
    # a CJK codec garbles three-byte UTF-8 (Han, full-width punctuation): some must come back, unless
    # the run is what is left of characters cut in two (`骞�` of 年 before a comma)
    if not _is_text(recovered) or not (BEYOND_TWO_BYTES.search(recovered) or not recovered):
        return None
    return "".join(pieces), lost


def fix_cjk_mojibake(text: str, marker: str = LOST) -> Repaired:
    """UTF-8 decoded as GBK/GB18030 or Big5, repaired; characters the wrong decode lost become `marker`.

    >>> fix_cjk_mojibake("鍏ㄧ渷缁忔祹 灏辫仈鍚堝浗 and 中文")
    '全省经济 就联合国 and 中文'
    >>> fixed = fix_cjk_mojibake("寤鸿\\ufffd剧洰鏍\\ufffd")  # 建设目标 read as GBK, lossy: 设 and 标 lost
    >>> fixed, fixed.lost
    ('建\\ufffd目\\ufffd', 2)
    >>> fix_cjk_mojibake("撱箄挽\\ufffd\\ufffd格\\ufffd\\ufffd")  # the same read as Big5
    '建设\\ufffd\\ufffd'
    """
    suspect = _suspect()
    if not suspect.search(text):
        return Repaired(text)
    # GB18030 reads every byte pair of UTF-8 (unassigned ones as private-use characters, which GBK and
    # Big5 never give): inside a run, what it lost is a 0x80 in first position, as in 。、《》“” 着
    lost_byte = GB18030_LOST_BYTE if GB18030_PRIVATE_USE.search(text) else None
    spans = lost = 0
    pieces: list[str] = []
    done = 0
    for start, end in _runs_around(suspect, text):
        run = text[start:end]
        best: tuple[str, int] | None = None  # the first reading that loses fewest characters
        for data in _encodings(run):
            candidate = _reread(data, marker, lost_byte)
            if candidate is not None and (best is None or candidate[1] < best[1]):
                best = candidate
                if not best[1]:  # none can lose fewer
                    break
        if best is not None:
            pieces += [text[done:start], best[0]]
            spans, lost, done = spans + 1, lost + best[1], end
    pieces.append(text[done:])
    return Repaired("".join(pieces), spans, lost)


_RUN_CHARACTERS = re.compile(r"[^\x00-\x7f\s]*")  # what NON_ASCII_RUN is made of


def _runs_around(pattern: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """The spans of the runs of NON_ASCII_RUN in `text` in which a match of `pattern` starts, in order.

    The matches are found first (a search for rare characters is fast) and each run is grown around
    its match, forwards in the text and backwards in it reversed: going through every run of a Chinese
    text instead would cost a Python call per run.

    >>> list(_runs_around(re.compile("[bd]"), "ab cd d ee\\nbb"))
    []
    >>> list(_runs_around(re.compile("[乙丁]"), "甲乙 丙丁丁 丁 戊戊 乙"))
    [(0, 2), (3, 6)]
    """
    reversed_text = text[::-1]
    position = 0
    while found := pattern.search(text, position):
        end = found.start() + _run_length(text, found.start())
        if end > found.start():  # the match starts inside a run
            start = found.start() - _run_length(reversed_text, len(text) - found.start())
            if end - start >= 2:  # NON_ASCII_RUN's shortest run
                yield start, end
        position = max(end, found.start() + 1)


def _run_length(text: str, position: int) -> int:
    """How many characters from `position` on are characters of a run."""
    found = _RUN_CHARACTERS.match(text, position)
    return found.end() - position if found else 0


# GBK and Big5 readings of the UTF-8 bytes of U+FFFD U+FFFD; MSVC's fill bytes 0xCC and 0xCD read as GBK.
LOST_SEQUENCE = re.compile("(?:锟斤拷)+锟?|(?:嚙踝蕭)+嚙?|烫{3,}|屯{3,}")


def remove_lost_sequences(text: str) -> Repaired:
    """Remove `锟斤拷` and `烫烫烫`: what is left of data that was lost before we saw it.

    >>> fixed = remove_lost_sequences("黄河锟斤拷锟斤拷流域烫烫烫烫 滚烫的水")
    >>> fixed, fixed.spans, fixed.lost
    ('黄河流域 滚烫的水', 2, 8)
    """
    if "锟" not in text and "嚙" not in text and "烫烫" not in text and "屯屯" not in text:
        return Repaired(text)
    lost = 0

    def remove(match: re.Match[str]) -> str:
        nonlocal lost
        # each 锟斤拷 stood for two U+FFFD, that is two characters; fill bytes stand for one per character
        lost += len(match.group()) * 2 // 3 if match.group()[0] in "锟嚙" else len(match.group())
        return ""

    fixed, spans = LOST_SEQUENCE.subn(remove, text)
    return Repaired(fixed, spans, lost)
