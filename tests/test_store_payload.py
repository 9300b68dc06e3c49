"""Schema 3 packs the item columns no query reads into one `payload` text per row. What is written is what comes back, in
every form a payload can take (the plain form, the JSON form of a row whose values hold a separator, a store written by
schema 2 and upgraded), with and without the Arrow paths. The items are hand-made (the point is the edge values, which
the captures hold only by chance); the schema 2 rows are written as schema 2's `add` wrote them (hand-written SQL, so
that this test keeps working after that code is gone)."""
import json, sqlite3
import numpy as np, pandas as pd, pytest
import mlnews_nb.store as S
from mlnews_nb.core import to_items, ITEM_COLS, ITEM_DTYPES, LIST_COLS, StoreError
from mlnews_nb.store import Store, SEP, FS, NA, PAYLOAD_COLS, SCHEMA_VERSION

def _items():
    recs = [dict(arxiv_id='2401.00001', version=2, title='Ünïcode — title', summary='abs', authors=['A', 'B'],
                 categories=['cs.LG'], published='2024-01-05T10:20:30.123456Z', score=7, extra={'stars': 3, 'k': [1, 2]}),
            dict(url='https://e.org/b', title='No dates, no lists'),
            dict(url='https://e.org/c', title='Plain', keywords=['k'], year=2023, comments=0, doi='10.1/x', venue='NeurIPS',
                 decision='poster', summary_html='<p>h</p>', updated='2023-12-31T23:59:59Z'),
            dict(url='https://e.org/d', title='Odd values', venue='V', doi='10.2/y', authors=['C'], score=1),
            dict(url='https://e.org/e', title='Odd values too', summary_html='x'),
            dict(url='https://e.org/f', title='Empty text', summary='', venue='', doi='')]
    items = to_items(recs, source='hand', kind='paper')
    # to_items cleans control characters out; a frame made by hand may hold the payload's own separators
    items.loc[3, 'url'] = f'https://e.org/d{FS}x'; items.loc[3, 'venue'] = NA
    items.at[3, 'authors'] = [f'C{FS}D', f'E{NA}']
    items.loc[4, 'doi'] = f'{NA}{FS}'; items.loc[4, 'summary_html'] = FS
    return items

def _back(st, items):
    return st.items().set_index('key').loc[items.key, ITEM_COLS[1:]].reset_index()

def _payloads(st):
    return dict(st.db.execute('SELECT key, payload FROM items'))

def test_values_holding_the_separators_round_trip(tmp_path, monkeypatch):
    items = _items()
    with Store(tmp_path/'s.sqlite') as st:
        st.add(items)
        p = _payloads(st)
        # the rows whose values hold FS or NA are JSON arrays; the others the plain form
        assert [p[k][0] for k in items.key] == [FS, FS, FS, '[', '[', FS]
        assert json.loads(p[items.key[3]])[PAYLOAD_COLS.index('venue')] == NA    # a value NA is not a missing value
        got = _back(st, items)
        pd.testing.assert_frame_equal(got[ITEM_COLS], items[ITEM_COLS].reset_index(drop=True), check_exact=True)
        assert got.venue[5] == '' and pd.isna(got.venue[1])   # '' is not missing
        monkeypatch.setattr(S, '_arrow', lambda: None)        # the paths taken without pyarrow
        pd.testing.assert_frame_equal(_back(st, items), got, check_exact=True)

def test_plain_rows_read_the_same_with_and_without_arrow(tmp_path, monkeypatch):
    items = _items().iloc[[0, 1, 2, 5]].reset_index(drop=True)
    with Store(tmp_path/'s.sqlite') as st:
        st.add(items); st.mark(items.key[0], 'saved'); st.decide(items.key[1], note='n', tags=['t'], rating=3)
        assert all(p[0] == FS for p in _payloads(st).values())
        a = st.items(); d = st.decided()
        pd.testing.assert_frame_equal(a.set_index('key').loc[items.key, ITEM_COLS[1:]].reset_index()[ITEM_COLS],
                                      items[ITEM_COLS], check_exact=True)
        monkeypatch.setattr(S, '_arrow', lambda: None)
        pd.testing.assert_frame_equal(st.items(), a, check_exact=True)
        pd.testing.assert_frame_equal(st.decided(), d, check_exact=True)

