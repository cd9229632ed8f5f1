import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from toolkit.dedup.buckets import band_candidates, decode_pairs, signatures_agree
from toolkit.dedup.clusters import pairs_sharing_a_key
from toolkit.dedup.minhash import estimated_similarity

band_keys_and_documents = st.integers(1, 30).flatmap(
    lambda count: st.tuples(
        arrays(np.uint64, (count, 3), elements=st.integers(0, 4)),  # few values: buckets of several documents
        st.lists(st.booleans(), min_size=count, max_size=count).map(lambda taking: np.flatnonzero(taking)),
    )
)


@given(band_keys_and_documents)
def test_band_candidates_are_the_pairs_sharing_a_key_of_the_band(case):
    keys, documents = case
    for band in range(keys.shape[1]):
        first, other = decode_pairs(band_candidates((keys, documents), band), count=len(keys))
        expected_first, expected_other = pairs_sharing_a_key(keys[documents, band], documents)
        assert sorted(zip(first.tolist(), other.tolist(), strict=True)) == sorted(
            zip(expected_first.tolist(), expected_other.tolist(), strict=True)
        )


@given(band_keys_and_documents)
def test_candidate_codes_are_sorted_without_repeats(case):
    keys, documents = case
    codes = band_candidates((keys, documents), 0)
    assert codes.dtype == np.uint64 and np.all(codes[1:] > codes[:-1])


@given(
    arrays(np.uint32, (12, 8), elements=st.integers(0, 2)),
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=20),
    st.integers(0, 20),
    st.sampled_from([0.25, 0.5, 0.6, 1.0]),
)
def test_signatures_agree_where_the_estimated_similarity_reaches_the_threshold(signatures, pairs, start, threshold):
    first = np.array([a for a, _ in pairs], dtype=np.int64)
    other = np.array([b for _, b in pairs], dtype=np.int64)
    part = slice(start, start + 5)
    expected = estimated_similarity(signatures, first[part], other[part]) >= threshold
    assert signatures_agree((signatures, first, other), part, threshold=threshold).tolist() == expected.tolist()
