"""Stop 24: a read takes the abstracts as bytes into Arrow text (`_utf8`), and parses the extras with orjson, with json
kept for the texts orjson reads otherwise (NaN, infinities, integers past 64 bits). The old paths are still there and
frozen here: `_BLOB_TEXT = ()` with main's SELECT reads the abstracts as Python strings, `_orjson` returning None parses
every extra with json. Both must read the same frames from the same store, and what comes back is what was written.

The items are the real captures of a week (`captures_week`: papers, threads, posts, newsletters, each with its extra),
plus hand-made rows for what the captures hold only by chance (NaN and infinities and big integers in extras, an empty
and a missing abstract, non-ASCII abstracts, a text extra that is not one JSON value)."""
import datetime as dt, math
import numpy as np, pandas as pd, pytest
import mlnews_nb.store as S
from mlnews_nb.core import to_items, ITEM_COLS, StoreError
from mlnews_nb.store import Store, ROW_COLS
from captures_week import week_items

_ROW_SQL = ('SELECT source, key, kind, title, summary, typeof(summary), version, decision, payload, typeof(payload), '
            'change FROM items ORDER BY rowid')
# main's SELECT: the abstract read as text
_OLD_SELECT_ITEMS = ('SELECT ' + ', '.join(f'i.{c}' for c in ROW_COLS) + ', CAST(i.payload AS BLOB) AS payload, '
                     + ', '.join(f'i.{c}' for c in ('first_seen', 'last_seen', 'change', 'changed_at')))

def _items(fix) -> pd.DataFrame:
    real = week_items(fix)
    ex = [{'nan': math.nan, 'inf': math.inf, 'ninf': -math.inf, 'f': 0.1, 'neg0': -0.0, 'e': 1e16},
          {'big': 2**70, 'neg': -2**63 - 1, 'u64': 2**64 - 1, 'nested': [1, [2, {'x': None}], True]},
          {'text': 'NaN and Infinity are words here', 'digits': '12345678901234567890123'},
          {'é': 'ünïcode ✓ 日本', 'ctl': 'a\x1e\x1d\x1f\x00b', 'q': 'say "hi" \\ back'}, {}, {'when': dt.date(2024, 5, 1)}]
    summ = ['', None, 'Ünïcode — abstract ✓', 'plain', 'emoji 🙂 and ∑', 'x' * 5000]
    hand = to_items([dict(url=f'https://e.org/{i}', title=f'Hand {i}', summary=s) for i, s in enumerate(summ)],
                    source='hand', kind='post')
    hand['extra'] = pd.Series(ex, dtype=object)
    items = pd.concat([real, hand], ignore_index=True)
    assert items.summary.fillna('').map(str.isascii).mean() < 1 and sum(bool(x) for x in items.extra) > 100
    return items

def _write(tmp_path, name, items) -> tuple[Store, pd.DataFrame]:
    st = Store(tmp_path/name); st.add(items)
    # a new title for half the rows, a longer abstract for the other half (a change each)
    again = items.iloc[::3].copy(); odd = again.index % 2 == 1
    again['title'] = again['title'].where(odd, again['title'] + ' (v2)')
    again['summary'] = again['summary'].where(~odd, again['summary'] + ' more')
    st.add(again)
    return st, pd.concat([items, again]).drop_duplicates(['source', 'key'], keep='last')

def _read(st, old:bool, monkeypatch) -> pd.DataFrame:
    with monkeypatch.context() as m:
        if old:
            m.setattr(S, '_BLOB_TEXT', ()); m.setattr(S, '_orjson', lambda: None)
            m.setattr(S, '_SELECT_ITEMS', _OLD_SELECT_ITEMS)
        return st.items()

