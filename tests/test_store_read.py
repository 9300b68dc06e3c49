"""Issue 13 (the store row): a read takes each column of a store query from SQLite as ONE value (`_read_whole`: one
aggregate over the query concatenates each column's values and says how to split them again; Arrow wraps the bytes
without a copy) instead of a Python object per value (`_read_rows`, fetched a row at a time). The whole read must read
exactly what the row at a time read reads, rows in the same order, or say it cannot (None: `_read` then reads a row at
a time). Held here: on the captures of a week plus hand-made edge rows, every filter of `items` and `decided`; on
fuzzed stores (NULLs, empty and non-ASCII text, NUL and the payload's separators, payloads in the JSON form and NULL,
integers); on orders SQLite makes by an index or a sort; and on the cases it must refuse (a blob or a number where a
row at a time read gets another type, text that is not UTF-8, a concatenation past SQLite's length limit, a plan that
is not the query's own)."""
import random, sqlite3
import pandas as pd, pytest
import mlnews_nb.store as S
from mlnews_nb.core import to_items, StoreError
from mlnews_nb.store import Store, FS, NA, SEP, PAYLOAD_COLS

pa = pytest.importorskip('pyarrow')

def _py(v) -> list:
    "A column as `_read` gives it (Arrow, or an object array of str, bytes and ints) as Python values, text decoded"
    vals = v.to_pylist() if S._is_arrow(v) else list(v)
    return [x.decode('utf-8') if isinstance(x, bytes) else x for x in vals]

def _same_cols(db, sql, params=()) -> dict:
    "`_read_whole` answers, and reads what `_read_rows` reads: the same columns, values, types and row order"
    whole = S._read_whole(db, sql, params)
    assert whole is not None, 'the whole read refused'
    rows = S._read_rows(db, sql, params)
    assert list(whole) == list(rows)
    for c in rows:
        w, r = _py(whole[c]), _py(rows[c])
        assert w == r, c
        assert [type(x) for x in w] == [type(x) for x in r], c
    return whole

def _rows_only(monkeypatch):
    monkeypatch.setattr(S, '_read_whole', lambda *a, **k: None)

def _spy(monkeypatch) -> list:
    "What each `_read_whole` call answered (True: the columns, False: None)"
    seen, f = [], S._read_whole
    def g(*a, **k):
        r = f(*a, **k); seen.append(r is not None); return r
    monkeypatch.setattr(S, '_read_whole', g)
    return seen

def _frames(st, monkeypatch, **kw) -> tuple[pd.DataFrame, pd.DataFrame]:
    "`items(**kw)` read whole (checked to be) and a row at a time"
    with monkeypatch.context() as m:
        seen = _spy(m); whole = st.items(**kw)
        assert seen == [True]
    with monkeypatch.context() as m: _rows_only(m); rows = st.items(**kw)
    return whole, rows

def _week(fix) -> pd.DataFrame:
    from captures_week import week_items
    return week_items(fix)

def test_the_whole_read_reads_the_captures_as_a_row_at_a_time(tmp_path, fix, monkeypatch):
    items = _week(fix)
    st = Store(tmp_path/'s.sqlite'); st.add(items)
    again = items.iloc[::5].copy(); again['title'] = again['title'] + ' (v2)'; st.add(again)   # changes
    st.decide(items.key[0], state='saved', tags=['x', 'é']); st.decide(items.key[3], rating=4)
    st.decide(items.key[8], state='skipped', note='no')
    _same_cols(st.db, f'{S._SELECT_ITEMS} FROM items i')
    for kw in ({}, dict(state='saved'), dict(state=['new', 'skipped']), dict(source=items.source[0]),
               dict(kind='paper'), dict(keys=list(items.key[::7])), dict(since='2000-01-01')):
        whole, rows = _frames(st, monkeypatch, **kw)
        assert len(whole)
        pd.testing.assert_frame_equal(whole, rows, check_exact=True)
    with monkeypatch.context() as m:
        seen = _spy(m); d = st.decided()
    assert seen == [True] and len(d) == 3
    with monkeypatch.context() as m: _rows_only(m); pd.testing.assert_frame_equal(d, st.decided(), check_exact=True)

_ALPHA = ['a', 'Z', ' ', 'é', '日', '🙂', '\x00', FS, NA, SEP, '"', ',', '\n', '0', '1']

def _text(r:random.Random, n:int=12):
    k = r.choice([0, 0, 1, 2, 5, n, 3 * n])
    return None if r.random() < 0.2 else ''.join(r.choice(_ALPHA) for _ in range(k))

