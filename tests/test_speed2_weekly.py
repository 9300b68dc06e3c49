"""weekly stores a week's items once: the default fetch (`fetch_all(store=store)`) has stored them, and weekly does not
add them a second time (a second add re-reads and compares every row: seconds on a real week); a caller's own `fetch`
still has its items stored by weekly. Real capture (a blog feed) served over loopback."""
import pandas as pd
from mlnews_nb.registry import Source
from mlnews_nb.store import Store
from mlnews_nb.digest import weekly

LIL = 'blog_feeds/lilianweng_index_2026.xml'

def _spy(st):
    calls = []
    add = st.add
    def counted(items, *a, **k): calls.append(len(items)); return add(items, *a, **k)
    st.add = counted
    return calls

def test_default_fetch_stores_the_week_once(fix, server, tmp_path):
    server.add('/lil.xml', fix/LIL)
    with Store(tmp_path/'s.sqlite') as st:
        calls = _spy(st)
        d, h = weekly(st, sources=[Source('lil', url=server.url('/lil.xml'))], since='all', out_dir=tmp_path/'out')
        assert h.status.tolist() == ['ok'] and h['items'][0] > 0
        assert calls == [h['items'][0]]                                # one add, of every fetched item
        assert len(st.items(source='lil')) == h['items'][0]                  # and every one of them is in the store

def test_callers_fetch_is_still_stored(fix, server, tmp_path):
    from mlnews_nb.feeds import parse_feed
    items = parse_feed((fix/LIL).read_bytes(), source='lil')
    health = pd.DataFrame([dict(source='lil', status='ok', items=len(items), message='')])
    with Store(tmp_path/'s.sqlite') as st:
        calls = _spy(st)
        weekly(st, fetch=lambda **kw: (items, health), since='all', out_dir=tmp_path/'out')
        assert calls == [len(items)] and sorted(st.items().key) == sorted(items.key)
