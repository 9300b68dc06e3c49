"""`items` reads the triage columns apart from the items (the whole triage table once, matched to the items by key) where
it used to LEFT JOIN them; `add` writes a text every row of a batch shares (source, kind) into its INSERT as a literal.
What comes back must be what the join gave and what was written, whatever the triage rows are (a decision on a key two
sources share, a triage row still 'new', a note alone, none at all), inside a batch and out, with and without pyarrow.
The expected triage values are read here from the triage table by plain SQL, one key at a time. Items are hand-made
records (the point is the edge cases: a key two sources share, quotes in a source name)."""
import json, sqlite3
import numpy as np, pandas as pd, pytest
import mlnews_nb.store as S
from mlnews_nb.core import to_items, ITEM_COLS
from mlnews_nb.store import Store

def _items(source='hand'):
    recs = [dict(arxiv_id=f'2401.{i:05d}', version=1, title=f'Paper {i}', summary=f'abstract {i}',
                 published=f'2024-01-{1 + i % 28:02d}T00:00:00Z') for i in range(40)]
    return to_items(recs, source=source, kind='paper')

def _expected(st, keys) -> dict[str, list]:
    "The triage of each key as the old LEFT JOIN gave it: its triage row, or 'new' and nothing else without one"
    rows = []
    for k in keys:
        r = st.db.execute('SELECT state, note, tags, rating, state_at FROM triage WHERE key = ?', (k,)).fetchone()
        rows.append(r or ('new', None, None, None, None))
    return dict(zip(['state', 'note', 'tags', 'rating', 'state_at'], map(list, zip(*rows))))

def _check(st, df):
    exp = _expected(st, df.key)
    assert df.state.tolist() == exp['state']
    assert [None if pd.isna(x) else x for x in df.note] == exp['note']
    assert df.tags.tolist() == [[] if t is None else json.loads(t) for t in exp['tags']]
    assert [None if pd.isna(x) else int(x) for x in df.rating] == exp['rating']
    assert [None if pd.isna(x) else x for x in df.state_at] == [None if x is None else pd.Timestamp(x)
                                                               for x in exp['state_at']]

@pytest.fixture(params=[True, False], ids=['arrow', 'no-arrow'])
def arrow(request, monkeypatch):
    if not request.param: monkeypatch.setattr(S, '_arrow', lambda: None)
    return request.param

def _store(tmp_path):
    st = Store(tmp_path/'s.sqlite')
    a, b = _items('hand'), _items('other')       # the same keys from two sources: a decision is about the key
    st.add(a); st.add(b.iloc[:20])
    st.mark(a.key[:5].tolist(), 'saved'); st.mark(a.key[5:8].tolist(), 'skipped')
    st.decide(a.key[10], note='a note only')        # a triage row whose state is still 'new'
    st.decide(a.key[11], tags=['t2', 't1'], rating=4)
    st.decide(a.key[12], state='read', note='n', tags=['x'], rating=1)
    return st, a

def test_every_item_carries_its_own_triage(tmp_path, arrow):
    st, a = _store(tmp_path)
    df = st.items()
    assert len(df) == 60 and (df.state != 'new').sum() == 2 * 9 + 0   # keys 0-8 and 12, both sources (keys < 20)
    _check(st, df)
    both = df[df.key == a.key[0]]
    assert sorted(both.source) == ['hand', 'other'] and set(both.state) == {'saved'}

def test_the_state_filter_and_the_other_filters_read_the_same_triage(tmp_path, arrow):
    st, a = _store(tmp_path)
    for df, n in ((st.items(state='saved'), 10), (st.items(state=['new']), 60 - 18), (st.items(state=['read', 'skipped']), 8),
                  (st.items(source='other'), 20), (st.items(keys=a.key[8:14].tolist()), 12), (st.items(kind='paper'), 60)):
        assert len(df) == n
        _check(st, df)
    assert set(st.items(state='new').key) >= {a.key[10], a.key[11]}      # triage rows still 'new' are 'new'

