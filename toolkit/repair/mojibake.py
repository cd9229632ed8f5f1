"""Text decoded with the wrong codec: UTF-8 read as Latin-1/Windows-1252 (ftfy), or as GBK/GB18030 or Big5.

ftfy repairs the Latin family but its defaults also fold full-width punctuation to ASCII and straighten
curly quotes, which damages every Chinese document; `FTFY_CJK_SAFE` switches those off. ftfy does not
handle UTF-8 read as a CJK codec (its documentation says so): `fix_cjk_mojibake` does, one run of
non-ASCII characters at a time, so a single damaged paragraph is repaired inside a clean document.
"""

from __future__ import annotations

import re
from functools import lru_cache

import ftfy
import ftfy.badness

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
# and Windows-1252, Greek or Cyrillic in Windows-1253/1251, ¬√ƒ≈∆«»… in Mac Roman, box drawing in CP437),
# or C1 controls, or terminal escapes.
LATIN_SUSPECT = re.compile("[\x1b\x80-\xff\u0370-\u04ff\u0192\u221a\u2248\u2206\u2500-\u257f]")

C1_OR_ESCAPE = re.compile("[\x1b\x80-\x9f]")


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
        # ftfy's own badness test is cheaper than its fix_text, which runs every fixer on every line
        if LATIN_SUSPECT.search(line) and (ftfy.badness.is_bad(line) or C1_OR_ESCAPE.search(line)):
            fixed = ftfy.fix_text(line, FTFY_CJK_SAFE)
            if fixed != line:
                lines[i], spans = fixed, spans + 1
    return Repaired("\n".join(lines), spans) if spans else Repaired(text)


# ---------------------------------------------------------------- UTF-8 read as a CJK codec

CJK_CODECS = ("gbk", "gb18030", "big5")  # gbk and gb18030 map some bytes to different private-use characters
SENTINEL = 0xFF  # stands for a byte the wrong decode replaced by U+FFFD; never valid in UTF-8
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


def _is_text(ch: str) -> bool:
    """A character real UTF-8 text would hold: not a control, private-use or unassigned code point."""
    code = ord(ch)
    return (
        ch in "\t\n"
        or (0x20 <= code < 0x7F)
        or (0xA0 <= code < 0xE000)
        or (0xF900 <= code < 0xFFF0)
        or (0x20000 <= code < 0x323B0)
    )


LOST_BYTES = re.compile("[\udc80-\udcff]+")  # invalid bytes, as the surrogateescape decoder gives them
LOST_SENTINEL = chr(0xDC00 + SENTINEL)
UTF8_BYTES_PER_HAN = 3


def _reread(run: str, codec: str, marker: str) -> tuple[str, int] | None:
    """`run` re-encoded with `codec` and decoded as UTF-8, each lost character replaced by `marker`,
    with the number lost; None when the bytes are not UTF-8 apart from where the wrong decode lost some."""
    try:
        data = bytes([SENTINEL]).join(piece.encode(codec) for piece in run.split(LOST))
    except UnicodeEncodeError:
        return None
    decoded = data.decode("utf-8", "surrogateescape")
    for region in LOST_BYTES.finditer(decoded):
        # invalid bytes are acceptable where the wrong decode lost some, or at the run's end, where the
        # ASCII after it cut a character in two
        if LOST_SENTINEL not in region.group() and region.end() != len(decoded):
            return None
    recovered = LOST_BYTES.sub("", decoded)
    lost_counts = [max(1, round(len(r) / UTF8_BYTES_PER_HAN)) for r in LOST_BYTES.findall(decoded)]
    # a CJK codec garbles three-byte UTF-8 (Han, full-width punctuation): some must come back
    if not any(ord(ch) >= 0x800 for ch in recovered) or not all(map(_is_text, recovered)):
        return None
    marks = iter(lost_counts)
    return LOST_BYTES.sub(lambda _: marker * next(marks), decoded), sum(lost_counts)


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
    spans = lost = 0

    def repair(match: re.Match[str]) -> str:
        nonlocal spans, lost
        run = match.group()
        if not suspect.search(run):
            return run
        candidates = [c for c in (_reread(run, codec, marker) for codec in CJK_CODECS) if c is not None]
        if not candidates:
            return run
        fixed, run_lost = min(candidates, key=lambda candidate: candidate[1])
        spans, lost = spans + 1, lost + run_lost
        return fixed

    fixed = NON_ASCII_RUN.sub(repair, text)
    return Repaired(fixed, spans, lost)


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
