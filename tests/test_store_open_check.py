"""Stop 24: `Store()` runs SQLite's quick check (every page read: ~0.1 s for 70 MB, growing with the store) only on a
file this process has not seen as it is now: a store it checked, or wrote and closed itself, opens again without one.
Any change by another hand (size, modification time, inode of the file or of its WAL) checks it again, and a damaged
store is refused as before. The stores are small and made here; the damage is done by hand (a cut, garbage pages)."""
import os, sqlite3
import pandas as pd, pytest
import mlnews_nb.store as S
from mlnews_nb.core import to_items, StoreError
from mlnews_nb.store import Store

def _store(p):
    with Store(p) as st:
        st.add(to_items([dict(url=f'https://e.org/{i}', title=f'T {i}', summary='x' * 2000) for i in range(300)],
                        source='s', kind='post'))

@pytest.fixture
def checks(monkeypatch):
    n = []; real = S._quick_check
    monkeypatch.setattr(S, '_quick_check', lambda db: (n.append(1), real(db)))
    return n

def test_a_store_this_process_closed_opens_without_a_check(tmp_path, checks):
    p = tmp_path/'s.sqlite'; _store(p)
    assert len(checks) == 0                    # a new file: nothing to check
    with Store(p) as st: assert len(st.items()) == 300
    with Store(p): pass
    assert len(checks) == 0
    S._SOUND.pop(str(p))                       # another process: it has not seen the file
    with Store(p): pass
    assert len(checks) == 1

def test_a_change_by_another_hand_checks_again(tmp_path, checks):
    p = tmp_path/'s.sqlite'; _store(p)
    db = sqlite3.connect(p); db.execute("INSERT INTO state VALUES ('n', 'k', '1', '')"); db.commit(); db.close()
    with Store(p) as st: assert st.get_state('n', 'k') == 1
    assert len(checks) == 1

def test_a_cut_store_is_refused(tmp_path):
    p = tmp_path/'s.sqlite'; _store(p)
    raw = p.read_bytes(); p.write_bytes(raw[:len(raw) // 3])
    with pytest.raises(StoreError, match='corrupt or truncated'): Store(p)

def test_garbage_pages_of_the_same_size_are_checked(tmp_path, checks):
    "(what the check then says is main's business: it refuses a page SQLite cannot read, as before)"
    p = tmp_path/'s.sqlite'; _store(p)
    st = os.stat(p); raw = bytearray(p.read_bytes()); ps = int.from_bytes(raw[16:18], 'big')
    raw[ps:] = os.urandom(len(raw) - ps)   # every page but the first
    p.write_bytes(bytes(raw))
    # the same size; a modification time one second later (what a later writer leaves, whatever the clock's tick)
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    try: Store(p).close()
    except StoreError: pass
    assert len(checks) == 1
