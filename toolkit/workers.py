"""Starting the process that forks the local engine's worker processes (multiprocessing's forkserver).

It imports the stages' modules and builds their tables once (toolkit.engines.warm_up), and every worker
forked from it starts with them. The `ctk` command starts it first thing, so that it imports them while
the command itself does; this module imports nothing heavy for that reason.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable

__all__ = ["STAGE_MODULES", "start_forkserver", "worker_count"]

# The modules of the pipeline's stages (toolkit.project.STAGES; a test checks they agree).
STAGE_MODULES = ("toolkit.ingest", "toolkit.repair", "toolkit.clean", "toolkit.dedup", "toolkit.enrich")


def worker_count(requested: int | None) -> int:
    """The local engine's workers: as requested, else one per core."""
    return requested or os.cpu_count() or 1


def start_forkserver(modules: Iterable[str] = STAGE_MODULES) -> None:
    """Start the forkserver with `modules` imported and their stages warmed up in it, unless it runs already.
    Where there is no forkserver (not POSIX), workers are spawned and import what they need themselves."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver

    forkserver.set_forkserver_preload([*sorted(set(modules)), "toolkit.engines", "toolkit.engines.warm_up"])
    forkserver.ensure_running()
