"""The store answers a question about any number of keys without reading the whole store (what_is_new asks about a week's
members: thousands of keys). Items are generated (hand-made records) because the point is the count, not the content."""
from mlnews_nb.core import to_items
from mlnews_nb.store import Store

def test_items_by_many_keys(tmp_path):
    items = to_items([dict(title=f'Paper {i}', url=f'https://example.org/p/{i}', published=f'2024-01-{1 + i % 28:02d}') for i in range(5000)],
                     source='x', kind='paper')
    with Store(tmp_path/'s.sqlite') as st:
        st.add(items)
        want = items.key.iloc[::2].tolist() + ['not-a-key']          # 2,500 keys: over SQLite's old 999-parameter limit
        got = st.items(keys=want)
        assert sorted(got.key) == sorted(want[:-1]) and got.published.is_monotonic_decreasing
        assert len(st.items(keys=[])) == 0 and st.items(keys=[want[0]]).key.tolist() == [want[0]]
        assert sorted(st.items(keys=want[:3], source='x').key) == sorted(want[:3]) and len(st.items(keys=want[:3], source='y')) == 0
