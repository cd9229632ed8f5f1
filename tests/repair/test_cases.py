"""The data-driven cases in tests/cases/repair/*.json: input, expected, label, comment (ftfy's format)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit import fix_text

CASES = Path(__file__).resolve().parent.parent / "cases" / "repair"


def _cases() -> list[pytest.param]:
    return [
        pytest.param(case["input"], case["expected"], id=f"{file.stem}-{case['label']}")
        for file in sorted(CASES.glob("*.json"))
        for case in json.loads(file.read_text(encoding="utf-8"))
    ]


@pytest.mark.parametrize(("text", "expected"), _cases())
def test_case(text: str, expected: str) -> None:
    assert fix_text(text) == expected
