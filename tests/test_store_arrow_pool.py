"""`add` and the reads (`items`, `decided`) do their Arrow work with jemalloc as pyarrow's default memory pool
(`_arrow_pool`), and give the default back as it was: the same rows written and the same frames read as with the pool
pyarrow had; the pool before is back after every call, after an error, and after calls from several threads at once."""
import threading
import pandas as pd, pytest
import mlnews_nb.store as S
from mlnews_nb.core import to_items
from mlnews_nb.store import Store

pa = pytest.importorskip('pyarrow')
_ROWS = 'SELECT source, key, kind, title, summary, version, decision, payload, change FROM items ORDER BY rowid'

def _items(n=300, v=''):
    recs = [dict(url=f'https://e.org/{i}', title=f'T {i}{v}', summary=f'Summary {i} é ✓' * (1 + i % 7),
                 authors=[f'A {i % 11}', 'B'], published=f'2024-0{1 + i % 9}-1{i % 10}T00:00:00Z', score=i % 5,
                 extra={'n': i, 'f': float('nan') if i % 13 == 0 else i / 3, 'l': [i, {'x': None}]} if i % 4 else {})
            for i in range(n)]
    return to_items(recs, source='s', kind='post')

def _use(st, items):
    st.add(items); st.mark(items.key.iloc[:5].tolist(), 'saved')
    again = items.iloc[::3].copy(); again['title'] = again['title'] + ' v2'; r = st.add(again)
    return r, st.items(), st.decided()

def test_the_pool_is_jemalloc_inside_and_the_old_one_after(tmp_path):
    if S._jemalloc() is None: pytest.skip('this pyarrow has no jemalloc pool')
    before = pa.default_memory_pool().backend_name
    with S._arrow_pool():
        assert pa.default_memory_pool().backend_name == 'jemalloc'
        with S._arrow_pool(): assert pa.default_memory_pool().backend_name == 'jemalloc'
        assert pa.default_memory_pool().backend_name == 'jemalloc'
    assert pa.default_memory_pool().backend_name == before and S._POOL == [0, None]
    with pytest.raises(ZeroDivisionError):
        with S._arrow_pool(): 1 / 0
    assert pa.default_memory_pool().backend_name == before and S._POOL == [0, None]

def test_the_same_rows_and_frames_with_and_without_the_pool(tmp_path, monkeypatch):
    items = _items()
    before = pa.default_memory_pool().backend_name
    ra, fa, da = _use(Store(tmp_path/'a.sqlite'), items)
    assert pa.default_memory_pool().backend_name == before
    with monkeypatch.context() as m:
        m.setattr(S, '_jemalloc', lambda: None)     # pyarrow's own default pool throughout
        b = Store(tmp_path/'b.sqlite'); rb, fb, db = _use(b, items)
    a = Store(tmp_path/'a.sqlite')
    assert a.db.execute(_ROWS).fetchall() == b.db.execute(_ROWS).fetchall()
    assert (ra.new, ra.updated, ra.unchanged) == (rb.new, rb.updated, rb.unchanged) == (0, len(items[::3]), 0)
    times = ['state_at', 'first_seen', 'last_seen', 'changed_at']   # two stores, two clocks
    pd.testing.assert_frame_equal(fa.drop(columns=times), fb.drop(columns=times), check_exact=True)
    pd.testing.assert_frame_equal(da.drop(columns=times), db.drop(columns=times), check_exact=True)
    assert len(fa) == len(items) and len(da) == 5

def test_threads_at_once_leave_the_pool_as_it_was(tmp_path):
    before = pa.default_memory_pool().backend_name
    st = Store(tmp_path/'s.sqlite'); st.add(_items(200))
    errors = []
    def work(i):
        try:
            for _ in range(3): st.add(_items(50, v=f' t{i}')); assert len(st.items()) == 200
        except Exception as e: errors.append(e)
    ts = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in ts: t.start()
    for t in ts: t.join()
    assert not errors and pa.default_memory_pool().backend_name == before and S._POOL == [0, None]
