"""The ctk command end to end, on real files in a temp folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from toolkit.cli import main
from toolkit.config import CONFIG_FILE
from toolkit.project import SECTIONS, load_config

CTK = [sys.executable, "-m", "toolkit"]


def ctk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CTK, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_run_builds_the_corpus_then_does_nothing_the_second_time(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "-C", str(project)]) == 0
    first = capsys.readouterr().out
    assert "ingest" in first and "Published" in first

    documents = pq.read_table(project / "clean" / "documents")
    assert {"id", "text", "source", "part"} <= set(documents.column_names)
    assert sorted(set(documents.column("source").to_pylist())) == sorted(p.name for p in (project / "raw").iterdir())
    assert all(documents.column("id").to_pylist())
    assert (project / "clean" / "rejects").is_dir()
    assert list((project / "dist").glob(f"{project.name}/0.1.0/data/train-*.parquet"))

    assert main(["run", "-C", str(project), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert [s["skipped"] for s in stats["stages"]] == [True] * 5
    assert stats["published"]["status"] == "unchanged"


def test_a_changed_section_reruns_only_its_stage_and_later_ones(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "-C", str(project), "-q"]) == 0
    config = project / CONFIG_FILE
    config.write_text(
        config.read_text(encoding="utf-8").replace('version = "0.1.0"', 'version = "0.2.0"'), encoding="utf-8"
    )
    assert main(["run", "-C", str(project), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert [s["skipped"] for s in stats["stages"]] == [True] * 5
    assert stats["published"]["status"] == "published"
    assert stats["published"]["version"] == "0.2.0"


def test_stage_commands_chain_like_make_does(project: Path) -> None:
    steps = [
        ("ingest", "raw", "build/ingest"),
        ("repair", "build/ingest", "build/repair"),
        ("clean", "build/repair", "build/clean"),
        ("dedup", "build/clean", "build/dedup"),
        ("enrich", "build/dedup", "clean"),
    ]
    for command, source, output in steps:
        result = ctk(command, source, output, "--json", cwd=project)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["stages"][0]["stage"] == command
    assert ctk("publish", "clean", "dist", "-q", cwd=project).returncode == 0
    again = ctk("repair", "build/ingest", "build/repair", "--json", cwd=project)
    assert json.loads(again.stdout)["stages"][0]["skipped"] is True
    forced = ctk("repair", "build/ingest", "build/repair", "--json", "--force", cwd=project)
    assert json.loads(forced.stdout)["stages"][0]["skipped"] is False


def test_make_runs_the_stages_of_a_new_project(project: Path) -> None:
    make = subprocess.run(
        ["make", f"CTK={sys.executable} -m toolkit"], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert make.returncode == 0, make.stderr
    assert (project / "clean" / "manifest.json").exists()
    assert (
        subprocess.run(
            ["make", "-q", "clean/manifest.json", f"CTK={sys.executable} -m toolkit"], cwd=project
        ).returncode
        == 0
    )
    subprocess.run(["make", "clean"], cwd=project, check=True, capture_output=True)
    assert not (project / "build").exists() and (project / "raw").is_dir()


def test_the_repository_makefile_uses_the_same_stage_rules() -> None:
    root = Path(__file__).resolve().parent.parent
    assert "include toolkit/templates/Makefile" in (root / "Makefile").read_text(encoding="utf-8")


def test_init_writes_every_option_with_its_default(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path), "-q"]) == 0
    text = (tmp_path / CONFIG_FILE).read_text(encoding="utf-8")
    for section, options in SECTIONS.items():
        assert f"[{section}]" in text
        for name in options.__dataclass_fields__:
            assert f"\n{name} = " in text
    assert load_config(tmp_path / CONFIG_FILE) == load_config(tmp_path / "absent.toml")
    assert main(["init", str(tmp_path), "-q"]) == 0  # a second init leaves the files alone


@pytest.mark.parametrize(
    ("args", "setup", "message"),
    [
        (["run", "-C", "{dir}"], None, "raw: not a folder of raw files"),
        (["run", "-C", "{dir}"], "mkdir", "no input files"),
        (["run", "-C", "{dir}"], "bad-toml", "pipeline.toml"),
        (["run", "-C", "{dir}"], "unknown-option", "[ingest] has no option 'colour'"),
        (["repair", "{dir}/nowhere", "{dir}/out"], None, "no manifest.json here"),
    ],
)
def test_bad_input_is_one_line_and_exit_1(tmp_path: Path, args: list[str], setup: str | None, message: str) -> None:
    if setup == "mkdir":
        (tmp_path / "raw").mkdir()
    elif setup == "bad-toml":
        (tmp_path / CONFIG_FILE).write_text("[ingest\n", encoding="utf-8")
    elif setup == "unknown-option":
        (tmp_path / CONFIG_FILE).write_text("[ingest]\ncolour = 'red'\n", encoding="utf-8")
    result = ctk(*[a.format(dir=tmp_path) for a in args])
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("ctk: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    debug = ctk(*[a.format(dir=tmp_path) for a in args], "--debug")
    assert "Traceback" in debug.stderr


def test_usage_errors_exit_2() -> None:
    assert ctk("frobnicate").returncode == 2
    assert ctk("repair").returncode == 2


def test_quiet_prints_nothing(project: Path) -> None:
    result = ctk("run", "-C", str(project), "--quiet")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_console_script_spares_the_exit_collection(monkeypatch: pytest.MonkeyPatch) -> None:
    """`ctk` exits right after its command: what the run left is frozen rather than collected at exit."""
    import gc

    from toolkit.cli import command

    monkeypatch.setattr(sys, "argv", ["ctk", "--version"])
    try:
        assert command() == 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_workers_of_the_console_script_do_not_run_it_again(tmp_path: Path) -> None:
    """pip's `ctk` script is a plain file: multiprocessing would have each worker run it again (importing the
    CLI and rich there) to rebuild `__main__`."""
    script = tmp_path / "ctk"
    script.write_text(
        "import sys\nfrom multiprocessing import spawn\nfrom toolkit.cli import command\n"
        "sys.argv = ['ctk', '--version']\ncommand()\n"
        "print(sorted(key for key in spawn.get_preparation_data('worker') if key.startswith('init_main')))\n",
        encoding="utf-8",
    )
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "['init_main_from_name']"


@pytest.mark.parametrize(("set_by_user", "threads"), [(None, "1"), ("3", "3")])
def test_the_command_runs_one_blas_thread_per_process_unless_told(
    tmp_path: Path, set_by_user: str | None, threads: str
) -> None:
    """The run's processes are its parallelism; OpenBLAS would start a spinning thread per core in each."""
    code = (
        "import os, sys; sys.argv = ['ctk', 'init', sys.argv[1]]; from toolkit.cli import command; command();"
        "print(os.environ['OPENBLAS_NUM_THREADS'])"
    )
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    if set_by_user is not None:
        env["OPENBLAS_NUM_THREADS"] = set_by_user
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == threads


def test_a_run_starts_with_what_the_command_imported_frozen(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The collector walked the imported modules' objects again and again during the stages."""
    import gc

    from toolkit.project import PipelineResult

    frozen_at_start = []

    def run_pipeline(*args: object, **kwargs: object) -> PipelineResult:
        frozen_at_start.append(gc.get_freeze_count())
        return PipelineResult()

    monkeypatch.setattr("toolkit.project.run_pipeline", run_pipeline)
    try:
        assert main(["run", "-C", str(project), "--no-report", "-q"]) == 0
    finally:
        gc.unfreeze()
    assert frozen_at_start and frozen_at_start[0] > 0
