"""Stop 23: `add` writes the `extra` column through one json C encoder built once (`_extra_texts`), where it called
`json.dumps` for each row (which builds a `JSONEncoder` and a C encoder every call), and finds the rows without an extra
from the Arrow array instead of `np.equal` on a list of texts. The old path is still there: `_encoder` returning None
sends every value through `json.dumps`, as main's code did. Both must write the same rows and read the same frames.

The extras are real: every committed blog feed read by `read_feed` (guids, `blurbs` of cited papers, flags), plus
hand-made values for what the captures hold only by chance (NaN and infinities, big integers, nested lists, non-ASCII
text, control characters, values json cannot write that `default=str` turns into text, an empty dict, a cycle)."""
import datetime as dt, math
from pathlib import Path
import numpy as np, pandas as pd, pytest
import mlnews_nb.store as S
from mlnews_nb.core import to_items, ITEM_COLS
from mlnews_nb.feeds import read_feed
from mlnews_nb.store import Store

_ROW_SQL = 'SELECT source, key, kind, title, summary, version, decision, payload, change FROM items ORDER BY rowid'

def _hand_extras() -> list:
    "Extras a fetcher could make and json must write exactly as `json.dumps` does"
    return [{}, {'a': 1}, {'nan': math.nan, 'inf': math.inf, 'ninf': -math.inf, 'f': 0.1, 'neg0': -0.0, 'e': 1e16},
            {'big': 2**70, 'nested': [1, [2, {'x': None}], True, False]}, {'é': 'ünïcode ✓ 日本', 'ctl': 'a\x1e\x1d\x1f\x00b'},
            {'when': dt.datetime(2024, 5, 1, 12), 'path': Path('/tmp/x'), 'set': {1}}, {'q': 'say "hi" \\ back'},
            {1: 'int key', None: 'none key', 2.5: 'float key'}, {'deep': [[[[[[['x']]]]]]]}]

def _items(fix) -> pd.DataFrame:
    feeds = sorted((fix/'blog_feeds_2026').glob('*.xml'))
    assert feeds, 'no captured feeds'
    real = pd.concat([read_feed(p, source=p.stem[:20]) for p in feeds], ignore_index=True)
    assert sum(bool(x) for x in real.extra) > 5, 'the captures should give extras to read'
    ex = _hand_extras()
    hand = to_items([dict(url=f'https://e.org/{i}', title=f'Hand {i}') for i in range(len(ex))], source='hand', kind='post')
    hand['extra'] = pd.Series(ex, dtype=object)
    return pd.concat([real, hand], ignore_index=True)

def test_one_encoder_writes_what_json_dumps_writes(fix):
    vals = _items(fix).extra.tolist()
    assert S._encoder() is not None, 'this Python has a C json encoder: the fast path must be the one taken'
    assert S._extra_texts(vals) == [S._extra_text(x) for x in vals]
    assert S._extra_texts([{}, {}, None]) == [None, None, None]

def test_a_cycle_fails_as_json_dumps_fails():
    a = {'x': 1}; a['self'] = a
    with pytest.raises(ValueError, match='Circular reference'): S._extra_texts([{'ok': 1}, a])

def _write(tmp_path, name, items, fast, monkeypatch) -> Store:
    with monkeypatch.context() as m:
        if not fast: m.setattr(S, '_encoder', lambda: None)   # main's path: `json.dumps` for every value
        st = Store(tmp_path/name); st.add(items)
        again = items.iloc[::3].copy(); again['title'] = again['title'] + ' (v2)'
        st.add(again)
    return st

@pytest.mark.parametrize('arrow', [True, False])
def test_the_fast_and_old_extra_writers_store_the_same_rows(tmp_path, fix, monkeypatch, arrow):
    items = _items(fix)
    with monkeypatch.context() as m:
        if not arrow: m.setattr(S, '_arrow', lambda: None)
        a = _write(tmp_path, f'a{arrow}.sqlite', items, True, monkeypatch)
        b = _write(tmp_path, f'b{arrow}.sqlite', items, False, monkeypatch)
    ra, rb = a.db.execute(_ROW_SQL).fetchall(), b.db.execute(_ROW_SQL).fetchall()
    assert len(ra) == len(items.drop_duplicates(['source', 'key'])) and ra == rb
    # the frames, but for the times of each `add` (two stores, two clocks)
    cols = ITEM_COLS + ['state', 'note', 'tags', 'rating', 'change']
    fa, fb = a.items(), b.items()
    pd.testing.assert_frame_equal(fa[cols], fb[cols], check_exact=True)
    # what comes back is what was written (the text json makes of a value it cannot write: its `str`)
    got = fa.set_index('key').extra
    for k, x in zip(items.key, items.extra):
        if not x or k not in got.index: continue
        assert S._extra_text(got[k]) == S._extra_text(x) or any(isinstance(v, (dt.datetime, Path, set)) for v in x.values())

def test_a_batch_without_extras_writes_none(tmp_path):
    items = to_items([dict(url=f'https://e.org/{i}', title=f'T {i}') for i in range(5)], source='s', kind='post')
    st = Store(tmp_path/'s.sqlite'); st.add(items)
    assert st.items().extra.tolist() == [{}] * 5
    pa = pytest.importorskip('pyarrow')
    a, na = S._arrow_field(items.extra, 'extra')
    assert a.null_count == 5 and na.dtype == bool and na.all()

def test_the_first_and_last_text_decide_only_whether_to_look_for_one_shared_text(tmp_path, monkeypatch):
    "A title shared by all rows is written into the statement; one shared by the first and last only is bound"
    recs = [dict(url=f'https://e.org/{i}', title='Same' if i in (0, 4) else f'T {i}', summary='S') for i in range(5)]
    items = to_items(recs, source='s', kind='post')
    names, marks, rows = S._to_rows(items)
    assert marks[names.index('title')] == '?' and marks[names.index('summary')] == "'S'"
    a = Store(tmp_path/'a.sqlite'); a.add(items)
    with monkeypatch.context() as m:
        m.setattr(S, '_literal', lambda v: None)   # every text bound, none written into the statement
        b = Store(tmp_path/'b.sqlite'); b.add(items)
    assert a.db.execute(_ROW_SQL).fetchall() == b.db.execute(_ROW_SQL).fetchall()
