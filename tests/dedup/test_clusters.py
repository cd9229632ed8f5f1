import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from toolkit.dedup.clusters import cluster_keepers, connected_components, keepers, pairs_sharing_a_key
from toolkit.dedup.keep import preferences


def naive_components(count, pairs):
    labels = list(range(count))
    changed = True
    while changed:
        changed = False
        for a, b in pairs:
            low = min(labels[a], labels[b])
            if labels[a] != low or labels[b] != low:
                labels[a] = labels[b] = low
                changed = True
    return labels


@given(
    st.integers(1, 40).flatmap(
        lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))))
    )
)
def test_components_match_a_naive_flood_fill(case):
    count, pairs = case
    first = np.array([a for a, _ in pairs], dtype=np.int64)
    second = np.array([b for _, b in pairs], dtype=np.int64)
    assert connected_components(count, first, second).tolist() == naive_components(count, pairs)


@given(
    st.integers(1, 40).flatmap(
        lambda n: st.tuples(
            st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))),
            st.lists(st.integers(0, 3), min_size=n, max_size=n),
        )
    )
)
def test_each_document_keeps_the_preferred_then_earliest_of_its_naive_component(case):
    pairs, lengths = case
    first = np.array([a for a, _ in pairs], dtype=np.int64)
    second = np.array([b for _, b in pairs], dtype=np.int64)
    labels = naive_components(len(lengths), pairs)
    expected = [
        min((i for i in range(len(labels)) if labels[i] == label), key=lambda i: (-lengths[i], i)) for label in labels
    ]
    assert cluster_keepers(len(lengths), first, second, [-np.array(lengths)]).tolist() == expected


@given(st.lists(st.integers(0, 5), max_size=30))
def test_pairs_link_every_document_to_the_first_with_its_key(keys):
    first, other = pairs_sharing_a_key(np.array(keys), np.arange(len(keys)))
    expected = sorted((keys.index(k), i) for i, k in enumerate(keys) if keys.index(k) != i)
    assert sorted(zip(first.tolist(), other.tolist(), strict=True)) == expected


def test_keep_policies_and_their_tie_breaks():
    labels = np.array([0, 0, 0, 3])
    lengths = np.array([10, 30, 30, 5])
    qualities = np.array([0.9, 0.5, 0.8, 1.0])

    def keep(policy):
        return keepers(labels, preferences(policy, lengths=lengths, qualities=qualities)).tolist()

    assert keep("longest") == [1, 1, 1, 3]  # a tie in length goes to the earlier
    assert keep("earliest") == [0, 0, 0, 3]
    assert keep("quality") == [0, 0, 0, 3]