@pytest.mark.parametrize('seed', range(6))
def test_fuzzed_stores_read_the_same_whole_and_a_row_at_a_time(tmp_path, monkeypatch, seed):
    r = random.Random(seed)
    n = r.choice([1, 2, 3, 50, 400])
    recs = [dict(url=f'https://e.org/{seed}/{i}', title=f'T{i}', summary='s') for i in range(n)]
    st = Store(tmp_path/'s.sqlite'); st.add(to_items(recs, source='fz', kind='post'))
    keys = [k for (k,) in st.db.execute('SELECT key FROM items ORDER BY rowid')]
    # the values set by hand, as SQL stores them: text of every kind, NULLs, integers, payloads of every form
    for k in keys:
        fields = [_field(r, c) for c in PAYLOAD_COLS]
        form = r.random()
        payload = (None if form < 0.1 else json_form(fields) if form < 0.3 or any(
            f is not None and (FS in f or NA in f) for f in fields) else
            FS + FS.join(NA if f is None else f for f in fields))
        st.db.execute('UPDATE items SET title=?, summary=?, kind=?, decision=?, change=?, changed_at=?, version=?, '
                      'payload=? WHERE key=?', (_text(r), _text(r, 40), _text(r, 2) or 'post', _text(r, 3), _text(r),
                                               _field(r, 'fetched_at'), r.choice([None, 0, 1, -5, 2**40]), payload, k))
    for k in r.sample(keys, min(len(keys), 5)):
        st.db.execute('INSERT OR REPLACE INTO triage(key, state, note, tags, rating) VALUES (?,?,?,?,?)',
                      (k, r.choice(['saved', 'read', 'new']), _text(r), r.choice([None, '[]', '["a", "é"]']),
                       r.choice([None, 1, 5])))
    _same_cols(st.db, f'{S._SELECT_ITEMS} FROM items i')
    _same_cols(st.db, f'{S._SELECT} FROM triage t JOIN items i ON i.key = t.key')
    # the frames too: the same conversions of the same values, from Arrow arrays and from object arrays
    whole = st.items()
    with monkeypatch.context() as m: _rows_only(m); rows = st.items()
    pd.testing.assert_frame_equal(whole, rows, check_exact=True)

def _field(r:random.Random, c:str):
    "A payload field of the column `c` as `add` writes it (text, a date, a number, a list, an extra) or missing"
    t = S.ITEM_DTYPES[c]
    if r.random() < 0.25: return None
    if t.startswith('datetime'): return r.choice(['2024-01-02T03:04:05+00:00', '2023-12-31T23:59:59.5+00:00',
                                                  '2024-01-02T03:04:05Z', '2024-02-29'])
    if t == 'Int64': return str(r.choice([0, 7, -1, 2**40]))
    if c == 'extra': return r.choice(['{}', '{"a": 1}', '{"b": NaN, "é": [1, "x"]}', '{"big": 123456789012345678901}'])
    if c in S.LIST_COLS: return SEP.join(_text(r, 3) or '' for _ in range(r.choice([1, 2, 3])))
    return _text(r, 6)

def json_form(fields) -> str:
    import json
    return json.dumps(fields, ensure_ascii=False)

def _store(tmp_path, n=300) -> Store:
    recs = [dict(url=f'https://e.org/{i}', title=f'T{i % 7}', summary='x' * (i % 50), published='2024-01-01T00:00:00Z'
                 if i % 3 else None, authors=[f'A{i % 4}']) for i in range(n)]
    st = Store(tmp_path/'s.sqlite')
    st.add(to_items(recs[::2], source='b', kind='post')); st.add(to_items(recs[1::2], source='a', kind='post'))
    return st

def test_rows_in_the_order_sqlite_makes_them(tmp_path, monkeypatch):
    "Orders made by a table scan, an index, a sort: the same rows in the same order (ties in `items` kept by it)"
    st = _store(tmp_path)
    sel = f'{S._SELECT_ITEMS} FROM items i'
    keys = [k for (k,) in st.db.execute('SELECT key FROM items ORDER BY rowid DESC')][::3]
    for sql, p in ((sel, ()), (f'{sel} ORDER BY i.title DESC', ()), (f'{sel} ORDER BY i.key', ()),
                   (f'{sel} WHERE i.source IN (SELECT value FROM json_each(?))', ('["a", "b"]',)),
                   (f'{sel} WHERE i.key IN (SELECT value FROM json_each(?))', (pd.Series(keys).to_json(orient='values'),)),
                   (f'{sel} WHERE i.key IN (SELECT value FROM json_each(?)) ORDER BY i.key DESC, i.source',
                    (pd.Series(keys).to_json(orient='values'),))):
        w = _same_cols(st.db, sql, p)
        assert len(w['key']) > 10
    # `items`' ties (every row of a source shares one published time or none): in store order, as before
    for kw in ({}, dict(source='a'), dict(keys=keys)):
        whole, rows = _frames(st, monkeypatch, **kw)
        pd.testing.assert_frame_equal(whole, rows, check_exact=True)

