import random
import re

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from toolkit.dedup.minhash import band_keys, estimated_similarity, minhash_signatures
from toolkit.dedup.normalize import normalize_for_hashing
from toolkit.dedup.shingles import LINE_BREAK, character_units, shingle_hashes

PARAGRAPHS = st.lists(
    st.text(alphabet=st.sampled_from(list("黄河流域生态保护高质量发展的")), min_size=6, max_size=30),
    min_size=1,
    max_size=6,
)


def shingles(text: str, char_ngram: int = 4, word_ngram: int = 3) -> set[int]:
    return set(shingle_hashes(normalize_for_hashing(text), char_ngram=char_ngram, word_ngram=word_ngram).tolist())


@given(PARAGRAPHS, st.randoms())
def test_paragraph_order_does_not_change_the_shingles(paragraphs, rng):
    shuffled = paragraphs[:]
    rng.shuffle(shuffled)
    assert shingles("\n".join(paragraphs)) == shingles("\n".join(shuffled))


@given(st.text(alphabet=st.sampled_from(list("黄河流域生态保护")), min_size=0, max_size=40), st.integers(1, 6))
def test_one_character_shingle_per_window(text, n):
    assert len(shingle_hashes(text, char_ngram=n, word_ngram=3)) == max(0, len(text) - n + 1)


def test_chinese_is_shingled_by_characters_and_english_by_words():
    assert len(shingle_hashes("黄河流域生态保护", char_ngram=4, word_ngram=3)) == 5
    english = "the yellow river flows east to the sea"  # 8 words
    assert len(shingle_hashes(english, char_ngram=4, word_ngram=3)) == 6
    assert shingles("The Yellow River, flows east") == shingles("the yellow river flows  east.")


def test_shingles_do_not_cross_lines():
    assert shingles("黄河流\n域生态") == set()


def test_similar_documents_get_similar_signatures(real_texts):
    text = real_texts[0]
    rng = random.Random(0)
    edited = "".join(ch if rng.random() > 0.03 else "的" for ch in text)
    unrelated = real_texts[1]
    sets = [shingles(t) for t in (text, edited, unrelated)]
    signatures = minhash_signatures([np.array(sorted(s), dtype=np.uint64) for s in sets], num_perm=128)
    estimates = estimated_similarity(signatures, np.array([0, 0]), np.array([1, 2]))
    jaccard = len(sets[0] & sets[1]) / len(sets[0] | sets[1])
    assert abs(estimates[0] - jaccard) < 0.15
    assert estimates[1] < 0.2
    keys = band_keys(signatures, bands=32)
    assert (keys[0] == keys[1]).any() and not (keys[0] == keys[2]).any()


ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)


@given(ANY_TEXT | st.text(alphabet="黄河 ab_1，。\n\u3000", max_size=40))
def test_character_units_are_the_letters_and_digits_a_regex_finds(text):
    kept = re.sub(r"[^\w\n]+|_+", "", text)
    expected = [LINE_BREAK if ch == "\n" else ord(ch) for ch in kept]
    assert character_units(text).tolist() == expected
    assert character_units(text).dtype == np.uint64
