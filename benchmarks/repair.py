"""Repair: speed per fixer and for the whole stage beside ftfy and OpenCC, and character error rate per
kind of damage on real text damaged on purpose.

    .venv/bin/python benchmarks/repair.py [--documents N] [--runs N]

The references are People's Daily sentences and PRC regulations (not the seeds the fixers were tuned on);
each kind of damage is applied alone and in combination, with varied parameters, from a fixed seed.
"""

from __future__ import annotations

import sys
from pathlib import Path

# the repository root, so that `benchmarks.*` and `tests.*` import when this file is run as a script
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

import argparse
import random
import re
import statistics
import time
import unicodedata
from collections.abc import Callable

import ftfy
import numpy as np
from pypinyin import Style, pinyin

from toolkit.repair import fix_text
from toolkit.repair.characters import remove_invisible_characters
from toolkit.repair.entities import unescape_entities
from toolkit.repair.latin_words import restore_function_words
from toolkit.repair.mojibake import LOST, fix_cjk_mojibake, fix_latin_mojibake, remove_lost_sequences
from toolkit.repair.pinyin import remove_pinyin_glosses
from toolkit.repair.punctuation import restore_fullwidth_punctuation
from toolkit.repair.script import convert_script, opencc_converter
from toolkit.text import HAN_CLASS

CORPORA = ROOT.parent / "shared" / "corpora"
HAN_PAIR = re.compile(f"(?<=[{HAN_CLASS}])([和或])(?=[{HAN_CLASS}])")


# ---------------------------------------------------------------- damage, one function per kind


def paragraph_or_all(text: str, rng: random.Random, damage: Callable[[str], str]) -> str:
    """Damage the whole document or one paragraph of it."""
    if rng.random() < 0.5:
        return damage(text)
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    lines[i] = damage(lines[i])
    return "\n".join(lines)


def latin_mojibake(text: str, rng: random.Random) -> str:
    codec = rng.choice(["latin-1", "sloppy-windows-1252"])
    return paragraph_or_all(text, rng, lambda t: t.encode("utf-8").decode(codec))


def cjk_mojibake(text: str, rng: random.Random) -> str:
    """GB18030 decodes nearly every byte pair, so nearly every character can come back."""
    return paragraph_or_all(text, rng, lambda t: t.encode("utf-8").decode("gb18030", "replace"))


def lossy_cjk_mojibake(text: str, rng: random.Random) -> str:
    """GBK or Big5 replaced the bytes it could not decode by U+FFFD: those characters are gone for good."""
    codec = rng.choice(["gbk", "big5"])
    return paragraph_or_all(text, rng, lambda t: t.encode("utf-8").decode(codec, "replace"))


def entities(text: str, rng: random.Random) -> str:
    def escape(ch: str, following: str) -> str:
        if ch == "\n" or rng.random() > 0.08:
            return ch
        forms = [f"&#{ord(ch)};", f"&#x{ord(ch):x};", f"&amp;#{ord(ch)};", "&lt;" if ch == "<" else f"&#{ord(ch)};"]
        if not following.isdigit():  # an unterminated reference before a digit would read the digit too
            forms.append(f"&#{ord(ch)}")
        return rng.choice(forms)

    return "".join(escape(ch, following) for ch, following in zip(text, text[1:] + " ", strict=True))


def pinyin_glosses(text: str, rng: random.Random) -> str:
    traditional = opencc_converter("s2t").convert(text)
    style = rng.choice([Style.TONE, Style.NORMAL, Style.TONE3])
    out = []
    for simple, trad in zip(text, traditional, strict=False):  # s2t keeps lengths but may not
        out.append(trad)
        if simple != trad:
            out.append(f"({pinyin(trad, style=style)[0][0]})")
    return "".join(out)


def script(text: str, rng: random.Random) -> str:
    config = rng.choice(["s2t", "s2tw", "s2hk"])
    return paragraph_or_all(text, rng, opencc_converter(config).convert)


def punctuation(text: str, rng: random.Random) -> str:
    return unicodedata.normalize("NFKC", text)