def test_what_a_row_at_a_time_read_gets_otherwise_is_refused(tmp_path, monkeypatch):
    st = _store(tmp_path, 20)
    sel = f'{S._SELECT_ITEMS} FROM items i'
    k = st.db.execute('SELECT key FROM items LIMIT 1').fetchone()[0]
    for sets in ("title = x'41'", 'version = 2.5', "version = 'v2'", "version = x'32'", "change = x'41'",
                 "title = CAST(x'ff41' AS TEXT)"):
        st.db.execute('SAVEPOINT x'); st.db.execute(f'UPDATE items SET {sets} WHERE key=?', (k,))
        assert S._read_whole(st.db, sel) is None, sets
        with monkeypatch.context() as m:     # `items` reads a row at a time, as before (2.5 and 'v2' fail as they did)
            seen = _spy(m)
            try: got = len(st.items())
            except (StoreError, sqlite3.Error, TypeError, ValueError) as e: got = type(e)
        assert seen == [False] and got in ((StoreError, sqlite3.OperationalError) if 'ff41' in sets else
                                           (20, TypeError, ValueError)), (sets, got)
        st.db.execute('ROLLBACK TO x'); st.db.execute('RELEASE x')
    # a blob in a column read as bytes anyway (the abstract), and NULL everywhere it may be: read whole
    st.db.execute("UPDATE items SET summary = x'c3a9', decision = NULL, payload = NULL, version = NULL WHERE key=?", (k,))
    _same_cols(st.db, sel)
    # no rows: a row at a time (nothing to gain)
    assert S._read_whole(st.db, f'{sel} WHERE 0') is None and len(st.items(source='none')) == 0

def test_past_the_length_limit_a_row_at_a_time(tmp_path, monkeypatch):
    st = _store(tmp_path)
    total = st.db.execute('SELECT sum(length(payload)) FROM items').fetchone()[0]
    big = max(len(p) for (p,) in st.db.execute('SELECT payload FROM items'))
    lim = max(big, total // 4) + 1000     # every value fits, no column's concatenation does
    st.db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, lim)
    assert not S._fits(st.db)             # a file larger than the limit: not tried
    with monkeypatch.context() as m:
        seen = _spy(m); got = st.items()
    assert seen == [False] and len(got) == 300
    # tried anyway (as for a file within the limit, should a concatenation pass it): SQLite's error, then a row at a time
    with monkeypatch.context() as m:
        m.setattr(S, '_fits', lambda db: True)
        with pytest.raises(sqlite3.DataError): st.db.execute(f"SELECT group_concat(payload, '') FROM items").fetchall()
        seen = _spy(m); again = st.items()
    assert seen == [False]
    st.db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1_000_000_000)
    assert S._fits(st.db)
    with monkeypatch.context() as m: _rows_only(m); rows = st.items()
    pd.testing.assert_frame_equal(got, rows, check_exact=True); pd.testing.assert_frame_equal(again, rows, check_exact=True)

def test_another_plan_is_refused(tmp_path, monkeypatch):
    "The row order is proven by SQLite's plan: the aggregate's loops must be the query's own, else a row at a time"
    st = _store(tmp_path, 10)
    sel = f'{S._SELECT_ITEMS} FROM items i'
    plan = S._plan
    assert plan(st.db, S._whole_sql(sel, ['key', 'payload']), ()) == plan(st.db, sel, ())
    # an aggregate that reads the key alone reads it from its index (another order): a plan that shows it
    assert plan(st.db, "SELECT group_concat(key, ',') FROM items i", ()) != plan(st.db, sel, ())
    monkeypatch.setattr(S, '_plan', lambda db, sql, p: plan(db, sql, p) + (['other'] if 'group_concat' in sql else []))
    assert S._read_whole(st.db, sel) is None

def test_two_columns_of_one_name_are_refused(tmp_path):
    st = _store(tmp_path, 5)
    assert S._read_whole(st.db, 'SELECT i.key, i.title AS key FROM items i') is None
    assert list(S._read_whole(st.db, 'SELECT i.key, i.title AS "ti""tle" FROM items i')) == ['key', 'ti"tle']
