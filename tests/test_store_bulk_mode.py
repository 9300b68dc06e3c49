"""A first `add` of many rows into an empty store file is written in rollback-journal mode (`_bulk_mode`: each page
once, not into the WAL and again at the checkpoint), then the store is in WAL mode again. What must hold: the same rows
as an add in WAL mode; WAL kept when another connection has the store open; a store opened while the batch runs waits
for it and is in WAL mode; a process killed in the middle of the batch leaves a sound store with nothing of the batch
and every decision made before it; a failing batch is rolled back and the store is in WAL mode again."""
import os, signal, subprocess, sys, textwrap, threading
import pandas as pd, pytest
import mlnews_nb.store as S
from mlnews_nb.core import to_items
from mlnews_nb.store import Store

_ROWS = 'SELECT source, key, kind, title, summary, version, decision, payload FROM items ORDER BY rowid'

def _items(n=120):
    recs = [dict(url=f'https://e.org/{i}', title=f'T {i}', summary=f'S {i} é' * (i % 5), authors=['A'],
                 extra={'i': i} if i % 2 else {}) for i in range(n)]
    return to_items(recs, source='s', kind='post')

def _mode(st): return st.db.execute('PRAGMA journal_mode').fetchone()[0]

def test_a_bulk_first_add_writes_the_rows_a_wal_add_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(S, '_BULK', 100)
    seen = []
    real = S._add
    monkeypatch.setattr(S, '_add', lambda st, items: (seen.append(_mode(st)), real(st, items))[1])
    items = _items()
    a = Store(tmp_path/'a.sqlite'); ra = a.add(items)
    assert seen == ['delete'] and _mode(a) == 'wal' and ra.new == len(items)
    b = Store(tmp_path/'b.sqlite'); b.add(items.head(10)); rb = b.add(items)    # not empty: WAL
    assert seen[1:] == ['wal', 'wal'] and rb.new == len(items) - 10
    assert a.db.execute(_ROWS).fetchall() == b.db.execute(_ROWS).fetchall()
    r2 = a.add(items)       # the next add of the same rows: WAL (the store is not empty), all unchanged
    assert seen[-1] == 'wal' and r2.unchanged == len(items)
    small = Store(tmp_path/'c.sqlite'); small.add(items.head(50))     # under _BULK: WAL
    assert seen[-1] == 'wal'
    assert not list(tmp_path.glob('*-journal'))

def test_wal_is_kept_when_another_connection_has_the_store_open(tmp_path, monkeypatch):
    monkeypatch.setattr(S, '_BULK', 100)
    seen = []; real = S._add
    monkeypatch.setattr(S, '_add', lambda st, items: (seen.append(_mode(st)), real(st, items))[1])
    a = Store(tmp_path/'s.sqlite'); other = Store(tmp_path/'s.sqlite')
    assert a.add(_items()).new == 120 and seen == ['wal'] and len(other.items()) == 120

def test_a_store_opened_during_the_batch_waits_for_it(tmp_path, monkeypatch):
    monkeypatch.setattr(S, '_BULK', 100)
    inside, go = threading.Event(), threading.Event()
    real = S._rows
    def slow(cols, n, extra):
        for i, r in enumerate(real(cols, n, extra)):
            if i == 50: inside.set(); go.wait(10)
            yield r
    monkeypatch.setattr(S, '_rows', slow)
    a = Store(tmp_path/'s.sqlite'); out = {}
    t = threading.Thread(target=lambda: out.setdefault('r', a.add(_items()))); t.start()
    assert inside.wait(10) and _mode(a) == 'delete'
    opened = {}
    def open_b():
        try: opened['st'] = Store(tmp_path/'s.sqlite', timeout=10)
        except Exception as e: opened['err'] = e
    u = threading.Thread(target=open_b); u.start()
    u.join(0.3); assert u.is_alive(), 'the second open should wait for the batch'
    go.set(); t.join(10); u.join(10)
    assert 'err' not in opened and out['r'].new == 120
    b = opened['st']
    assert _mode(a) == 'wal' and _mode(b) == 'wal' and len(b.items()) == 120
    b.decide(b.items().key.iloc[0], state='saved'); assert len(a.items(state='saved')) == 1

def test_a_failing_batch_is_rolled_back_and_wal_comes_back(tmp_path, monkeypatch):
    monkeypatch.setattr(S, '_BULK', 100)
    real = S._rows
    def cut(cols, n, extra):
        for i, r in enumerate(real(cols, n, extra)):
            if i == 60: raise RuntimeError('cut short')
            yield r
    monkeypatch.setattr(S, '_rows', cut)
    a = Store(tmp_path/'s.sqlite')
    with pytest.raises(RuntimeError, match='cut short'): a.add(_items())
    assert _mode(a) == 'wal' and a.db.execute('SELECT count(*) FROM items').fetchone()[0] == 0

def test_a_process_killed_in_the_batch_leaves_a_sound_store(tmp_path):
    p = tmp_path/'s.sqlite'
    st = Store(p); st.decide('kept', state='saved'); st.close()
    code = textwrap.dedent(f'''
        import os, signal, sys
        sys.path.insert(0, {os.path.dirname(__file__)!r})
        import mlnews_nb.store as S
        from test_store_bulk_mode import _items
        S._BULK = 100
        real = S._rows
        def die(cols, n, extra):
            for i, r in enumerate(real(cols, n, extra)):
                if i == 2000: os.kill(os.getpid(), signal.SIGKILL)
                yield r
        S._rows = die; S._CHUNK = 500
        st = S.Store({str(p)!r})
        st.add(_items(5000))
    ''')
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)
    assert r.returncode == -signal.SIGKILL, r.stderr
    assert (tmp_path/'s.sqlite-journal').exists(), 'the batch was cut short in rollback-journal mode'
    st = Store(p)         # the hot journal is rolled back; checked; WAL again
    assert _mode(st) == 'wal' and st.db.execute('PRAGMA integrity_check').fetchone()[0] == 'ok'
    assert len(st.items()) == 0 and st.decisions().key.tolist() == ['kept']
    assert st.add(_items(30)).new == 30
