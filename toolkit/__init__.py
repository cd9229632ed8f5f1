"""corpus-toolkit: turn messy scraped text into a clean, deduplicated, documented, versioned dataset."""

__version__ = "0.1.0"

from toolkit.document import Document
from toolkit.project import run_pipeline
from toolkit.repair import fix_text

__all__ = ["Document", "__version__", "fix_text", "run_pipeline"]
