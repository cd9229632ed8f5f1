"""Each seed in raw/ comes out as the articles it holds, exactly as reviewed in tests/cases/clean/seeds/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.clean.seed_input import repaired_seed
from tests.conftest import RAW
from toolkit.clean import CleanStage
from toolkit.document import Document

CASES = Path(__file__).resolve().parent.parent / "cases" / "clean" / "seeds"


@pytest.mark.parametrize("case", sorted(CASES.glob("*.json")), ids=lambda p: p.stem)
def test_seed_comes_out_as_reviewed(case: Path) -> None:
    expected = json.loads(case.read_text(encoding="utf-8"))
    doc = Document(text=repaired_seed(RAW / expected["source"]), source=expected["source"])
    parts = [
        {
            "part": number,  # the runner numbers parts in output order (tests/clean/test_stage.py)
            "title": out.title,
            "reject_reason": out.reject_reason,
            "meta": out.meta,
            "removed": out.removed,
            "paragraphs": out.text.split("\n"),
        }
        for number, out in enumerate(CleanStage().process(doc))
    ]
    assert parts == expected["parts"]


def test_every_seed_has_its_reviewed_case() -> None:
    assert sorted(p.stem for p in CASES.glob("*.json")) == sorted(p.stem for p in RAW.iterdir())
