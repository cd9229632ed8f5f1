import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.dedup.exact import exact_key
from toolkit.dedup.normalize import fold_script, normalize_for_hashing

HAN_TEXT = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=40)
MIXED_TEXT = st.text(
    alphabet=st.sampled_from(list("国務院發布条例abcXYZ019 ，。、“”《》（）!?,.\n\u3000　ＡＢ１")), max_size=60
)


@given(MIXED_TEXT)
def test_normalising_twice_changes_nothing(text):
    once = normalize_for_hashing(text)
    assert normalize_for_hashing(once) == once


@given(MIXED_TEXT)
def test_lines_are_kept_one_for_one(text):
    assert normalize_for_hashing(text).count("\n") == text.count("\n")


@given(HAN_TEXT, st.data())
def test_spaces_inside_chinese_do_not_count(text, data):
    spaced = "".join(ch + data.draw(st.sampled_from(["", " ", "  ", "\u3000"])) for ch in text)
    assert normalize_for_hashing(spaced) == normalize_for_hashing(text)


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30))
def test_full_width_ascii_folds_to_ascii(text):
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in text)
    assert normalize_for_hashing(full_width) == normalize_for_hashing(text)


def test_chinese_punctuation_folds_to_its_ascii_width():
    assert normalize_for_hashing("他说：“好。”（完）") == normalize_for_hashing('他说:"好."(完)')


def test_words_of_spaced_scripts_stay_apart():
    assert normalize_for_hashing("The  Yellow\tRiver ,flows") == "the yellow river,flows"


def test_traditional_and_simplified_copies_of_real_articles_hash_alike(zh_hant_texts):
    for text in zh_hant_texts[:40]:
        simplified = fold_script(text)
        assert simplified != text
        assert exact_key(normalize_for_hashing(simplified)) == exact_key(normalize_for_hashing(text))


def test_folding_gives_what_opencc_gives_on_real_simplified_and_traditional_text(real_texts):
    from toolkit.text import opencc_converter

    t2s = opencc_converter("t2s")
    for text in real_texts[:300]:
        assert fold_script(text) == t2s.convert(t2s.convert(text))


@pytest.mark.parametrize("phrase", ["意志消沈", "回覆", "衹見樹木不見森林", "英哩"])
def test_a_character_changed_only_inside_a_phrase_is_folded_there_and_only_there(phrase):
    from toolkit.text import opencc_converter

    simplified = opencc_converter("t2s").convert(phrase)
    assert fold_script(f"他说什么？{phrase}。") == f"他说什么？{simplified}。"
    assert fold_script("什么都覆盖了，沈先生") == "什么都覆盖了，沈先生"


def test_characters_changed_only_in_phrases_are_those_of_the_installed_opencc(tmp_path):
    """may_change_script must see every character t2s can change; those it changes only inside a phrase
    come from TSPhrases, dumped with OpenCC's own opencc_dict tool (shipped with the official binding)."""
    import shutil
    import subprocess
    from pathlib import Path

    import opencc

    from toolkit.dedup.normalize import CHANGED_ONLY_IN_PHRASES, LONGEST_PHRASE, may_change_script

    package = Path(opencc.__file__).parent / "clib"
    tool = shutil.which("opencc_dict", path=str(package / "bin"))
    dictionary = package / "share" / "opencc" / "TSPhrases.ocd2"
    if tool is None or not dictionary.exists():
        pytest.skip("OpenCC's opencc_dict tool or TSPhrases.ocd2 is not installed")
    dump = tmp_path / "TSPhrases.txt"
    environment = {"LD_LIBRARY_PATH": str(package / "lib64")}
    subprocess.run([tool, "-i", dictionary, "-o", dump, "-f", "ocd2", "-t", "text"], check=True, env=environment)
    missed, longest = set(), 0
    for line in dump.read_text(encoding="utf-8").splitlines():
        phrase, converted = line.split("\t")[0], line.split("\t")[1].split(" ")[0]
        if phrase != converted and set(phrase) & set(CHANGED_ONLY_IN_PHRASES):
            longest = max(longest, len(phrase))
        changed = [ch for ch, out in zip(phrase, converted, strict=False) if ch != out] or list(phrase)
        if phrase != converted and not any(may_change_script(ch) for ch in changed):
            missed.add(changed[0])
    assert not missed, f"add {''.join(sorted(missed))} to CHANGED_ONLY_IN_PHRASES"
    assert all(may_change_script(ch) for ch in CHANGED_ONLY_IN_PHRASES)
    assert longest <= LONGEST_PHRASE


def test_t2s_changes_no_character_outside_the_han_ranges():
    from toolkit.text import is_han, opencc_converter

    others = [chr(code) for code in range(0x80, 0x40000) if not 0xD800 <= code < 0xE000 and not is_han(chr(code))]
    converted = opencc_converter("t2s").convert("\n".join(others)).split("\n")
    assert [ch for ch, out in zip(others, converted, strict=True) if ch != out] == []
