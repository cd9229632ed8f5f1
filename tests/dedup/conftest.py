from pathlib import Path

import pytest

CORPORA = Path("/work/shared/corpora")


def _texts(folder: str) -> list[str]:
    files = sorted((CORPORA / folder).glob("*.txt"))
    if not files:
        pytest.skip(f"{CORPORA / folder} is not available")
    return [file.read_text(encoding="utf-8") for file in files]


@pytest.fixture(scope="session")
def zh_hant_texts() -> list[str]:
    return _texts("zh-hant")


@pytest.fixture(scope="session")
def real_texts() -> list[str]:
    """Simplified news, regulations and traditional documents, interleaved so a prefix holds all three."""
    groups = [_texts("peoples-daily-1998"), _texts("prc-regulations"), _texts("zh-hant")]
    return [text for row in zip(*groups, strict=False) for text in row] + [t for group in groups for t in group[120:]]
