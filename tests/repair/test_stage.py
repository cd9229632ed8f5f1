"""The stage: repairs log, metadata, options, pickling to workers, the ctk fix filter."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from toolkit.config import ConfigError
from toolkit.document import Document
from toolkit.repair import RepairOptions, RepairStage, fix_and_explain


def test_stage_logs_repairs_and_metadata() -> None:
    stage = RepairStage()
    doc = Document(text="錨定美麗山西建設(shè)目標(biāo),寤鸿\ufffd剧洰鏍\ufffd", source="a.txt")
    (out,) = stage.process(doc)
    assert out.text == "锚定美丽山西建设目标，建\ufffd目\ufffd"
    assert out.repairs == {"pinyin_glosses": 2, "cjk_mojibake": 1, "script": 1, "punctuation": 1}
    assert out.meta == {"original_script": "zh-Hant", "lost_characters": 2}
    assert stage.stats["lost_characters"] == 2


def test_clean_document_has_empty_log() -> None:
    (out,) = RepairStage().process(Document(text="Hello, world.", source="b.txt"))
    assert out.repairs == {} and out.meta == {"original_script": "und"}


def test_stage_pickles_after_use() -> None:
    stage = RepairStage(RepairOptions(script_target="zh-hant-tw"))
    list(stage.process(Document(text="软件里", source="c.txt")))  # builds the OpenCC converters
    clone = pickle.loads(pickle.dumps(stage))
    (out,) = clone.process(Document(text="软件里面", source="d.txt"))
    assert out.text == "軟件裡面"


def test_options_from_pipeline_toml() -> None:
    options = RepairOptions.from_table({"script_target": "keep", "stray_words": {}}, "repair")
    assert fix_and_explain("建設 and 目標", options) == ("建設 and 目標", {})
    with pytest.raises(ConfigError, match="script_target"):
        RepairOptions.from_table({"script_target": "zh-cn"}, "repair")


def test_ctk_fix_is_a_filter(tmp_path) -> None:
    damaged = "本报讯(记者 杨文)&#24314;设 and 发展\n"
    file = tmp_path / "in.txt"
    file.write_text(damaged, encoding="utf-8")
    command = [sys.executable, "-m", "toolkit", "fix"]
    piped = subprocess.run(command, input=damaged.encode(), capture_output=True, check=True)
    named = subprocess.run([*command, str(file)], capture_output=True, check=True)
    assert piped.stdout.decode() == named.stdout.decode() == "本报讯（记者 杨文）建设和发展\n"
