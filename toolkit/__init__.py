"""corpus-toolkit: turn messy scraped text into a clean, deduplicated, documented, versioned dataset."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Document", "__version__", "fix_text", "run_pipeline"]

if TYPE_CHECKING:
    from toolkit.document import Document
    from toolkit.project import run_pipeline
    from toolkit.repair import fix_text

# The public names are imported on first use, so that `ctk` does not pay for every stage's libraries
# before it knows which command it runs.
_PUBLIC = {"Document": "toolkit.document", "run_pipeline": "toolkit.project", "fix_text": "toolkit.repair"}


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
