"""Pinyin glosses after Han characters (`建設(shè)目標(biāo)`), left by pages that annotate readings."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from toolkit.repair.mojibake import LOST
from toolkit.repair.result import Repaired
from toolkit.text import HAN_CLASS, pinyin_dict

__all__ = ["remove_pinyin_glosses"]

PINYIN_LETTERS = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêếềńňǹḿ"
SYLLABLE = f"[{PINYIN_LETTERS}]{{1,6}}[1-5]?"
# A gloss is a parenthesised syllable after a Han character. The pattern starts at the parenthesis and
# the character before is tested apart: a pattern starting with the Han class is 6x slower on Chinese.
GLOSS = re.compile(f"[(（]({SYLLABLE})[)）]")
# In a glossed text, `?qū)` is a character and its '(' that a codec replaced by '?': the gloss is orphaned.
ORPHANED_GLOSS = re.compile(f"(?<=[{HAN_CLASS})）])[a-z]{{0,6}}\\?{SYLLABLE}[)）]")
TONE_NUMBERS = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}


@lru_cache(maxsize=8192)
def readings(han: str) -> frozenset[str]:
    """The ways a gloss may spell a reading of `han`: with tone marks, tone numbers or no tone.

    >>> sorted(readings("們"))
    ['men', 'men2', 'men4', 'mèn', 'mén']
    """
    spellings = set()
    for marked in pinyin_dict().get(ord(han), "").split(","):
        if not marked:
            continue
        decomposed = unicodedata.normalize("NFD", marked)
        bare = "".join(ch for ch in decomposed if ch not in TONE_NUMBERS).replace("\u0308", "ü")
        bare = unicodedata.normalize("NFC", bare)
        tone = "".join(TONE_NUMBERS.get(ch, "") for ch in decomposed)
        spellings |= {marked, bare, bare + tone, bare.replace("ü", "v"), bare.replace("ü", "v") + tone}
    return frozenset(spellings)


def remove_pinyin_glosses(text: str, marker: str = LOST) -> Repaired:
    """Remove a parenthesised syllable after a Han character when it is a reading of that character.

    A real parenthesis stays, and so does a syllable that does not read the character before it.
    In a glossed text, a gloss whose character was lost (`?qū)`) becomes `marker`.

    >>> remove_pinyin_glosses("錨定美麗山西建設(shè)目標(biāo) 我們(men) 加快推動(dòng)")
    '錨定美麗山西建設目標 我們 加快推動'
    >>> remove_pinyin_glosses("細顆粒物(PM2.5)、本报讯(记者 杨文)、生(ma)、他(ta)")
    '細顆粒物(PM2.5)、本报讯(记者 杨文)、生(ma)、他'
    >>> remove_pinyin_glosses("重點(diǎn)領(lǐng)域?qū)m?xiàng)規(guī)劃")
    '重點領域\\ufffd\\ufffd規劃'
    """
    if not GLOSS.search(text):
        return Repaired(text)

    spans = 0

    def unglossed(match: re.Match[str]) -> str:
        nonlocal spans
        han = text[match.start() - 1 : match.start()]  # a character that is not Han has no readings
        if not han or match.group(1).lower() not in readings(han):
            return match.group()
        spans += 1
        return ""

    fixed = GLOSS.sub(unglossed, text)
    if not spans:
        return Repaired(text)
    lost = 0
    if "?" in fixed:  # ORPHANED_GLOSS cannot skip ahead to its '?' by itself
        fixed, lost = ORPHANED_GLOSS.subn(lambda match: marker * match.group().count("?"), fixed)
    return Repaired(fixed, spans + lost, lost)
