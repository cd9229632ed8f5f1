"""The progress a stage command shows: a rich progress bar per stage, on a terminal only."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from toolkit.pipeline import Reporter, StageReport

__all__ = ["RichReporter"]


class RichReporter(Reporter):
    """A progress bar per stage, shown only on a terminal."""

    def __init__(self, console: Console, enabled: bool) -> None:
        self.console = console
        self.progress: Progress | None = None
        self.task: Any = None
        self.enabled = enabled

    def stage_started(self, stage: str, total: int | None) -> None:
        if not self.enabled:
            return
        self.progress = Progress(
            TextColumn(f"{stage:<7}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.progress.start()
        self.task = self.progress.add_task(stage, total=total)

    def advance(self, documents: int) -> None:
        if self.progress is not None:
            self.progress.advance(self.task, documents)

    def stage_finished(self, report: StageReport) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None
