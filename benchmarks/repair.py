"""Repair: speed per fixer and for the whole stage beside ftfy and OpenCC, and character error rate per
kind of damage on real text damaged on purpose.

    .venv/bin/python benchmarks/repair.py [--documents N]

The references are People's Daily sentences and PRC regulations (not the seeds the fixers were tuned on);
each kind of damage is applied alone and in combination, with varied parameters, from a fixed seed.
"""

from __future__ import annotations

import sys
from pathlib import Path

# run as a script, this folder comes first on sys.path, where benchmarks/html.py would shadow the
# standard library's html (which ftfy imports): put the project root there instead
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
import unicodedata  # noqa: E402
from collections.abc import Callable  # noqa: E402

import ftfy  # noqa: E402
import numpy as np  # noqa: E402
from pypinyin import Style, pinyin  # noqa: E402

from toolkit.repair import fix_text  # noqa: E402
from toolkit.repair.characters import remove_invisible_characters  # noqa: E402
from toolkit.repair.entities import unescape_entities  # noqa: E402
from toolkit.repair.latin_words import restore_function_words  # noqa: E402
from toolkit.repair.mojibake import LOST, fix_cjk_mojibake, fix_latin_mojibake, remove_lost_sequences  # noqa: E402
from toolkit.repair.pinyin import remove_pinyin_glosses  # noqa: E402
from toolkit.repair.punctuation import restore_fullwidth_punctuation  # noqa: E402
from toolkit.repair.script import convert_script, opencc_converter  # noqa: E402
from toolkit.text import HAN_CLASS  # noqa: E402

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


def combined(text: str, rng: random.Random) -> str:
    kinds = rng.sample(sorted(KINDS), rng.randint(2, 4))
    for name in KINDS:  # keep the order damage happens in
        if name in kinds and not (name == "script" and "pinyin_glosses" in kinds):
            text = KINDS[name](text, rng)
    return text


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
    for name, damage in [*KINDS.items(), ("combined", combined)]:
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


def speed_table(texts: list[str]) -> list[tuple[str, float]]:
    """A realistic corpus: the seeds, clean documents, and one in five damaged."""
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
        ("whole repair stage (fix_text)", fix_text),
        ("ftfy.fix_text, defaults", ftfy.fix_text),
    ]
    rows = [(name, throughput(function, corpus)) for name, function in fixers]
    traditional = [opencc_converter("s2t").convert(t) for t in texts]
    t2s = opencc_converter("t2s")
    rows.append(("traditional corpus: convert_script", throughput(convert_script, traditional)))
    rows.append(("traditional corpus: bare OpenCC t2s", throughput(t2s.convert, traditional)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=60, help="reference documents (default 60)")
    args = parser.parse_args()
    texts = references(args.documents)
    print(f"Speed (MB/s of UTF-8 input, best of 3), {len(texts) + 5} documents")
    print(f"| {'fixer':<36} | {'MB/s':>8} |\n|{'-' * 38}|{'-' * 10}|")
    for name, rate in speed_table(texts):
        print(f"| {name:<36} | {rate:8.1f} |")
    print(f"\nCharacter error rate (%) before and after repair, {len(texts)} reference documents")
    print("| damage | characters | CER before | CER after | marked lost | CER after, lost marks excluded |")
    print("|---|---:|---:|---:|---:|---:|")
    rows = cer_table(texts)
    for name, chars, before, after, marked, recoverable in rows:
        print(f"| {name} | {chars} | {before:.2f} | {after:.3f} | {marked} | {recoverable:.3f} |")
    lossless = [r for r in rows if r[0] not in ("lossy_cjk_mojibake", "combined")]
    total = sum(r[1] for r in lossless)
    print(
        f"| overall, every kind with recoverable data | {total} | | "
        f"{sum(r[3] * r[1] for r in lossless) / total:.3f} | | |"
    )


if __name__ == "__main__":
    main()
