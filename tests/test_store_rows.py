"""What `add` writes and `items` reads back is the item itself, for every kind of value a column can hold: missing text,
missing numbers and dates, empty lists, a list value holding the list separator, extra dicts, non-ASCII text. Items are
hand-made records (the point is the edge values, which the captures hold only by chance)."""
import numpy as np, pandas as pd, pytest
from mlnews_nb.core import to_items, ITEM_COLS, LIST_COLS
from mlnews_nb.store import Store, SEP, FS, NA, PAYLOAD_COLS

def _fields(st, key) -> dict:
    "The payload fields of `key` as stored (texts, `NA` for missing)"
    p = st.db.execute('SELECT payload FROM items WHERE key = ?', (key,)).fetchone()[0]
    assert p[0] == FS
    return dict(zip(PAYLOAD_COLS, p[1:].split(FS)))

def _set_field(st, key, col, text):
    "Write one payload field of `key` by hand (what a hand edit or an older writer could leave)"
    f = _fields(st, key); f[col] = text
    st.db.execute('UPDATE items SET payload = ? WHERE key = ?', (FS + FS.join(f[c] for c in PAYLOAD_COLS), key))

def _edge_items():
    recs = [dict(arxiv_id='2401.00001', version=2, title='Ünïcode — title', summary='abs', authors=['A', 'B'],
                 categories=['cs.LG'], published='2024-01-05T10:20:30.123456Z', score=7, extra={'stars': 3, 'k': [1, 2]}),
            dict(url='https://e.org/b', title='No dates, no lists'),
            dict(url='https://e.org/c', title='A separator inside a list value', keywords=['k'],
                 year=2023, comments=0, doi='10.48550/arXiv.2401.00003', venue='NeurIPS', decision='poster', summary_html='<p>h</p>'),
            dict(url='https://e.org/d', title='', summary='', authors=[], updated='2023-12-31T23:59:59Z')]
    items = to_items(recs, source='hand', kind='paper')
    items.at[2, 'authors'] = [f'x{SEP}y', 'z']        # to_items cleans control characters out; a frame made by hand may not
    return items

def test_missing_values_are_sql_nulls_never_blobs(tmp_path):
    items = _edge_items()
    with Store(tmp_path/'s.sqlite') as st:
        st.add(items)
        # the store never writes a blob: a missing value is NULL, whatever the add passed to SQLite to say so
        cols = [r[1] for r in st.db.execute('PRAGMA table_info(items)')]
        for c in cols:
            assert st.db.execute(f"SELECT count(*) FROM items WHERE typeof({c}) = 'blob'").fetchone()[0] == 0, c
        # the columns packed into the payload have no column of their own; in the payload a missing value is NA
        assert not set(PAYLOAD_COLS) & set(cols) and {'first_seen', 'last_seen', 'payload'} <= set(cols)
        f = _fields(st, 'arxiv:2401.00001')
        assert (f['url'], f['updated'], f['score'], f['authors'], f['extra']) == (NA, NA, '7', f'A{SEP}B', '{"stars": 3, "k": [1, 2]}')
        key = st.db.execute("SELECT key FROM items WHERE title = ''").fetchone()[0]
        assert [_fields(st, key)[c] for c in ('authors', 'keywords', 'links_to')] == [NA, NA, NA]
        assert st.db.execute("SELECT version, decision FROM items WHERE key = 'arxiv:2401.00001'").fetchone() == (2, None)

def test_items_read_back_as_written(tmp_path):
    items = _edge_items()
    with Store(tmp_path/'s.sqlite') as st:
        r = st.add(items)
        assert (r.new, r.updated, r.unchanged) == (4, 0, 0)
        back = st.items().set_index('key').loc[items.key, ITEM_COLS[1:]].reset_index()
    want = items.copy()
    # a separator inside a list value is stored as a space, as the store has always kept lists
    want['authors'] = [[v.replace(SEP, ' ') for v in x] for x in want.authors]
    pd.testing.assert_frame_equal(back[ITEM_COLS], want[ITEM_COLS].reset_index(drop=True), check_exact=True)

def test_add_counts_new_updated_unchanged_per_source(tmp_path):
    items = _edge_items()
    with Store(tmp_path/'s.sqlite') as st:
        st.add(items)
        other = items.assign(source='other')           # same keys from another source: new rows, not updates
        changed = items.assign(title=items.title + ' (v2)').iloc[:2]
        r = st.add(pd.concat([other, changed], ignore_index=True))
        assert (r.new, r.updated, r.unchanged) == (4, 2, 0)
        assert sorted(r.changes.key) == sorted(changed.key) and set(r.changes.change) == {'title changed'}
        r = st.add(items)
        assert (r.new, r.updated, r.unchanged) == (0, 2, 2)   # the two titles go back: a change again

def test_dates_in_other_forms_read_as_pandas_reads_them(tmp_path):
    "Dates the store did not write itself (an older version, a hand edit) are read by pandas' parser, not Arrow's"
    items = _edge_items()
    with Store(tmp_path/'s.sqlite') as st:
        st.add(items)
        forms = ['2024-01-05', '2024-01-05 10:20:30Z', '2024-01-05T12:20:30+02:00', '2024-01-05T10:20:30.5+00:00']
        for k, f in zip(items.key, forms): _set_field(st, k, 'published', f)
        got = st.items().set_index('key').published
        want = pd.to_datetime(pd.Series(forms, index=items.key), utc=True, format='ISO8601').astype('datetime64[ns, UTC]')
        pd.testing.assert_series_equal(got.loc[items.key], want, check_names=False)
        for k in items.key: _set_field(st, k, 'published', '2024-01-05T10:20:30+00:00')   # the store's own form, seconds only
        assert (st.items().published == pd.Timestamp('2024-01-05T10:20:30Z')).all()

def test_decided_reads_the_same_types_as_items(tmp_path):
    items = _edge_items()
    with Store(tmp_path/'s.sqlite') as st:
        st.add(items); st.mark(items.key.tolist(), 'saved'); st.rate(items.key[0], 4)
        a = st.items().set_index('key').sort_index(); d = st.decided().set_index('key').sort_index()
        pd.testing.assert_frame_equal(a, d, check_exact=True)

def test_a_value_gone_in_a_refetch_is_gone_in_the_store(tmp_path):
    "A column no item of a batch has is left out of the INSERT: a re-fetch without it still clears it, as binding NULL did"
    items = _edge_items()
    with Store(tmp_path/'s.sqlite') as st:
        st.add(items)
        again = items.assign(venue=pd.Series([np.nan] * len(items), dtype='str'), year=pd.array([None] * len(items), dtype='Int64'))
        st.add(again)
        got = st.items().set_index('key').loc[items.key[2]]
        assert pd.isna(got.venue) and pd.isna(got.year) and got.doi == _edge_items().doi[2] and got.decision == 'poster'

def test_an_extra_that_is_not_one_json_value_fails_as_before(tmp_path):
    "Extras are decoded in one parse; a stored value that is not one JSON value must still fail, not shift its neighbours"
    items = _edge_items()
    with Store(tmp_path/'s.sqlite') as st:
        st.add(items)
        _set_field(st, items.key[1], 'extra', '{"a": 1}, {"b": 2}')
        with pytest.raises(ValueError, match='Extra data'): st.items()
