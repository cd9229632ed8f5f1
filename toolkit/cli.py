"""The `ctk` command: argument parsing and output only; the work is done by the package."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import importlib.util
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from toolkit import __version__
from toolkit.config import CONFIG_FILE, ConfigError
from toolkit.errors import DataError
from toolkit.workers import start_forkserver, worker_count

if TYPE_CHECKING:
    from toolkit.pipeline import Engine, StageReport

# Light imports only up here: a command that runs stages starts the workers' forkserver before it imports
# them (pyarrow, numpy, OpenCC), so that the two processes import at the same time.

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def _size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return str(n)


def summary_table(reports: list[StageReport], verbose: bool) -> Table:
    table = Table(title="corpus-toolkit", title_justify="left")
    for column in ("stage", "in", "kept", "dropped", "bytes out", "time"):
        table.add_column(column, justify="left" if column in ("stage", "dropped") else "right")
    for r in reports:
        dropped = ", ".join(f"{reason} {n}" for reason, n in sorted(r.rejected.items())) or "-"
        status = "up to date" if r.skipped else f"{r.seconds:.2f} s"
        table.add_row(
            r.stage,
            str(r.documents_in),
            str(r.documents_out),
            dropped,
            _size(r.bytes_out) if not r.skipped else "-",
            status,
        )
        if verbose and r.stats:
            for key, value in sorted(r.stats.items()):
                table.add_row("", "", "", f"  {key}", str(value), "", style="dim")
    return table


def _emit(args: argparse.Namespace, console: Console, reports: list[StageReport], extra: dict[str, Any]) -> None:
    if args.json:
        print(json.dumps({"stages": [r.as_dict() for r in reports], **extra}, ensure_ascii=False, indent=1))
    elif not args.quiet:
        console.print(summary_table(reports, args.verbose))


def _freeze_imports() -> None:
    """Exempt what the command has imported and built from the collector's passes: it lives as long as the
    process, and walking it again and again took about a quarter of the parent's CPU during a stage, which
    allocates little else (perf, repair of the 10 MB benchmark corpus)."""
    gc.freeze()


def _engine(args: argparse.Namespace) -> Engine:
    if args.engine == "local" and worker_count(args.workers) > 1:
        start_forkserver()
    from toolkit.engines import get_engine

    return get_engine(args.engine, workers=args.workers, address=args.address)


def _stage_command(args: argparse.Namespace, console: Console) -> int:
    engine = _engine(args)
    from toolkit.pipeline import run_stage
    from toolkit.progress import RichReporter
    from toolkit.project import load_config, make_stage

    config = load_config(Path(args.config))
    stage = make_stage(args.command, config)
    _freeze_imports()
    if getattr(args, "keep_removed", False):
        stage.options = dataclasses.replace(stage.options, keep_removed=True)  # type: ignore[call-arg]
    reporter = RichReporter(console, console.is_terminal and not args.quiet and not args.json)
    report = run_stage(stage, Path(args.input), Path(args.output), force=args.force, engine=engine, reporter=reporter)
    _emit(args, console, [report], {})
    return EXIT_OK


def _run_command(args: argparse.Namespace, console: Console) -> int:
    engine = _engine(args)
    from toolkit.progress import RichReporter
    from toolkit.project import run_pipeline
    from toolkit.report import write_report

    _freeze_imports()
    reporter = RichReporter(console, console.is_terminal and not args.quiet and not args.json)
    result = run_pipeline(args.directory, force=args.force, engine=engine, reporter=reporter)
    published = result.published.as_dict() if result.published else None
    report = None if args.no_report else write_report(args.directory, engine=_report_engine(engine, args.workers))
    _emit(args, console, result.stages, {"published": published})
    if not args.json and not args.quiet and result.published:
        everything_skipped = all(r.skipped for r in result.stages) and result.published.status == "unchanged"
        if everything_skipped:
            console.print("Nothing to do: every stage is up to date and this version is already published.")
        else:
            console.print(f"Published {result.published.path} ({result.published.status}).")
    if report and not args.json and not args.quiet:
        console.print(f"Report: {report}", markup=False, highlight=False, soft_wrap=True)
    return EXIT_OK


def _report_engine(engine: Engine | None, workers: int | None) -> Engine:
    """The report reads and writes the project's files here: on this machine's pool whatever ran the stages."""
    if engine is not None and engine.name == "local":
        return engine
    from toolkit.engines import LocalEngine

    return LocalEngine(workers)


def _report_command(args: argparse.Namespace, console: Console) -> int:
    if worker_count(args.workers) > 1:
        start_forkserver(["toolkit.report.build"])
    from toolkit.report import write_report

    report = write_report(args.directory, force=args.force, engine=_report_engine(None, args.workers))
    if args.json:
        print(json.dumps({"report": str(report)}))
    elif not args.quiet:
        console.print(f"Report: {report}", markup=False, highlight=False, soft_wrap=True)
    return EXIT_OK


def _publish_command(args: argparse.Namespace, console: Console) -> int:
    from toolkit.project import load_config
    from toolkit.publish import bump_version, publish, push_to_hub

    config = load_config(Path(args.config))
    project = config["project"]
    dist = Path(args.output)
    name = args.name or project.name or Path.cwd().name  # type: ignore[attr-defined]
    version = bump_version(dist, name, args.bump) if args.bump else args.version or project.version  # type: ignore[attr-defined]
    result = publish(Path(args.input), dist, name=name, version=version, options=config["publish"])  # type: ignore[arg-type]
    pushed = push_to_hub(Path(result.path), args.push_to_hub) if args.push_to_hub else None
    if args.json:
        print(
            json.dumps({**result.as_dict(), "hub": pushed.as_dict() if pushed else None}, ensure_ascii=False, indent=1)
        )
    elif not args.quiet:
        console.print(f"{result.path}: {result.status}")
        if result.changelog:
            console.print(f"changes {result.changelog.summary()}")
        if pushed:
            console.print(f"{pushed.repo} {pushed.tag}: {pushed.status} (commit {pushed.commit[:12]})")
    return EXIT_OK


def _verify_command(args: argparse.Namespace, console: Console) -> int:
    from toolkit.publish import verify

    checked = verify(Path(args.folder))
    if args.json:
        print(json.dumps({"path": args.folder, "files": checked, "ok": True}))
    elif not args.quiet:
        console.print(f"{args.folder}: {checked} files match their checksums, and the card is valid")
    return EXIT_OK


def _init_command(args: argparse.Namespace, console: Console) -> int:
    from toolkit.project import init_project

    created = init_project(Path(args.directory))
    if not args.quiet:
        for path in created:
            console.print(f"created {path}")
        if not created:
            console.print("nothing to create: the project is already set up")
    return EXIT_OK


def _fix_command(args: argparse.Namespace, console: Console) -> int:
    from toolkit.ingest import decode_bytes
    from toolkit.repair import fix_text

    sources: list[Path | None] = [Path(f) for f in args.files] or [None]
    for source in sources:
        try:
            data = sys.stdin.buffer.read() if source is None else source.read_bytes()
        except OSError as error:
            raise DataError(f"{source}: {error.strerror}") from None
        text = decode_bytes(data).text if data else ""
        sys.stdout.write(fix_text(text))
    return EXIT_OK


def _add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=("local", "ray"), default="local", help="where to run (default: local)")
    parser.add_argument("--workers", type=int, default=None, help="local worker processes (default: one per core)")
    parser.add_argument("--address", help="Ray cluster address (default: start a local Ray)")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    common.add_argument("-v", "--verbose", action="store_true", help="print per-rule statistics")
    common.add_argument("--json", action="store_true", help="print machine-readable statistics")
    common.add_argument("--debug", action="store_true", help="show tracebacks of errors")

    parser = argparse.ArgumentParser(
        prog="ctk",
        description="Turn messy scraped text into a clean, deduplicated, documented and versioned dataset.",
        epilog="Start with `ctk init DIR`, put raw files in DIR/raw, then `ctk run -C DIR`.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"corpus-toolkit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", parents=[common], help="scaffold a corpus project")
    init.add_argument("directory", nargs="?", default=".")

    run = commands.add_parser("run", parents=[common], help="run every stage of a project, then publish")
    run.add_argument("-C", dest="directory", default=".", help="project folder (default: here)")
    run.add_argument("--force", action="store_true", help="rerun stages that are up to date")
    run.add_argument("--no-report", action="store_true", help="do not write clean/report/ (ctk report can later)")
    _add_engine_arguments(run)

    helps = {
        "ingest": "raw files (any encoding) -> documents",
        "repair": "undo mojibake, entities, glosses, script and punctuation damage",
        "clean": "remove page-break artefacts and boilerplate, split articles",
        "dedup": "remove exact and near duplicates and repeated paragraphs",
        "enrich": "add ids, metadata and quality signals",
    }
    for name, text in helps.items():
        stage = commands.add_parser(name, parents=[common], help=text)
        stage.add_argument("input", help="raw folder" if name == "ingest" else "previous stage's output folder")
        stage.add_argument("output", help="output folder")
        stage.add_argument("--config", default=CONFIG_FILE, help="pipeline.toml to read (default: ./pipeline.toml)")
        stage.add_argument("--force", action="store_true", help="rerun even when up to date")
        _add_engine_arguments(stage)
        if name == "clean":
            stage.add_argument("--keep-removed", action="store_true", help="also write what was removed")

    pub = commands.add_parser("publish", parents=[common], help="write a versioned dataset to dist/")
    pub.add_argument("input", help="the final corpus folder (clean)")
    pub.add_argument("output", help="the dist folder")
    pub.add_argument("--config", default=CONFIG_FILE)
    pub.add_argument("--name", help="dataset name (default: [project] name, else this folder's name)")
    which = pub.add_mutually_exclusive_group()
    which.add_argument("--version", dest="version", help="version to publish (default: [project] version)")
    which.add_argument("--bump", choices=("major", "minor", "patch"), help="publish the next version after the newest")
    pub.add_argument("--push-to-hub", metavar="REPO", help="also upload the version to this Hub dataset repo")

    verify = commands.add_parser("verify", parents=[common], help="re-check a published version's checksums and card")
    verify.add_argument("folder", help="dist/<name>/<version>")

    report = commands.add_parser("report", parents=[common], help="write the HTML report to clean/report/")
    report.add_argument("-C", dest="directory", default=".", help="project folder (default: here)")
    report.add_argument("--force", action="store_true", help="rewrite it even when it is up to date")
    report.add_argument("--workers", type=int, default=None, help="local worker processes (default: one per core)")

    fix = commands.add_parser("fix", parents=[common], help="repair text: files or standard input to stdout")
    fix.add_argument("files", nargs="*")
    return parser


HANDLERS = {
    "init": _init_command,
    "run": _run_command,
    "publish": _publish_command,
    "verify": _verify_command,
    "report": _report_command,
    "fix": _fix_command,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:
        return int(exit.code or 0)
    console = Console(stderr=args.json)
    handler = HANDLERS.get(args.command, _stage_command)
    try:
        return handler(args, console)
    except (DataError, ConfigError) as error:
        if args.debug:
            traceback.print_exc()
        print(f"ctk: error: {error}", file=sys.stderr)
        return EXIT_DATA
    except OSError as error:
        if args.debug:
            traceback.print_exc()
        print(f"ctk: error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("ctk: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # a bug, not bad input: still one line, the traceback behind --debug
        if args.debug:
            traceback.print_exc()
        print(f"ctk: internal error: {type(error).__name__}: {error} (rerun with --debug for details)", file=sys.stderr)
        return EXIT_DATA


def command() -> int:
    """The `ctk` console script: `main` on the command line's arguments, in a process that exits next."""
    _not_rerun_in_workers(sys.modules["__main__"])
    # One BLAS thread per process (before numpy is imported, here and in the workers' forkserver): the run's
    # parallelism is its processes, and OpenBLAS starts a thread per core in each, which spin a while after
    # they start (0.04 s of CPU per process). A value set by the user is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    status = main()
    # Exempts what the run left in memory from the collection at interpreter exit: after a run over a
    # corpus that last pass over every cached table and object took a quarter of a second.
    gc.freeze()
    return status


def _not_rerun_in_workers(main_module: Any) -> None:
    """Worker processes rebuild `__main__`: for a script (the console script pip writes) they run it again,
    which imports this CLI and rich in every worker. Named as `toolkit.__main__`, it is skipped there,
    as for `python -m toolkit`."""
    if getattr(main_module, "__spec__", None) is None:
        main_module.__spec__ = importlib.util.find_spec("toolkit.__main__")
