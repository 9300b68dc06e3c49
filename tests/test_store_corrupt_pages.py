"""A store whose first page is sound but whose later pages are damaged is refused on open with a `StoreError`.

The damage is hand-made (random bytes written over the middle of a real store file): no capture holds a corrupt store.
SQLite's `PRAGMA quick_check` reports such pages as a row of text rather than an exception; before the check read that
row, the store opened and the first read failed with a bare `sqlite3.DatabaseError`.
"""
import os, random
import pytest
from mlnews_nb.core import StoreError, to_items
from mlnews_nb.store import Store

def _store(path, n=3000):
    st = Store(path)
    st.add(to_items([dict(title=f'paper {i} ' + 'x' * 500, url=f'https://example.org/{i}') for i in range(n)], source='t'))
    st.close()

def test_damaged_pages_are_refused_on_open(tmp_path):
    p = tmp_path / 'store.db'; _store(p)
    size = p.stat().st_size
    with open(p, 'r+b') as f: f.seek(size // 2); f.write(random.Random(0).randbytes(65536))
    with pytest.raises(StoreError, match='not a readable store.*quick_check'): Store(p)

def test_a_sound_store_opens_again(tmp_path):
    p = tmp_path / 'store.db'; _store(p)
    st = Store(p); assert len(st.items()) == 3000; st.close()
