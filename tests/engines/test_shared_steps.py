"""Steps over shared arrays and whole-corpus steps: the serial and local engines compute them in this process,
on the arrays themselves (a pool worker would need a copy of them per task)."""

import os

import numpy as np
import pytest

from toolkit.engines import LocalEngine
from toolkit.pipeline import Engine


def _where(shared: np.ndarray, item: int) -> tuple[np.ndarray, int, int]:
    return shared, item, os.getpid()


@pytest.mark.parametrize("engine", [Engine(), LocalEngine(2)], ids=["serial", "local"])
def test_steps_over_shared_arrays_run_here_on_the_arrays_themselves(engine: Engine) -> None:
    array = np.arange(10)
    results = list(engine.map_with_shared(_where, array, range(5)))
    assert [item for _, item, _ in results] == list(range(5))
    assert all(shared is array and pid == os.getpid() for shared, _, pid in results)
    shared, item, pid = engine.call(_where, array, 7)
    assert shared is array and item == 7 and pid == os.getpid()
