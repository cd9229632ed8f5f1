"""Script conversion: the OpenCC converter factory with either binding, and text OpenCC cannot take."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator

import pytest

from toolkit import text
from toolkit.repair import script
from toolkit.repair.script import convert_script, detect_script
from toolkit.text import converter_from


def binding(accepts: Callable[[str], bool]) -> types.SimpleNamespace:
    """A stand-in for an `opencc` module whose OpenCC(name) knows the names `accepts` allows."""

    class OpenCC:
        def __init__(self, name: str) -> None:
            if not accepts(name):
                raise FileNotFoundError(name)  # as opencc-python-reimplemented does
            self.name = name

        def convert(self, text: str) -> str:
            return text.replace("設", "设")

    return types.SimpleNamespace(OpenCC=OpenCC)


def reimplementation() -> types.SimpleNamespace:
    return binding(lambda name: not name.endswith(".json"))


@pytest.fixture
def fresh_converters() -> Iterator[None]:
    """Converters built in the test are not kept for the tests after it."""
    text._cached_converter.cache_clear()
    yield
    text._cached_converter.cache_clear()


@pytest.mark.parametrize(
    ("module", "chosen"),
    [(reimplementation(), "t2s"), (binding(lambda name: name.endswith(".json")), "t2s.json")],
    ids=["reimplementation", "file-name-only"],
)
def test_factory_takes_either_binding(module: types.SimpleNamespace, chosen: str) -> None:
    assert converter_from(module, "t2s").name == chosen


def test_factory_names_an_unknown_configuration() -> None:
    with pytest.raises(ValueError, match="no configuration 'x2y'"):
        converter_from(binding(lambda name: False), "x2y")


def test_conversion_goes_through_the_installed_binding(monkeypatch, fresh_converters) -> None:
    monkeypatch.setitem(sys.modules, "opencc", reimplementation())
    assert script._convert("t2s", "建設\n目標") == "建设\n目標"


def test_missing_opencc_says_what_to_install(monkeypatch, fresh_converters) -> None:
    monkeypatch.setitem(sys.modules, "opencc", None)  # `import opencc` then raises ImportError
    with pytest.raises(ImportError, match="pip install opencc"):
        script.opencc_converter("t2s")


def test_nul_and_lone_surrogates_pass_through() -> None:
    # the official binding's C library would end the text at the NUL
    assert convert_script("錨定\x00美麗\udc00目標") == "锚定\x00美丽\udc00目标"


def test_traditional_paragraphs_are_converted_in_one_call_per_configuration(monkeypatch) -> None:
    calls: list[str] = []
    convert = script._convert

    def counted(config: str, text: str) -> str:
        calls.append(config)
        return convert(config, text)

    monkeypatch.setattr(script, "_convert", counted)
    text = "錨定美麗山西\n锚定美丽山西\n加快推動全面綠色轉型\n國語の勉強"
    assert convert_script(text) == "锚定美丽山西\n锚定美丽山西\n加快推动全面绿色转型\n國語の勉強"
    assert calls == ["t2s"]


def test_lines_keep_their_place_when_a_counted_line_joins_the_document() -> None:
    # 准 is simplified only in most texts, but 批准 is written so in traditional too: the line is counted,
    # found traditional, and converted in the same call as the others
    text = "加快推動全面綠色轉型\n批准後實施\n奮力實現良好開局"
    assert convert_script(text) == "加快推动全面绿色转型\n批准后实施\n奋力实现良好开局"


def test_opencc_standard_forms_say_nothing_about_the_region() -> None:
    # 參 is how every traditional standard writes 参 (and Taiwan's form of 蔘): not a sign of zh-Hant-TW
    assert detect_script("參加會議") == "zh-Hant"
