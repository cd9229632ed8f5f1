"""The errors the `ctk` command reports as one line: bad data here, bad configuration in toolkit.config."""

from __future__ import annotations

__all__ = ["DataError"]


class DataError(Exception):
    """Bad input or output data: the CLI prints it as one line and exits 1."""
