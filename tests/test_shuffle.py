from karuta.engine.shuffle import Drawer, shuffled


def test_same_seed_same_order_and_input_untouched():
    items = list(range(44))
    a, b = shuffled(items, 7), shuffled(items, 7)
    assert a == b
    assert sorted(a) == items
    assert items == list(range(44))


def test_different_seeds_give_different_orders():
    orders = {tuple(shuffled(range(44), seed)) for seed in range(20)}
    assert len(orders) == 20


def test_drawer_never_repeats_and_ends_with_none():
    d = Drawer(list("あいうえお"), seed=3)
    got = [d.draw() for _ in range(5)]
    assert sorted(got) == sorted("あいうえお")
    assert d.draw() is None
    assert d.remaining == 0
    assert d.drawn == got


def test_drawer_is_reproducible():
    a, b = Drawer(range(10), "class-3"), Drawer(range(10), "class-3")
    assert [a.draw() for _ in range(10)] == [b.draw() for _ in range(10)]
