"""Traditional and simplified Chinese: detect which a text is written in, convert it with OpenCC.

Detection looks for characters that exist in only one script, so a simplified document costs one regex
search when the target is simplified; a document in the other script is converted in one OpenCC call per
configuration, and only its lines that hold characters of the target script are looked at one by one.
OpenCC converters come from the official binding or opencc-python-reimplemented, are built on first use
and kept per process (never in a stage's state, which is pickled to workers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from toolkit.repair.result import Repaired
from toolkit.text import HAN, opencc_converter

__all__ = ["SCRIPT_TARGETS", "convert_script", "detect_script"]

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


# OpenCC cannot encode lone surrogates, and its C library ends the text at a NUL: both pass through.
UNCONVERTIBLE = re.compile("([\x00\ud800-\udfff])")


def _convert(config: str, text: str) -> str:
    """OpenCC's conversion of `text`; what OpenCC cannot take (NUL, lone surrogates) passes through.

    >>> _convert("t2s", "建設\\x00目標\\udc00")
    '建设\\x00目标\\udc00'
    """
    if not UNCONVERTIBLE.search(text):
        return opencc_converter(config).convert(text)
    pieces = UNCONVERTIBLE.split(text)
    return "".join(
        piece if UNCONVERTIBLE.fullmatch(piece) else opencc_converter(config).convert(piece) for piece in pieces
    )


def _convert_each(config: str, chars: Iterable[str]) -> list[str]:
    """Each character converted on its own (a newline between them keeps OpenCC from reading phrases)."""
    return opencc_converter(config).convert("\n".join(chars)).split("\n")


def _class(chars: set[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(chars)) + "]")


@lru_cache(maxsize=1)
def _markers() -> dict[str, re.Pattern[str]]:
    """Characters that only one script (or regional standard) uses, taken from OpenCC's own tables."""
    traditional = {c for c, s in zip(URO, _convert_each("t2s", URO), strict=True) if s != c}
    traditional_of = dict(zip(URO, _convert_each("s2t", URO), strict=True))
    simplified = {c for c, t in traditional_of.items() if t != c}
    standard = sorted(traditional)
    simplified_of = dict(zip(standard, _convert_each("t2s", standard), strict=True))
    # OpenCC's own traditional forms: text converted by s2t is written with them, in no region's variant
    opencc_forms = {traditional_of[c] for c in simplified}

    def regional_forms(config: str) -> set[str]:
        # a regional form that is also the simplified one (台, 群, 温) or OpenCC's standard one (參, 煙)
        # says nothing about the region
        return {
            t
            for c, t in zip(standard, _convert_each(config, standard), strict=True)
            if t not in (c, simplified_of[c]) and t not in opencc_forms
        }

    taiwan, hong_kong = regional_forms("t2tw"), regional_forms("t2hk")
    return {
        "zh-Hant": _class(traditional - simplified),
        "zh-Hans": _class(simplified - traditional),
        "zh-Hant-TW": _class(taiwan - hong_kong),
        "zh-Hant-HK": _class(hong_kong - taiwan),
    }


def _compare_counts(first: re.Pattern[str], second: re.Pattern[str], text: str) -> int:
    """1 when `first` matches more often in `text` than `second`, -1 when less often, 0 when as often.

    Stepping through both at once stops when the rarer runs out, so a text written in one script
    costs one scan per pattern and no list of every match.

    >>> _compare_counts(re.compile("a"), re.compile("b"), "abaa"), _compare_counts(re.compile("a"), re.compile("b"), "")
    (1, 0)
    """
    firsts, seconds = first.finditer(text), second.finditer(text)
    while True:
        a, b = next(firsts, None), next(seconds, None)
        if a is None or b is None:
            return (a is not None) - (b is not None)