def test_no_triage_at_all_and_no_rows(tmp_path, arrow):
    with Store(tmp_path/'s.sqlite') as st:
        assert st.items().empty
        st.add(_items())
        df = st.items()
        _check(st, df)
        assert set(df.state) == {'new'} and df.note.isna().all() and df.rating.isna().all()
        assert st.items(keys=['none']).empty

def test_a_read_inside_a_batch_sees_the_batch(tmp_path, arrow):
    with Store(tmp_path/'s.sqlite') as st:
        a = _items()
        with st.batch():
            st.add(a.iloc[:10]); st.mark(a.key[0], 'saved')
            df = st.items()                          # the open write transaction, not a read snapshot of its own
            assert len(df) == 10 and df.set_index('key').state[a.key[0]] == 'saved'
            _check(st, df)
        assert len(st.items()) == 10

def test_a_read_is_one_snapshot(tmp_path):
    "The items and their triage come from one read transaction: another connection's commit in between is not seen"
    p = tmp_path/'s.sqlite'
    with Store(p) as st:
        a = _items(); st.add(a)
        seen = []
        real = S._triage
        def between(db, keys):
            other = sqlite3.connect(p, timeout=1)
            other.execute("INSERT INTO triage(key, state) VALUES (?, 'saved')", (a.key[0],)); other.commit()
            seen.append(other.execute('SELECT count(*) FROM triage').fetchone()[0]); other.close()
            return real(db, keys)
        S._triage = between
        try: df = st.items()
        finally: S._triage = real
        assert seen == [1] and set(df.state) == {'new'}       # committed by the other connection after the items read
        assert st.items().set_index('key').state[a.key[0]] == 'saved'

@pytest.mark.parametrize('source', ["it's", "o''neil", 'ünï "q"', "x'); DROP TABLE items; --"])
def test_a_shared_source_written_as_a_literal_round_trips(tmp_path, source, arrow):
    with Store(tmp_path/'s.sqlite') as st:
        a = _items(source)
        r = st.add(a)
        assert r.new == 40
        back = st.items().set_index('key').loc[a.key, ITEM_COLS[1:]].reset_index()
        pd.testing.assert_frame_equal(back, a.reset_index(drop=True), check_exact=True)
        r = st.add(a.assign(title=a.title + '!'))
        assert (r.new, r.updated) == (0, 40) and set(r.changes.source) == {source}

def test_a_source_that_cannot_be_a_literal_is_bound(tmp_path):
    "A NUL cannot be in the statement's text: that batch binds its source as any other value"
    assert S._literal('a\x00b') is None and S._literal("it's") == "'it''s'"
    with Store(tmp_path/'s.sqlite') as st:
        a = _items(); a['source'] = pd.Series(['a\x00b'] * len(a), dtype=a.source.dtype)
        st.add(a)
        assert st.items().source.unique().tolist() == ['a\x00b']

def test_a_new_store_has_32k_pages_and_an_old_one_keeps_its_own(tmp_path, arrow):
    "A new file gets `_PAGE_SIZE` pages; a store written with SQLite's default 4 KB pages keeps them, and works"
    with Store(tmp_path/'new.sqlite') as st:
        assert st.db.execute('PRAGMA page_size').fetchone()[0] == S._PAGE_SIZE == 32768
        st.add(_items())
        assert len(st.items()) == 40 and st.db.execute('PRAGMA journal_mode').fetchone()[0] == 'wal'
    old = tmp_path/'old.sqlite'
    con = sqlite3.connect(old); con.execute('PRAGMA page_size=4096'); con.execute('PRAGMA journal_mode=WAL'); con.close()
    with Store(old) as st:                       # an empty file in WAL mode: its page size is fixed already
        st.add(_items()); st.mark(_items().key[0], 'saved')
    with Store(old) as st:
        assert st.db.execute('PRAGMA page_size').fetchone()[0] == 4096
        df = st.items()
        assert len(df) == 40 and (df.state == 'saved').sum() == 1
        _check(st, df)
