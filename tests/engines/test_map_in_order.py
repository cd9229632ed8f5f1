from toolkit.engines import BATCHES_AHEAD, map_in_order


def square(n: int) -> int:
    return n * n


def test_results_come_in_input_order_whatever_the_workers():
    assert list(map_in_order(square, range(50), workers=2)) == [n * n for n in range(50)]
    assert list(map_in_order(square, range(50), workers=1)) == [n * n for n in range(50)]


def test_only_a_few_items_are_read_ahead():
    read = []

    def items():
        for n in range(1000):
            read.append(n)
            yield n

    results = map_in_order(square, items(), workers=2)
    assert next(results) == 0
    assert len(read) <= BATCHES_AHEAD * 2 + 2
