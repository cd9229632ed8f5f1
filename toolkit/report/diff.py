"""Raw versus clean text as an inline HTML diff, each removed span marked with the reason a stage gave.

Lines are compared first (our documents keep one paragraph per line), by a key that ignores punctuation,
spacing and character width, so that a paragraph whose commas a repair made full-width still lines up with
itself; the characters of lines that differ are compared next, so a repaired character shows as itself and
not as a new paragraph. Every piece of text is HTML-escaped here: the corpus is untrusted input.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from html import escape
from itertools import groupby

from rapidfuzz.distance import Indel

__all__ = ["reason_hue", "render_diff"]

CHARACTER_DIFF_LIMIT = 20_000  # characters per side of a changed block: the LCS's bit matrix is 50 MB at 20k × 20k
FOLD_LINES = 6  # longer runs of raw lines missing from the document fold away (e.g. another part of the file)
MIN_ATTRIBUTED_CHARACTERS = 4  # a shorter deleted fragment inside a line is a repair, not a removed span
LINE = re.compile(r"[^\n]*\n|[^\n]+")  # only "\n" ends a line: other breaks (U+2028, \f) stay inside it
TOKEN = re.compile(r"\w+|\s+|[^\w\s]")  # a word or a run of Han characters, a run of spaces, or one mark
NOT_A_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
WORD = re.compile(r"([^\W_]+)")  # letters and digits; split() keeps them at odd positions
REFINED_RUN_LIMIT = 200  # changed runs of tokens up to this length are compared character by character


def reason_hue(reason: str) -> int:
    """A stable hue (0-359) per reason, so the same reason has the same colour on every page.

    >>> reason_hue("boilerplate") == reason_hue("boilerplate"), 0 <= reason_hue("near-duplicate") < 360
    (True, True)
    """
    return int(hashlib.sha256(reason.encode("utf-8")).hexdigest()[:4], 16) % 360


def render_diff(before: str, after: str, removed: Sequence[Mapping[str, str]] = ()) -> str:
    """HTML of `before` turned into `after`: `<del>` for text only in `before` (with `data-reason` when one
    of the `removed` spans holds it), `<ins>` for text only in `after`.

    >>> print(render_diff("标题\\n广告<b>\\n正文,完", "标题\\n正文，完", [{"reason": "ad", "text": "广告<b>"}]))
    标题
    <del class="removed" data-reason="ad" title="removed: ad" style="--hue:58">广告&lt;b&gt;
    </del>正文<del>,</del><ins>，</ins>完
    """
    spans = [(span["reason"], key) for span in removed if (key := _line_key(span.get("text") or ""))]
    raw_lines, clean_lines = _lines(before), _lines(after)
    matcher = difflib.SequenceMatcher(None, [_line_key(x) for x in raw_lines], [_line_key(x) for x in clean_lines])
    parts: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        raw_block, clean_block = raw_lines[i1:i2], clean_lines[j1:j2]
        if op == "equal":
            parts += (_character_diff(a, b, spans) for a, b in zip(raw_block, clean_block, strict=True))
        elif op == "delete":
            parts += _deleted_lines(raw_block, spans)
        elif op == "insert":
            parts.append(_inserted("".join(clean_block)))
        else:
            parts += _replaced_block(raw_block, clean_block, spans)
    return "".join(parts)


def _lines(text: str) -> list[str]:
    """Lines with their line breaks, so that a diff of lines accounts for every character.

    >>> _lines("a\\nb\\n"), _lines("a\\n\\nb"), _lines("")
    (['a\\n', 'b\\n'], ['a\\n', '\\n', 'b'], [])
    """
    return LINE.findall(text)


def _line_key(line: str) -> str:
    """What a line is compared by: its letters and digits after NFKC, so width and punctuation do not count."""
    return NOT_A_LETTER_OR_DIGIT.sub("", unicodedata.normalize("NFKC", line))


def _reason_of(fragment: str, spans: Sequence[tuple[str, str]]) -> str | None:
    """The reason of the removed span that is this deleted text, else of one that holds it or that it holds.

    Spans are compared by their line keys: a stage records a span as it saw it, after the repairs.
    """
    key = _line_key(fragment)
    if not key:
        return None
    same = next((reason for reason, span in spans if span == key), None)
    return same or next((reason for reason, span in spans if key in span or span in key), None)


def _removed(text: str, reason: str) -> str:
    return (
        f'<del class="removed" data-reason="{escape(reason)}" title="removed: {escape(reason)}" '
        f'style="--hue:{reason_hue(reason)}">{escape(text)}</del>'
    )


def _changed(text: str) -> str:
    return f"<del>{escape(text)}</del>"


def _inserted(text: str) -> str:
    return f"<ins>{escape(text)}</ins>"


def _deleted_lines(lines: Sequence[str], spans: Sequence[tuple[str, str]]) -> Iterator[str]:
    """Whole raw lines missing from the document, grouped by reason; long unexplained runs fold away."""
    for reason, group in groupby(lines, key=lambda line: _reason_of(line, spans)):
        lines = list(group)
        text = "".join(lines)
        if reason is not None:
            yield _removed(text, reason)
            continue
        count = len(lines)
        if count <= FOLD_LINES:
            yield _changed(text)
        else:
            summary = f"{count} raw lines not in this document's text"
            yield f'<details class="folded"><summary>{summary}</summary>{_changed(text)}</details>'


def _replaced_block(
    raw_block: Sequence[str], clean_block: Sequence[str], spans: Sequence[tuple[str, str]]
) -> Iterator[str]:
    raw, clean = "".join(raw_block), "".join(clean_block)
    if max(len(raw), len(clean)) <= CHARACTER_DIFF_LIMIT:
        yield _character_diff(raw, clean, spans)
    elif len(raw_block) == len(clean_block):  # too long to compare at once: line by line
        yield from (_character_diff(a, b, spans) for a, b in zip(raw_block, clean_block, strict=True))
    else:
        yield from _deleted_lines(raw_block, spans)
        yield _inserted(clean)


def _character_diff(raw: str, clean: str, spans: Sequence[tuple[str, str]]) -> str:
    """Tokens first (words, runs of Han characters, single marks), then the characters of short changed runs:
    comparing every character of long paragraphs at once costs too much."""
    if raw == clean:
        return escape(raw)
    raw_pieces, clean_pieces = WORD.split(raw), WORD.split(clean)
    if raw_pieces[1::2] == clean_pieces[1::2]:  # the same words: only marks and spaces between them changed
        pairs = zip(raw_pieces, clean_pieces, strict=True)
        return "".join(escape(a) if a == b else _refined(a, b, spans) for a, b in pairs)
    if max(len(raw), len(clean)) > CHARACTER_DIFF_LIMIT:
        return _changed(raw) + _inserted(clean)
    parts = []
    for op, deleted, inserted in _differences(TOKEN.findall(raw), TOKEN.findall(clean)):
        if op == "replace" and max(len(deleted), len(inserted)) <= REFINED_RUN_LIMIT:
            parts.append(_refined(deleted, inserted, spans))
        else:
            parts.append(_marked(op, deleted, inserted, spans))
    return "".join(parts)


def _refined(raw: str, clean: str, spans: Sequence[tuple[str, str]]) -> str:
    """A short changed run, character by character."""
    return "".join(_marked(*difference, spans) for difference in _differences(raw, clean))


def _differences(raw: Sequence[str], clean: Sequence[str]) -> Iterator[tuple[str, str, str]]:
    """(operation, raw text, clean text) for each run of tokens (or characters, given strings).

    A longest common subsequence (rapidfuzz's, bit-parallel): difflib's matcher is quadratic in the repeats of
    a token, and damaged text repeats a few marks (U+FFFD, punctuation) thousands of times.

    >>> list(_differences("建設(shè)完成", "建设完成"))
    [('equal', '建', '建'), ('replace', '設(shè)', '设'), ('equal', '完成', '完成')]
    """
    for equal, group in groupby(Indel.opcodes(raw, clean), key=lambda opcode: opcode.tag == "equal"):
        opcodes = list(group)
        deleted = "".join(raw[opcodes[0].src_start : opcodes[-1].src_end])
        inserted = "".join(clean[opcodes[0].dest_start : opcodes[-1].dest_end])
        operation = "equal" if equal else "replace" if deleted and inserted else "delete" if deleted else "insert"
        yield operation, deleted, inserted


def _marked(op: str, deleted: str, inserted: str, spans: Sequence[tuple[str, str]]) -> str:
    if op == "equal":
        return escape(deleted)
    long_deletion = op == "delete" and len(deleted.strip()) >= MIN_ATTRIBUTED_CHARACTERS
    reason = _reason_of(deleted, spans) if long_deletion else None
    marked_deletion = (_removed(deleted, reason) if reason else _changed(deleted)) if deleted else ""
    return marked_deletion + (_inserted(inserted) if inserted else "")
