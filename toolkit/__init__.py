"""corpus-toolkit: turn messy scraped text into a clean, deduplicated, documented, versioned dataset."""

__version__ = "0.1.0"

from toolkit.document import Document  # noqa: E402
from toolkit.project import run_pipeline  # noqa: E402
from toolkit.repair import fix_text  # noqa: E402

__all__ = ["Document", "__version__", "fix_text", "run_pipeline"]
