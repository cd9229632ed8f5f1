"""HTML character references left in text: named, numeric, double-escaped and unterminated."""

from __future__ import annotations

import re
from html.entities import html5

from toolkit.repair.result import Repaired

__all__ = ["unescape_entities"]

# A numeric reference may lack its ';' (browsers accept `&#24314`); a named one must have it, so that
# `AT&T`, `R&D` or `&copy2020` stay text.
ENTITY = re.compile(r"&(?:#([0-9]{1,7});?|#[xX]([0-9a-fA-F]{1,6});?|([A-Za-z][A-Za-z0-9]{1,31});)")
# Numeric references to C1 code points mean Windows-1252 characters, as browsers (and html.unescape) read them.
WINDOWS_1252 = {n: bytes([n]).decode("cp1252") for n in range(0x80, 0xA0) if n not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def _decode(match: re.Match[str]) -> str:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        return html5.get(name + ";", match.group())
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code in WINDOWS_1252:
        return WINDOWS_1252[code]
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return match.group()  # names no character: leave it as written
    return chr(code)


def unescape_entities(text: str) -> Repaired:
    """Decode HTML character references until none is left, also on lines that contain `<`.

    >>> unescape_entities("&#24314;&#x8bbe; &amp;#30446;&amp;amp;#26631; &#24314 &quot;PM2.5&quot;")
    '建设 目标 建 "PM2.5"'
    >>> unescape_entities("AT&T, R&D, a<b &copy2020 &nosuch; &#0;")
    'AT&T, R&D, a<b &copy2020 &nosuch; &#0;'
    """
    spans = 0
    while "&" in text:  # each pass shortens the text, so this ends; `&amp;lt;` needs two passes
        decoded, found = ENTITY.subn(_decode, text)
        if decoded == text:
            break
        text, spans = decoded, spans + found
    return Repaired(text, spans)
