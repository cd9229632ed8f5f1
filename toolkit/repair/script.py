"""Traditional and simplified Chinese: detect which a text is written in, convert it with OpenCC.

Detection is one regex search for characters that exist in only one script, so a simplified document
costs almost nothing when the target is simplified. OpenCC converters are built on first use and kept
per process (never in a stage's state, which is pickled to workers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from toolkit.repair.result import Repaired
from toolkit.text import HAN

__all__ = ["SCRIPT_TARGETS", "convert_script", "detect_script", "opencc_converter"]

# target -> OpenCC configuration per original script ("" = the generic traditional)
SCRIPT_TARGETS: dict[str, dict[str, str]] = {
    "zh-hans": {"zh-Hant": "t2s", "zh-Hant-TW": "tw2s", "zh-Hant-HK": "hk2s"},
    "zh-hant": {"zh-Hans": "s2t"},
    "zh-hant-tw": {"zh-Hans": "s2tw", "zh-Hant": "t2tw"},
    "zh-hant-hk": {"zh-Hans": "s2hk", "zh-Hant": "t2hk"},
    "keep": {},
}
# Kana or Hangul beside Han characters is Japanese or Korean: their kanji and hanja are not converted.
KANA_OR_HANGUL = re.compile("[\u3040-\u30ff\u31f0-\u31ff\u1100-\u11ff\uac00-\ud7af]")
URO = "".join(chr(code) for code in range(0x4E00, 0xA000))


def opencc_converter(config: str) -> Any:
    """An OpenCC converter from the official binding (`opencc`) or `opencc-python-reimplemented`.

    >>> opencc_converter("t2s").convert("建設目標")
    '建设目标'
    """
    return _converter(config)


@cache
def _converter(config: str) -> Any:
    try:
        import opencc
    except ImportError:
        raise ImportError("script conversion needs OpenCC: pip install opencc") from None
    # the official binding takes 't2s' or 't2s.json', the reimplementation only 't2s'
    for name in (config, config + ".json"):
        try:
            return opencc.OpenCC(name)
        except Exception:  # each binding raises its own error for a name it does not know
            continue
    raise ValueError(f"OpenCC has no configuration {config!r}")


SURROGATE = re.compile("([\ud800-\udfff])")


def _convert(config: str, text: str) -> str:
    """OpenCC's conversion of `text`; lone surrogates (which OpenCC cannot encode) pass through."""
    if not SURROGATE.search(text):
        return _converter(config).convert(text)
    pieces = SURROGATE.split(text)
    return "".join(piece if SURROGATE.fullmatch(piece) else _converter(config).convert(piece) for piece in pieces)


def _convert_each(config: str, chars: Iterable[str]) -> list[str]:
    """Each character converted on its own (a newline between them keeps OpenCC from reading phrases)."""
    return _converter(config).convert("\n".join(chars)).split("\n")


def _class(chars: set[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(chars)) + "]")


@lru_cache(maxsize=1)
def _markers() -> dict[str, re.Pattern[str]]:
    """Characters that only one script (or regional standard) uses, taken from OpenCC's own tables."""
    traditional = {c for c, s in zip(URO, _convert_each("t2s", URO), strict=True) if s != c}
    simplified = {c for c, t in zip(URO, _convert_each("s2t", URO), strict=True) if t != c}
    standard = sorted(traditional)
    simplified_of = dict(zip(standard, _convert_each("t2s", standard), strict=True))

    def regional_forms(config: str) -> set[str]:
        # a regional form that is also the simplified one (台, 群, 温) says nothing about the region
        return {
            t for c, t in zip(standard, _convert_each(config, standard), strict=True) if t not in (c, simplified_of[c])
        }

    taiwan, hong_kong = regional_forms("t2tw"), regional_forms("t2hk")
    return {
        "zh-Hant": _class(traditional - simplified),
        "zh-Hans": _class(simplified - traditional),
        "zh-Hant-TW": _class(taiwan - hong_kong),
        "zh-Hant-HK": _class(hong_kong - taiwan),
    }


def _line_script(line: str, document_script: str) -> str:
    """ "zh-Hans" or a traditional script: the line's own majority, the document's when the line has none."""
    markers = _markers()
    traditional = len(markers["zh-Hant"].findall(line))
    simplified = len(markers["zh-Hans"].findall(line))
    if traditional == simplified:
        return document_script
    if traditional > simplified:
        return document_script if document_script.startswith("zh-Hant") else "zh-Hant"
    return "zh-Hans"


def detect_script(text: str) -> str:
    """The script a text is written in: zh-Hans, zh-Hant (with -TW or -HK when its variant characters
    say so), zh when its Han characters are common to both, und when it has none.

    >>> detect_script("錨定美麗山西建設目標"), detect_script("锚定美丽山西建设目标")
    ('zh-Hant', 'zh-Hans')
    >>> detect_script("臺灣的軟體裡"), detect_script("衞生署的説明"), detect_script("山川"), detect_script("river")
    ('zh-Hant-TW', 'zh-Hant-HK', 'zh', 'und')
    """
    markers = _markers()
    traditional = len(markers["zh-Hant"].findall(text))
    simplified = len(markers["zh-Hans"].findall(text))
    if traditional > simplified:
        taiwan = len(markers["zh-Hant-TW"].findall(text))
        hong_kong = len(markers["zh-Hant-HK"].findall(text))
        return "zh-Hant-TW" if taiwan > hong_kong else "zh-Hant-HK" if hong_kong > taiwan else "zh-Hant"
    if simplified:
        return "zh-Hans"
    return "zh" if HAN.search(text) else "und"


def convert_script(text: str, target: str = "zh-hans", original: str | None = None) -> Repaired:
    """Convert the paragraphs written in another script to `target` (a key of SCRIPT_TARGETS);
    `original` is the text's script when already detected. Japanese and Korean lines are left alone.

    >>> convert_script("錨定美麗山西建設目標\\n锚定美丽山西\\n臺灣的軟體裡")
    '锚定美丽山西建设目标\\n锚定美丽山西\\n台湾的软体里'
    >>> convert_script("锚定美丽山西", "zh-hant-tw"), convert_script("國語の勉強", "zh-hans")
    ('錨定美麗山西', '國語の勉強')
    """
    configs = SCRIPT_TARGETS[target]
    markers = _markers()
    target_script, other_script = ("zh-Hans", "zh-Hant") if target == "zh-hans" else ("zh-Hant", "zh-Hans")
    if not configs or not (markers[other_script].search(text) or target.startswith("zh-hant-")):
        return Repaired(text)  # nothing written in another script: the common case costs one search
    original = original or detect_script(text)
    document_script = original if original.startswith("zh-Han") else "zh-Hans"
    config = configs.get(document_script)
    if config and not markers[target_script].search(text) and not KANA_OR_HANGUL.search(text):
        # nothing written in the target script: convert the whole document in one call
        converted = _convert(config, text)
        changed = sum(a != b for a, b in zip(text.split("\n"), converted.split("\n"), strict=False))
        return Repaired(converted, changed)
    lines = text.split("\n")
    spans = 0
    for i, line in enumerate(lines):
        if not HAN.search(line) or KANA_OR_HANGUL.search(line):
            continue
        config = configs.get(_line_script(line, document_script))
        if config:
            converted = _convert(config, line)
            if converted != line:
                lines[i], spans = converted, spans + 1
    return Repaired("\n".join(lines), spans) if spans else Repaired(text)