def stray_words(text: str, rng: random.Random) -> str:
    return HAN_PAIR.sub(lambda m: {"和": " and ", "或": " or "}[m.group()] if rng.random() < 0.7 else m.group(), text)


def invisible(text: str, rng: random.Random) -> str:
    junk = ["\u200b", "\ufeff", "\x00", "\u2060", "\ud800", "\ufdd0", "\x07"]
    return "".join(ch + (rng.choice(junk) if rng.random() < 0.02 else "") for ch in text)


# in the order damage happens: writing and conversion first, transport encodings last
KINDS: dict[str, Callable[[str, random.Random], str]] = {
    "pinyin_glosses": pinyin_glosses,
    "script": script,
    "punctuation": punctuation,
    "stray_words": stray_words,
    "html_entities": entities,
    "cjk_mojibake": cjk_mojibake,
    "lossy_cjk_mojibake": lossy_cjk_mojibake,
    "latin_mojibake": latin_mojibake,
    "invisible_characters": invisible,
}


LOSSY_KINDS = {"lossy_cjk_mojibake"}  # the wrong decode replaced what it could not read: gone for good
# A kind not applied after another: mojibake of glossed text destroys data (the wrong decode loses the
# last byte of the character before each ASCII '(', the very character the gloss reads); glossed text is
# already traditional, so converting its script adds nothing.
NOT_AFTER = {"cjk_mojibake": "pinyin_glosses", "script": "pinyin_glosses"}


def combined(text: str, rng: random.Random, lossy: bool = False) -> str:
    """2-4 kinds of damage, in the order damage happens; the recoverable ones only, unless `lossy`."""
    choices = sorted(KINDS) if lossy else sorted(set(KINDS) - LOSSY_KINDS)
    kinds = rng.sample(choices, rng.randint(2, 4))
    for name in KINDS:
        if name in kinds and NOT_AFTER.get(name) not in kinds:
            text = KINDS[name](text, rng)
    return text


def combined_with_lossy(text: str, rng: random.Random) -> str:
    return combined(text, rng, lossy=True)


