"""Repair: undo broken encodings, scripts and punctuation without harming clean text.

Each family of fixers lives in its own module as plain functions on a string (mojibake, entities,
characters, pinyin, latin_words, script, punctuation); this module orders them, switches them with
`RepairOptions`, and applies them to documents, counting the spans each one changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import cycle, islice

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

MAX_ROUNDS = 3  # passes over a phase's fixers at most: one fix can reveal another, rarely more than once


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
    stray_words: dict[str, str] = option(
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


Fixers = list[tuple[str, Callable[[str], Repaired]]]


def _phases(options: RepairOptions, original_script: Callable[[str], str]) -> tuple[Fixers, Fixers]:
    """The enabled fixers in two phases, each in the order its fixers must run: decoding, then writing.

    Decoding undoes transport damage in the reverse of the order it happens. Invisible characters go
    first, since one inside a run of mojibake keeps it from being re-read (C1 controls stay: they are
    bytes of Latin-1 mojibake). Mojibake comes before entities: a page with entities read with the
    wrong codec keeps them as ASCII between the runs of mojibake, and decoding them first would glue
    real characters to the runs. Writing fixes only start on fully decoded text, because converting
    the script of mojibake not yet repaired (mojibake written as entities needs a second round) would
    make it unrecoverable."""
    marker = options.lost_marker
    invisible = options.invisible_characters
    decoding: list[tuple[str, bool, Callable[[str], Repaired]]] = [
        ("invisible_characters", invisible, lambda text: remove_invisible_characters(text, keep_c1_controls=True)),
        ("latin_mojibake", options.latin_mojibake, fix_latin_mojibake),
        ("cjk_mojibake", options.cjk_mojibake, lambda text: fix_cjk_mojibake(text, marker)),
        ("lost_sequences", options.lost_sequences, remove_lost_sequences),
        ("html_entities", options.html_entities, unescape_entities),
        ("invisible_characters", invisible, remove_invisible_characters),  # C1 controls left, decoded entities
    ]
    writing: list[tuple[str, bool, Callable[[str], Repaired]]] = [
        ("pinyin_glosses", options.pinyin_glosses, lambda text: remove_pinyin_glosses(text, marker)),
        ("stray_words", bool(options.stray_words), lambda text: restore_function_words(text, options.stray_words)),
        ("script", True, lambda text: convert_script(text, options.script_target, original_script(text))),
        ("punctuation", options.punctuation, restore_fullwidth_punctuation),
    ]

    def enabled(phase: list[tuple[str, bool, Callable[[str], Repaired]]]) -> Fixers:
        return [(name, fixer) for name, on, fixer in phase if on]

    return enabled(decoding), enabled(writing)


def _changes(text: str, fixers: Fixers) -> Iterator[tuple[str, Repaired]]:
    """Each change made applying `fixers` in turn, cycling, until all of them leave the text as it is.

    One fix can reveal another for a fixer that ran before it (an entity that decodes to mojibake).
    Fixers are idempotent, so after a change only the others run again: clean text takes one pass."""
    unchanged = 0  # fixers in a row that found nothing to change
    for name, fixer in islice(cycle(fixers), MAX_ROUNDS * len(fixers)):
        fixed = fixer(text)
        if fixed == text:
            unchanged += 1
            if unchanged == len(fixers):
                return
        else:
            yield name, fixed
            text, unchanged = fixed, 1  # the fixer that changed it counts as done


def repair(text: str, options: RepairOptions | None = None) -> Outcome:
    """Apply each phase of enabled fixers until the text no longer changes."""
    options = options or RepairOptions()
    detected: list[str] = []

    def original_script(text: str) -> str:  # the script before any conversion, detected once
        if not detected:
            detected.append(detect_script(text))
        return detected[0]

    spans: dict[str, int] = {}
    lost = 0
    for fixers in _phases(options, original_script):
        for name, fixed in _changes(text, fixers):
            text = str(fixed)
            if fixed.spans:
                spans[name] = spans.get(name, 0) + fixed.spans
                lost += fixed.lost
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

    @classmethod
    def warm_up(cls) -> None:
        # a glossed traditional text takes every lazy table: script markers, converters, pinyin readings
        repair("錨定美麗山西建設(shè)目標(biāo)")

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