def _read_filtered(st, k, arg, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(S, '_BLOB_TEXT', ()); m.setattr(S, '_orjson', lambda: None); m.setattr(S, '_SELECT_ITEMS', _OLD_SELECT_ITEMS)
        return st.items(**{k: arg})

def _decided_old(st, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(S, '_BLOB_TEXT', ()); m.setattr(S, '_orjson', lambda: None)
        m.setattr(S, '_SELECT', _OLD_SELECT_ITEMS + ''.join(f', t.{c}' for c in S._TRIAGE_READ))
        return st.decided()

@pytest.mark.parametrize('arrow', [True, False])
def test_the_new_and_old_read_paths_read_the_same_frames(tmp_path, fix, monkeypatch, arrow):
    items = _items(fix)
    with monkeypatch.context() as m:
        if not arrow: m.setattr(S, '_arrow', lambda: None)
        a, latest = _write(tmp_path, f'a{arrow}.sqlite', items)
        ra = a.db.execute(_ROW_SQL).fetchall()
        assert len(ra) == len(items.drop_duplicates(['source', 'key'])) and {r[9] for r in ra} == {'text'}
        assert {r[5] for r in ra} <= {'text', 'null'} and sum(r[10] == 'abstract changed' for r in ra) > 10
        a.decide(items.key[0], state='saved', tags=['x', 'é'])
        fa, fa_old = _read(a, False, monkeypatch), _read(a, True, monkeypatch)
        for k in ('state', 'source', 'kind', 'keys'):   # the filtered reads too
            arg = {'state': 'saved', 'source': 'hand', 'kind': 'paper', 'keys': list(items.key[::7])}[k]
            new, old = a.items(**{k: arg}), _read_filtered(a, k, arg, monkeypatch)
            assert len(new) and len(new) < len(fa)
            pd.testing.assert_frame_equal(new, old, check_exact=True)
        pd.testing.assert_frame_equal(a.decided(), _decided_old(a, monkeypatch), check_exact=True)
    pd.testing.assert_frame_equal(fa, fa_old, check_exact=True)
    # what comes back is what was written last (the extras compared as json's text: NaN is not equal to itself)
    back = fa.set_index(['source', 'key']).loc[list(zip(latest.source, latest.key))].reset_index()[ITEM_COLS]
    want = latest.reset_index(drop=True)
    for c in ('title', 'summary', 'authors', 'links_to', 'published'):
        pd.testing.assert_series_equal(back[c], want[c], check_exact=True)
    text = lambda s: [S._extra_text(x) for x in s]
    assert text(back.extra) == text(want.extra)
    got = fa.set_index(['source', 'key']).extra
    nan = got[('hand', fa.key[fa.title == 'Hand 0'].iloc[0])]
    assert math.isnan(nan['nan']) and nan['inf'] == math.inf and nan['neg0'] == 0 and math.copysign(1, nan['neg0']) < 0
    big = got[('hand', fa.key[fa.title == 'Hand 1'].iloc[0])]
    assert big['big'] == 2**70 and type(big['big']) is int and big['neg'] == -2**63 - 1 and big['u64'] == 2**64 - 1

def test_orjson_is_the_reader_of_the_plain_extras(fix, monkeypatch):
    pa = pytest.importorskip('pyarrow'); pytest.importorskip('orjson')
    texts = ['{"a": 1}', None, '', '{"b": NaN}', '{"c": [1, 2.5, "x"]}', '{"d": 123456789012345678901}']
    r = S._loads_arrow(pa.array(texts, pa.large_string()))
    assert r is not None
    got, have = r
    assert have == [True, False, False, True, True, True]
    assert got[0] == {'a': 1} and math.isnan(got[1]['b']) and got[2] == {'c': [1, 2.5, 'x']}
    assert got[3] == {'d': 123456789012345678901}
    # a text that is not one JSON value: None, and `_loads` parses each alone to fail as json fails
    assert S._loads_arrow(pa.array(['{"a": 1}', '1, 2'], pa.large_string())) is None
    with pytest.raises(ValueError): S._loads(pa.array(['{"a": 1}', '{"b"'], pa.large_string()), dict)

def test_an_abstract_that_is_not_utf8_fails_as_it_did(tmp_path):
    st = Store(tmp_path/'s.sqlite'); st.add(to_items([dict(url='https://e.org/a', title='A', summary='ok')],
                                                      source='s', kind='post'))
    st.db.execute("UPDATE items SET summary = CAST(x'ff00fe' AS TEXT)")
    with pytest.raises((StoreError, UnicodeDecodeError, ValueError)): st.items()

def test_a_list_column_with_missing_lists_splits_as_row_at_a_time():
    "A missing list in an Arrow column (a payload field NA) is `[]`, as the row at a time path makes it"
    pa = pytest.importorskip('pyarrow')
    vals = [None, 'a\x1fb', '', 'c', None, 'é\x1f\x1f', 'x' * 300]
    got = S._split(pa.array(vals, pa.large_string()))
    assert got.tolist() == [x.split('\x1f') if x else [] for x in vals]
    assert len({id(x) for x in got}) == len(vals)        # a list of its own for each row
