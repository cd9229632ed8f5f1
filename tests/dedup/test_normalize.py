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