def _line_script(line: str, document_script: str) -> str:
    """ "zh-Hans" or a traditional script: the line's own majority, the document's when the line has none."""
    markers = _markers()
    majority = _compare_counts(markers["zh-Hant"], markers["zh-Hans"], line)
    if majority == 0:
        return document_script
    if majority > 0:
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
    majority = _compare_counts(markers["zh-Hant"], markers["zh-Hans"], text)
    if majority > 0:
        region = _compare_counts(markers["zh-Hant-TW"], markers["zh-Hant-HK"], text)
        return {1: "zh-Hant-TW", -1: "zh-Hant-HK", 0: "zh-Hant"}[region]
    if majority < 0 or markers["zh-Hans"].search(text):
        return "zh-Hans"
    return "zh" if HAN.search(text) else "und"


def _lines_with(pattern: re.Pattern[str], text: str) -> set[int]:
    """The indexes of the lines of `text` in which `pattern` matches.

    One match is enough for a line: the search goes on at the next line, so a line of another script,
    which holds many matches, costs one search and not one step per match.

    >>> sorted(_lines_with(re.compile("b"), "ab\\ncc\\nbb"))
    [0, 2]
    """
    lines, line, position = set(), 0, 0
    while match := pattern.search(text, position):
        line += text.count("\n", position, match.start())
        lines.add(line)
        position = text.find("\n", match.start()) + 1
        if not position:  # the last line
            break
        line += 1
    return lines


def _lines_to_convert(
    text: str, lines: list[str], configs: dict[str, str], document_script: str
) -> dict[str, list[int]]:
    """Per OpenCC configuration, the indexes of the lines it converts. A line is in the document's script
    unless it holds characters of the other one, and then its majority decides: only those lines are
    counted, not every line. Japanese and Korean lines are left alone (OpenCC leaves lines without Han
    as they are, so they need no test)."""
    contrary = "zh-Hans" if document_script.startswith("zh-Hant") else "zh-Hant"
    own_script = {i: _line_script(lines[i], document_script) for i in _lines_with(_markers()[contrary], text)}
    left_alone = _lines_with(KANA_OR_HANGUL, text)
    by_config: dict[str, list[int]] = {}
    default = configs.get(document_script)
    if default:
        exceptions = own_script.keys() | left_alone
        by_config[default] = [i for i in range(len(lines)) if i not in exceptions]
    for i, script in own_script.items():
        config = configs.get(script)
        if config and i not in left_alone:
            by_config.setdefault(config, []).append(i)
    return {config: sorted(indexes) for config, indexes in by_config.items() if indexes}


def convert_script(text: str, target: str = "zh-hans", original: str | None = None) -> Repaired:
    """Convert the paragraphs written in another script to `target` (a key of SCRIPT_TARGETS);
    `original` is the text's script when already detected. Japanese and Korean lines are left alone.

    >>> convert_script("錨定美麗山西建設目標\\n锚定美丽山西\\n臺灣的軟體裡")
    '锚定美丽山西建设目标\\n锚定美丽山西\\n台湾的软体里'
    >>> convert_script("锚定美丽山西", "zh-hant-tw"), convert_script("國語の勉強", "zh-hans")
    ('錨定美麗山西', '國語の勉強')
    """
    configs = SCRIPT_TARGETS[target]
    other_script = "zh-Hant" if target == "zh-hans" else "zh-Hans"
    if not configs or not (_markers()[other_script].search(text) or target.startswith("zh-hant-")):
        return Repaired(text)  # nothing written in another script: the common case costs one search
    original = original or detect_script(text)
    document_script = original if original.startswith("zh-Han") else "zh-Hans"
    lines = text.split("\n")
    spans = 0
    for config, indexes in _lines_to_convert(text, lines, configs, document_script).items():
        # one OpenCC call per configuration: it converts line by line, and a call costs more than a line
        chosen = text if len(indexes) == len(lines) else "\n".join([lines[i] for i in indexes])
        converted = _convert(config, chosen).split("\n")
        for i, line in zip(indexes, converted, strict=True):
            if line != lines[i]:
                lines[i], spans = line, spans + 1
    return Repaired("\n".join(lines), spans) if spans else Repaired(text)