# ---------------------------------------------------------------- measuring


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time."""
    if a == b:
        return 0
    if not a or not b:
        return len(a) + len(b)
    codes_b = np.frombuffer(b.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    previous = np.arange(len(b) + 1)
    for i, ch in enumerate(a, 1):
        substitute = previous[:-1] + (codes_b != ord(ch))
        current = np.empty_like(previous)
        current[0] = i
        current[1:] = np.minimum(previous[1:] + 1, substitute)
        current = np.minimum.accumulate(current - np.arange(len(b) + 1)) + np.arange(len(b) + 1)
        previous = current
    return int(previous[-1])


def errors(reference: str, hypothesis: str) -> int:
    ref_lines, hyp_lines = reference.split("\n"), hypothesis.split("\n")
    if len(ref_lines) != len(hyp_lines):
        return edit_distance(reference, hypothesis)
    return sum(edit_distance(r, h) for r, h in zip(ref_lines, hyp_lines, strict=True))


def references(count: int) -> list[str]:
    daily = sorted((CORPORA / "peoples-daily-1998").glob("*.txt"))[300 : 300 + count // 2]
    laws = sorted((CORPORA / "prc-regulations").glob("*.txt"))[60 : 60 + count - len(daily)]
    texts = [p.read_text(encoding="utf-8")[:3000] for p in daily]
    # the regulations write enumerations `(一)` in ASCII; the reference has the full-width form
    texts += [restore_fullwidth_punctuation(p.read_text(encoding="utf-8")[:3000]) for p in laws]
    return texts


def cer_table(texts: list[str]) -> list[tuple[str, int, float, float, int, float]]:
    """Per kind: characters, CER before and after, characters marked lost, CER after not counting them."""
    rng = random.Random(2024)
    rows = []
    for name, damage in [*KINDS.items(), ("combined", combined), ("combined, with lossy", combined_with_lossy)]:
        before = after = chars = marked = 0
        for text in texts:
            damaged = damage(text, rng)
            fixed = fix_text(damaged)
            chars += len(text)
            before += errors(text, damaged)
            after += errors(text, fixed)
            marked += fixed.count(LOST) - text.count(LOST)
        pct = 100 / chars
        rows.append((name, chars, before * pct, after * pct, marked, (after - marked) * pct))
    return rows


def throughput(function: Callable[[str], object], texts: list[str], repeat: int = 3) -> float:
    size = sum(len(t.encode("utf-8", "surrogatepass")) for t in texts)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            function(text)
        best = min(best, time.perf_counter() - started)
    return size / best / 1e6


STAGE, FTFY = "whole repair stage (fix_text)", "ftfy.fix_text, defaults"
CONVERT, OPENCC = "traditional corpus: convert_script", "traditional corpus: bare OpenCC t2s"


def speed_table(texts: list[str]) -> list[tuple[str, float]]:
    """A realistic corpus: the seeds, clean documents, and one in five damaged; then the ratios that the
    targets are about, each between figures of the same run."""
    rng = random.Random(7)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "raw").glob("*.txt"))]
    corpus = seeds + [combined(t, rng) if i % 5 == 0 else t for i, t in enumerate(texts)]
    fixers: list[tuple[str, Callable[[str], object]]] = [
        ("html_entities", unescape_entities),
        ("latin_mojibake", fix_latin_mojibake),
        ("cjk_mojibake", fix_cjk_mojibake),
        ("lost_sequences", remove_lost_sequences),
        ("invisible_characters", remove_invisible_characters),
        ("pinyin_glosses", remove_pinyin_glosses),
        ("stray_words", restore_function_words),
        ("script (detect, convert)", convert_script),
        ("punctuation", restore_fullwidth_punctuation),
        (STAGE, fix_text),
        (FTFY, ftfy.fix_text),
    ]
    rows = [(name, throughput(function, corpus)) for name, function in fixers]
    traditional = [opencc_converter("s2t").convert(t) for t in texts]
    t2s = opencc_converter("t2s")
    rows.append((CONVERT, throughput(convert_script, traditional)))
    rows.append((OPENCC, throughput(t2s.convert, traditional)))
    rate = dict(rows)
    rows.append(("ratio: whole stage / ftfy (target >= 10)", rate[STAGE] / rate[FTFY]))
    rows.append(("ratio: OpenCC / convert_script (target <= 2)", rate[OPENCC] / rate[CONVERT]))
    return rows


def median_speed_table(texts: list[str], runs: int) -> list[tuple[str, float]]:
    """Each row's median over `runs` runs: the machine is shared, a single run varies about 2x."""
    tables = [speed_table(texts) for _ in range(runs)]
    return [(name, statistics.median(table[i][1] for table in tables)) for i, (name, _) in enumerate(tables[0])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=60, help="reference documents (default 60)")
    parser.add_argument("--runs", type=int, default=5, help="speed runs, the median is shown (default 5)")
    args = parser.parse_args()
    texts = references(args.documents)
    print(f"Speed (MB/s of UTF-8 input, best of 3, median of {args.runs} runs), {len(texts) + 5} documents")
    print(f"| {'fixer':<44} | {'MB/s':>8} |\n|{'-' * 46}|{'-' * 10}|")
    for name, rate in median_speed_table(texts, args.runs):
        print(f"| {name:<44} | {rate:8.1f} |")
    print(f"\nCharacter error rate (%) before and after repair, {len(texts)} reference documents")
    print("| damage | characters | CER before | CER after | marked lost | CER after, lost marks excluded |")
    print("|---|---:|---:|---:|---:|---:|")
    rows = cer_table(texts)
    for name, chars, before, after, marked, recoverable in rows:
        print(f"| {name} | {chars} | {before:.2f} | {after:.3f} | {marked} | {recoverable:.3f} |")
    lossless = [r for r in rows if r[0] not in ("lossy_cjk_mojibake", "combined, with lossy")]
    total = sum(r[1] for r in lossless)
    print(
        f"| overall, every kind with recoverable data | {total} | | "
        f"{sum(r[3] * r[1] for r in lossless) / total:.3f} | | |"
    )


if __name__ == "__main__":
    main()
