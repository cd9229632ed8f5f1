"""A corpus project: its folders, its pipeline.toml, and running every stage in order.

raw/            the raw files (input)
build/<stage>/  intermediate stage outputs (ingest, repair, clean, dedup)
clean/          the final corpus: documents/, rejects/, manifest.json
dist/           published versions of the dataset
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from toolkit.clean import CleanStage
from toolkit.config import CONFIG_FILE, ConfigError, Options, ProjectOptions, load_toml, render_template
from toolkit.dedup import DedupStage
from toolkit.engines import LocalEngine
from toolkit.enrich import EnrichStage
from toolkit.ingest import IngestStage
from toolkit.pipeline import Engine, Reporter, SideProcess, Stage, StageReport, run_stage
from toolkit.publish import PublishOptions, PublishResult, publish
from toolkit.repair import RepairStage

__all__ = ["STAGES", "PipelineResult", "init_project", "load_config", "make_stage", "run_pipeline"]

# What publishing imports when it writes a version: the card and shard modules, datasets, huggingface_hub.
PUBLISH_MODULES = ("toolkit.publish.card", "toolkit.publish.parquet")

STAGES: dict[str, type[Stage]] = {
    stage.name: stage for stage in (IngestStage, RepairStage, CleanStage, DedupStage, EnrichStage)
}
SECTIONS: dict[str, type[Options]] = {
    "project": ProjectOptions,
    **{name: stage.options_class for name, stage in STAGES.items()},
    "publish": PublishOptions,
}


def load_config(path: Path) -> dict[str, Options]:
    """Options for every section of pipeline.toml, defaults where the file is silent."""
    table = load_toml(path)
    unknown = sorted(set(table) - set(SECTIONS))
    if unknown:
        raise ConfigError(f"{path}: unknown section [{unknown[0]}]; known: {', '.join(SECTIONS)}")
    config = {}
    for section, cls in SECTIONS.items():
        value = table.get(section, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: {section} must be a table ([{section}])")
        config[section] = cls.from_table(value, section)
    return config


def make_stage(name: str, config: dict[str, Options]) -> Stage:
    return STAGES[name](config[name])


def stage_folders(root: Path) -> list[tuple[str, Path, Path]]:
    """(stage, input, output) for each stage of a project rooted at `root`."""
    folders = [root / "raw"] + [root / "build" / name for name in list(STAGES)[:-1]] + [root / "clean"]
    return [(name, folders[i], folders[i + 1]) for i, name in enumerate(STAGES)]


@dataclass
class PipelineResult:
    stages: list[StageReport] = field(default_factory=list)
    published: PublishResult | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "stages": [report.as_dict() for report in self.stages],
            "published": self.published.as_dict() if self.published else None,
        }


def run_pipeline(
    root: str | Path = ".",
    *,
    force: bool = False,
    engine: Engine | None = None,
    reporter: Reporter | None = None,
) -> PipelineResult:
    """Run every stage of the project at `root`, skipping those that are up to date, then publish.

    The default engine is a process pool with one worker per core."""
    root = Path(root)
    config = load_config(root / CONFIG_FILE)
    engine = engine or LocalEngine()
    result = PipelineResult()
    stages = [(make_stage(name, config), source, output) for name, source, output in stage_folders(root)]
    engine.prepare(stage for stage, _, _ in stages)
    (ingest, *rest), publisher = stages, SideProcess()
    try:
        # Each stage hands the stage after it the surveys of what it writes (see `run_stage`).
        next_stages = [stage for stage, _, _ in rest] + [None]
        result.stages.append(run_stage(*ingest, force=force, engine=engine, reporter=reporter, then=next_stages[0]))
        # Publishing imports datasets and huggingface_hub (a second of CPU): a side process imports them while
        # the other stages run. It starts after ingest, which needs no worker: starting one waits for the
        # engine's workers to be ready.
        publisher = engine.side_process(PUBLISH_MODULES)
        for (stage, source, output), then in zip(rest, next_stages[1:], strict=True):
            result.stages.append(
                run_stage(stage, source, output, force=force, engine=engine, reporter=reporter, then=then)
            )
        project = config["project"]
        assert isinstance(project, ProjectOptions)
        # Nothing ran, so nothing new to publish: the check takes no import and no side process.
        where = SideProcess() if all(report.skipped for report in result.stages) else publisher
        result.published = where.call(
            publish,
            root / "clean",
            root / "dist",
            name=project.name or root.resolve().name,
            version=project.version,
            options=config["publish"],
        )
    finally:
        publisher.close()
    return result


def init_project(root: Path) -> list[Path]:
    """Scaffold a corpus project; existing files are left as they are. Returns what was created."""
    created = []
    for folder in ("raw", "clean", "dist"):
        path = root / folder
        if not path.exists():
            path.mkdir(parents=True)
            created.append(path)
    files = {
        CONFIG_FILE: render_template(SECTIONS),
        "Makefile": resources.files("toolkit").joinpath("templates/Makefile").read_text(encoding="utf-8"),
        ".gitignore": "/build/\n/clean/\n/dist/\n",
    }
    for name, text in files.items():
        path = root / name
        if not path.exists():
            path.write_text(text, encoding="utf-8")
            created.append(path)
    return created
