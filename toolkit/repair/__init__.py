"""Repair: undo broken encodings, scripts and punctuation without harming clean text.

Each family of fixers lives in its own module as plain functions on a string (mojibake, entities,
characters, pinyin, latin_words, script, punctuation); this module orders them, switches them with
`RepairOptions`, and applies them to documents, counting the spans each one changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from toolkit.config import Options, option
from toolkit.document import Document
from toolkit.pipeline import Stage
from toolkit.repair.characters import remove_invisible_characters
from toolkit.repair.entities import unescape_entities
from toolkit.repair.latin_words import STRAY_WORDS, restore_function_words
from toolkit.repair.mojibake import LOST, fix_cjk_mojibake, fix_latin_mojibake, remove_lost_sequences
from toolkit.repair.pinyin import remove_pinyin_glosses
from toolkit.repair.punctuation import restore_fullwidth_punctuation
from toolkit.repair.result import Repaired
from toolkit.repair.script import SCRIPT_TARGETS, convert_script, detect_script

__all__ = ["RepairOptions", "RepairStage", "Repaired", "fix_and_explain", "fix_text"]

MAX_ROUNDS = 3  # one fix can reveal another (an entity that decodes to mojibake); clean text takes one round


@dataclass(frozen=True)
class RepairOptions(Options):
    """Repairing damaged text: each fixer can be switched off; none changes text that is already right."""

    html_entities: bool = option(True, "decode &#24314; &amp;#24314; &#24314 &quot; to a fixed point, also beside '<'")
    latin_mojibake: bool = option(True, "UTF-8 read as Latin-1/Windows-1252 (ftfy, with its CJK-damaging fixes off)")
    cjk_mojibake: bool = option(True, "UTF-8 read as GBK/GB18030 or Big5 (鍏ㄧ渷缁忔祹 -> 全省经济)")
    lost_sequences: bool = option(True, "remove 锟斤拷 and 烫烫烫: data lost before the text reached us")
    lost_marker: str = option(LOST, "put in place of each character that could not be recovered; '' removes it")
    invisible_characters: bool = option(True, "remove controls, zero-width spaces, non-characters, lone surrogates")
    pinyin_glosses: bool = option(True, "remove a pinyin reading after its character: 建設(shè) -> 建設")
    stray_words: dict[str, str] = option(  # noqa: RUF009 (option() returns a dataclass field)
        STRAY_WORDS, "English words put between Han characters, and the Chinese word each was"
    )
    script_target: str = option("zh-hans", f"convert Chinese to this script: {', '.join(SCRIPT_TARGETS)}")
    punctuation: bool = option(True, "ASCII , ; : ? ! ( ) beside Chinese back to full width (not in numbers, URLs)")

    def __post_init__(self) -> None:
        if self.script_target not in SCRIPT_TARGETS:
            raise ValueError(f"script_target must be one of {', '.join(SCRIPT_TARGETS)}, not {self.script_target!r}")


@dataclass
class Outcome:
    """What repairing one text did: the text, spans changed per fixer, characters lost, original script."""

    text: str
    spans: dict[str, int]
    lost: int
    original_script: str


def _fixers(
    options: RepairOptions, original_script: Callable[[str], str]
) -> list[tuple[str, Callable[[str], Repaired]]]:
    """The enabled fixers in the order they must run: decoding first, script and punctuation last."""
    marker = options.lost_marker
    fixers: list[tuple[str, bool, Callable[[str], Repaired]]] = [
        ("html_entities", options.html_entities, unescape_entities),
        ("latin_mojibake", options.latin_mojibake, fix_latin_mojibake),
        ("cjk_mojibake", options.cjk_mojibake, lambda text: fix_cjk_mojibake(text, marker)),
        ("lost_sequences", options.lost_sequences, remove_lost_sequences),
        ("invisible_characters", options.invisible_characters, remove_invisible_characters),
        ("pinyin_glosses", options.pinyin_glosses, lambda text: remove_pinyin_glosses(text, marker)),
        ("stray_words", bool(options.stray_words), lambda text: restore_function_words(text, options.stray_words)),
        ("script", True, lambda text: convert_script(text, options.script_target, original_script(text))),
        ("punctuation", options.punctuation, restore_fullwidth_punctuation),
    ]
    return [(name, fixer) for name, enabled, fixer in fixers if enabled]


def repair(text: str, options: RepairOptions | None = None) -> Outcome:
    """Apply every enabled fixer until the text no longer changes."""
    options = options or RepairOptions()
    detected: list[str] = []

    def original_script(text: str) -> str:  # the script before any conversion, detected once
        if not detected:
            detected.append(detect_script(text))
        return detected[0]

    spans: dict[str, int] = {}
    lost = 0
    fixers = _fixers(options, original_script)
    for _ in range(MAX_ROUNDS):
        before = text
        for name, fixer in fixers:
            text = fixer(text)
            if text.spans:
                spans[name] = spans.get(name, 0) + text.spans
                lost += text.lost
        text = str(text)
        if text == before:
            break
    return Outcome(text, spans, lost, original_script(text))


def fix_text(text: str, options: RepairOptions | None = None) -> str:
    """Repair damaged text; text that is already right comes back unchanged.

    >>> fix_text("錨定美麗山西建設(shè)目標(biāo),加快推動(dòng)")
    '锚定美丽山西建设目标，加快推动'
    >>> fix_text("本报讯(记者 杨文)&#24314;设 and 发展 鍏ㄧ渷缁忔祹")
    '本报讯（记者 杨文）建设和发展 全省经济'
    >>> fix_text("Hello, world: 1,000 people (PM2.5) at 12:30 &amp; café")
    'Hello, world: 1,000 people (PM2.5) at 12:30 & café'
    """
    return repair(text, options).text


def fix_and_explain(text: str, options: RepairOptions | None = None) -> tuple[str, dict[str, int]]:
    """The repaired text and, per fixer that changed it, how many spans it changed.

    >>> fix_and_explain("精神 and 思想,&lt;黄河&gt;")
    ('精神和思想，<黄河>', {'html_entities': 2, 'stray_words': 1, 'punctuation': 1})
    """
    outcome = repair(text, options)
    return outcome.text, outcome.spans


class RepairStage(Stage):
    """Repairs each document's text, logs spans changed per fixer in `repairs`, and records in `meta`
    the original script (`original_script`) and the characters that could not be recovered
    (`lost_characters`)."""

    name = "repair"
    options_class = RepairOptions

    def process(self, doc: Document) -> Iterable[Document]:
        assert isinstance(self.options, RepairOptions)
        outcome = repair(doc.text, self.options)
        doc.text = outcome.text
        for fixer, spans in outcome.spans.items():
            doc.count_repair(fixer, spans)
            self.stats[f"spans.{fixer}"] += spans
        doc.meta["original_script"] = outcome.original_script
        if outcome.lost:
            doc.meta["lost_characters"] = doc.meta.get("lost_characters", 0) + outcome.lost
            self.stats["lost_characters"] += outcome.lost
        self.stats["documents_repaired"] += bool(outcome.spans)
        yield doc
