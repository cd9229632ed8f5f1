"""Imported last by the process that forks the local engine's workers (multiprocessing's forkserver, see
toolkit.workers), after the stages' modules: it warms up every stage class imported so far, so that each
worker starts with the stages' tables built instead of building them again (see `Stage.warm_up`)."""

from __future__ import annotations

import contextlib

from toolkit.pipeline import Stage

__all__ = ["warm_up_stages"]


def _subclasses(cls: type[Stage]) -> list[type[Stage]]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]


def warm_up_stages() -> None:
    for stage_class in _subclasses(Stage):
        # a failure is not this process's to report: the worker that needs the table fails building it
        with contextlib.suppress(Exception):
            stage_class.warm_up()


warm_up_stages()