def test_an_empty_read_has_the_types_of_a_full_one(tmp_path):
    with Store(tmp_path/'s.sqlite') as st:
        e, de = st.items(), st.decided()
        st.add(_items()); st.mark(_items().key[0], 'saved')
        assert e.empty and de.empty
        pd.testing.assert_series_equal(e.dtypes, st.items().dtypes)
        pd.testing.assert_series_equal(de.dtypes, st.decided().dtypes)

def test_a_payload_in_neither_form_fails_clearly(tmp_path):
    items = _items()
    with Store(tmp_path/'s.sqlite') as st:
        st.add(items)
        st.db.execute('UPDATE items SET payload = ? WHERE key = ?', (f'{FS}too{FS}few', items.key[0]))
        with pytest.raises(StoreError, match='neither of the forms'): st.items()

def test_new_rows_are_counted_after_the_last_row_was_deleted(tmp_path):
    "New rows are counted over the rowids past the largest before the add: a deleted last row must not shift the count"
    items = _items()
    with Store(tmp_path/'s.sqlite') as st:
        st.add(items.iloc[:4])
        st.db.execute('DELETE FROM items WHERE rowid = (SELECT max(rowid) FROM items)')
        r = st.add(items)                          # the deleted row and two more are new; three were there
        assert (r.new, r.updated, r.unchanged) == (3, 0, 3)
        r = st.add(items.assign(title=items.title + '!'))
        assert (r.new, r.updated, r.unchanged) == (0, 6, 0) and len(st.items()) == 6

def _v2_value(c, v):
    "A value as schema 2's `add` stored it in its own column"
    t = ITEM_DTYPES[c]
    if c in LIST_COLS: return SEP.join(v) if len(v) else None
    if c == 'extra': return json.dumps(v, ensure_ascii=False) if v else None
    if pd.isna(v): return None
    if t.startswith('datetime'): return pd.Timestamp(v).tz_convert('UTC').isoformat(timespec='microseconds')
    return int(v) if t == 'Int64' else v

def test_a_version_2_store_is_upgraded_without_loss(tmp_path, monkeypatch):
    items = _items()
    db = tmp_path/'v2.sqlite'
    con = sqlite3.connect(db)
    for s in S._SCHEMA_V1.split(';'):
        if s.strip(): con.execute(s)
    S.MIGRATIONS[1](con)
    now = '2024-02-01T00:00:00+00:00'
    for r in items.itertuples(index=False):
        vals = [_v2_value(c, getattr(r, c)) for c in ITEM_COLS]
        con.execute(f"INSERT INTO items ({', '.join(ITEM_COLS)}, first_seen, last_seen) VALUES "
                    f"({', '.join('?' * (len(ITEM_COLS) + 2))})", vals + [now, now])
    con.execute("INSERT INTO triage(key, state, note, state_at) VALUES (?, 'saved', 'mine', ?)", (items.key[2], now))
    con.execute('PRAGMA user_version=2'); con.commit(); con.close()
    with Store(db) as st:
        assert st.db.execute('PRAGMA user_version').fetchone()[0] == SCHEMA_VERSION == 4
        # packed into the payload; the emptied columns gone with schema 4
        assert not set(PAYLOAD_COLS) & {r[1] for r in st.db.execute('PRAGMA table_info(items)')}
        got = _back(st, items)
        pd.testing.assert_frame_equal(got[ITEM_COLS], items[ITEM_COLS].reset_index(drop=True), check_exact=True)
        row = st.items(keys=[items.key[2]]).iloc[0]
        assert (row.state, row.note, row.first_seen) == ('saved', 'mine', pd.Timestamp(now))
        # the upgraded plain rows hold the payload `add` writes for the same items
        p = _payloads(st); fresh = S._payloads(items)
        for k, f in zip(items.key, fresh):
            if f[0] == FS: assert p[k] == f, k
        r = st.add(items)                            # nothing new, nothing changed
        assert (r.new, r.updated, r.unchanged) == (0, 0, len(items))
        monkeypatch.setattr(S, '_arrow', lambda: None)
        pd.testing.assert_frame_equal(_back(st, items), got, check_exact=True)
