"""Schema 4 keys the items by `(key, source)` (one index serves the upsert and every lookup by key) and drops the columns
schema 3 emptied. A store written by schema 3 opens as schema 4 without loss: the same frames, decisions, rowids and store
order. The schema 3 store is written here as schema 3's `add` wrote it (hand-written SQL, so that this test keeps working
after that code is gone); the items are captured feeds (tests/data) plus hand-made rows that share a key across sources."""
import sqlite3
from pathlib import Path
import pandas as pd
import mlnews_nb.store as S
from mlnews_nb.core import to_items, ITEM_COLS
from mlnews_nb.feeds import parse_feed
from mlnews_nb.store import Store, SCHEMA_VERSION

DATA = Path(__file__).parent/'data'

def _items() -> pd.DataFrame:
    feeds = [DATA/f for f in ('feeds/hostile.rss', 'feeds/rss10.rdf', 'social/mastodon_user.rss', 'works/reddit_carla.atom',
                              'works/newsletter_412.atom')]
    got = [parse_feed(f.read_bytes(), source=f.stem[:20], kind='post') for f in feeds]
    # the same paper from two sources whose names sort the other way round from the order they were added in
    same = [to_items([dict(arxiv_id='2401.00001', title=f'Seen by {s}', summary=s)], source=s, kind='paper')
            for s in ('zeta', 'alpha')]
    return pd.concat([*got, *same], ignore_index=True)

def _v3_store(path, items, now='2024-02-01T00:00:00+00:00'):
    "A store file as schema 3 wrote it: `(source, key)` primary key, the `items_key` index, the emptied columns"
    con = sqlite3.connect(path); con.execute('PRAGMA journal_mode=WAL')   # as every store is
    for s in S._SCHEMA_V1.split(';'):
        if s.strip(): con.execute(s)
    S.MIGRATIONS[1](con); S.MIGRATIONS[2](con)
    names, marks, rows = S._to_rows(items)
    con.executemany(f"INSERT INTO items ({', '.join(names)}, first_seen, last_seen) VALUES ({', '.join(marks)}, ?, ?)",
                    [(*r, now, now) for r in rows])
    con.execute('PRAGMA user_version=3'); con.commit(); con.close()

def test_a_version_3_store_is_upgraded_without_loss(tmp_path):
    items = _items(); p = tmp_path/'v3.sqlite'
    _v3_store(p, items)
    old = sqlite3.connect(p)
    rowids = old.execute('SELECT rowid, source, key FROM items ORDER BY rowid').fetchall()
    assert 'items_key' in {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    old.close()
    with Store(p) as st:
        assert st.db.execute('PRAGMA user_version').fetchone()[0] == SCHEMA_VERSION == 4
        assert st.db.execute('SELECT rowid, source, key FROM items ORDER BY rowid').fetchall() == rowids
        cols = [r[1] for r in st.db.execute('PRAGMA table_info(items)')]
        assert cols == list(S._ITEMS_V4)
        pk = sorted((r[5], r[1]) for r in st.db.execute('PRAGMA table_info(items)') if r[5])
        assert pk == [(1, 'key'), (2, 'source')]
        idx = {r[0] for r in st.db.execute("SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='items'")}
        assert 'items_key' not in idx and len(idx) == 1, idx
        back = st.items().set_index(['source', 'key']).loc[list(zip(items.source, items.key))].reset_index()[ITEM_COLS]
        pd.testing.assert_frame_equal(back, items[ITEM_COLS].reset_index(drop=True), check_exact=True)
        r = st.add(items)                               # nothing new, nothing changed
        assert (r.new, r.updated, r.unchanged) == (0, 0, len(items))
        assert st.db.execute('PRAGMA freelist_count').fetchone()[0] == 0   # the old table's pages given back

def test_an_upgrade_with_a_reader_open(tmp_path):
    "Another connection reading the store while it is upgraded keeps its snapshot; the store opens upgraded, compacted"
    items = _items(); p = tmp_path/'v3.sqlite'
    _v3_store(p, items)
    other = sqlite3.connect(p); other.execute('BEGIN'); n = other.execute('SELECT count(*) FROM items').fetchone()[0]
    try:
        with Store(p, timeout=0.5) as st:
            assert st.db.execute('PRAGMA user_version').fetchone()[0] == 4 and len(st.items()) == len(items) == n
            assert st.db.execute('PRAGMA freelist_count').fetchone()[0] == 0
        assert other.execute("SELECT count(*) FROM items WHERE url IS NULL").fetchone()[0] == n   # its v3 snapshot
    finally: other.close()

def test_a_keys_rows_come_in_store_order(tmp_path):
    "The key index lists a key's rows by source; reads by key and the decided rows keep the order they were added in"
    items = _items()
    with Store(tmp_path/'s.sqlite') as st:
        st.add(items)      # zeta's row first, then alpha's: the same time, so newest first keeps the store order
        k = 'arxiv:2401.00001'
        assert st.items(keys=[k]).source.tolist() == ['zeta', 'alpha']
        assert st.items().query('key == @k').source.tolist() == ['zeta', 'alpha']
        st.mark(k, 'saved')
        assert st.decided().source.tolist() == ['zeta', 'alpha']
        # and through the index, not a scan of every item
        plan = ' '.join(r[-1] for r in st.db.execute('EXPLAIN QUERY PLAN SELECT key FROM items WHERE key = ?', (k,)))
        assert 'USING' in plan and '(key=?)' in plan, plan

def test_an_upsert_still_matches_on_source_and_key(tmp_path):
    items = _items()
    with Store(tmp_path/'s.sqlite') as st:
        st.add(items)
        again = items.copy(); again.loc[again.index[-1], 'title'] = 'A new title'
        r = st.add(again)
        assert (r.new, r.updated) == (0, 1)
        assert st.items(keys=['arxiv:2401.00001']).title.tolist() == ['Seen by zeta', 'A new title']
