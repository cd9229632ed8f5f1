"""The local engine's workers start from a process that has imported the stages and built their tables."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from tests.conftest import python_output
from toolkit.engines import SERIAL_BELOW, LocalEngine
from toolkit.project import init_project
from toolkit.repair import script


def tables_built(_: int) -> tuple[bool, bool]:
    """In a worker: whether the repair stage's module and its script markers were there before any work."""
    return "toolkit.repair" in sys.modules, script._markers.cache_info().currsize == 1


def test_prepared_workers_start_with_the_stages_tables_built() -> None:
    # A process of its own: the forkserver of this one may already run, started with nothing preloaded.
    code = (
        "from toolkit.engines import LocalEngine;"
        "from toolkit.repair import RepairStage;"
        "from tests.engines.test_local import tables_built;"
        "engine = LocalEngine(2); engine.prepare([RepairStage()]);"
        "print(sorted(set(engine.map_in_order(tables_built, range(8)))))"
    )
    assert python_output(code) == "[(True, True)]\n"


def test_unprepared_workers_build_them_themselves() -> None:
    code = (
        "from toolkit.engines import LocalEngine;"
        "from tests.engines.test_local import tables_built;"
        "print(sorted(set(LocalEngine(2).map_in_order(tables_built, range(8)))))"
    )
    assert python_output(code) == "[(True, False)]\n"


def test_the_forkserver_preloads_the_modules_of_the_pipeline_stages() -> None:
    from toolkit.project import STAGES
    from toolkit.workers import STAGE_MODULES

    assert sorted(STAGE_MODULES) == sorted({stage.__module__ for stage in STAGES.values()})


def test_the_command_imports_nothing_heavy_before_it_starts_the_forkserver() -> None:
    """`ctk run` starts the workers' forkserver first, so that it imports the stages while the command does."""
    code = (
        "import sys, toolkit.cli; print(sorted({'pyarrow', 'numpy', 'opencc', 'toolkit.pipeline'} & set(sys.modules)))"
    )
    assert python_output(code) == "[]\n"


def test_the_parent_of_a_local_run_never_imports_pandas(tmp_path: Path) -> None:
    """pyarrow imports pandas (half a second) on its first scalar or array made of Python values; the parent
    only reads, renumbers and writes what the workers made, and publishing imports it in a side process."""
    init_project(tmp_path)
    records = (
        json.dumps({"text": f"第{n}篇。黄河流经{n % 7}个省份,全长{5464 + n}公里。\n\n" * 3, "url": f"https://a.cn/{n}"})
        for n in range(3 * SERIAL_BELOW)  # above it, the stages run in workers and the parent only writes
    )
    (tmp_path / "raw" / "articles.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    code = (
        "import sys; from toolkit.engines import LocalEngine; from toolkit.project import run_pipeline;"
        f"result = run_pipeline({str(tmp_path)!r}, engine=LocalEngine(2));"
        "print(result.stages[2].documents_out, 'pandas' in sys.modules)"
    )
    assert python_output(code) == f"{3 * SERIAL_BELOW} False\n"


def test_the_side_process_prepares_at_the_lowest_priority() -> None:
    """Its imports take a second of CPU for `datasets`: they must not slow down the stages' workers."""
    side = LocalEngine(2).side_process(["json"])
    assert side.call(os.nice, 0) == 19
