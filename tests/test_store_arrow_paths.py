"""Stop 21 moved more of the store's work into Arrow: `add` joins the payload columns with Arrow
(`binary_join_element_wise`) instead of one Python join a row, and `items` makes the text columns Arrow text before the
newest-first take (and hands `_split` Arrow arrays). The paths without pyarrow (`_arrow` patched to None)
are the ones that were there before, unchanged. Both must write the same rows and read the same frames, for every
filter. The items are real captures (every committed blog feed) plus hand-made rows: the edge values (separators inside
values, list members that are not text, non-ASCII text, a frame built by concat whose Arrow columns are in pieces) are
what the captures hold only by chance."""
import json
import numpy as np, pandas as pd, pytest
import mlnews_nb.store as S
from mlnews_nb.core import to_items, ITEM_COLS
from mlnews_nb.feeds import read_feed
from mlnews_nb.store import Store, SEP, FS, NA

_ROW_SQL = ('SELECT source, key, kind, title, summary, version, decision, payload, change FROM items ORDER BY rowid')

def _hand() -> pd.DataFrame:
    "Hand-made rows: every mix of present and missing payload fields, lists of 0-3 members, non-ASCII text"
    recs = []
    for i in range(60):
        r = dict(url=f'https://e.org/{i}', title=f'Item {i} — ünïcode' if i % 4 else f'Item {i}',
                 authors=[f'Author {j}' for j in range(i % 4)], categories=['cs.LG', 'stat.ML'][: i % 3])
        if i % 2: r.update(summary='Ab ' * (i % 7), year=2000 + i, score=i - 30, doi=f'10.1/{i}')
        if i % 3: r.update(published=f'2024-0{1 + i % 9}-1{i % 10}T0{i % 10}:00:00Z', venue='V' if i % 5 else '')
        if i % 5 == 1: r.update(extra={'stars': i, 'k': [1, 'é']}, keywords=['kw'], comments=0)
        if i % 7 == 2: r.update(arxiv_id=f'2401.{i:05d}', version=1 + i % 3, decision='poster', summary_html='<p>x</p>')
        recs.append(r)
    items = to_items(recs, source='hand', kind='post')
    # to_items cleans control characters out; a frame made by hand may hold the payload's own separators
    items.loc[3, 'url'] = f'https://e.org/3{FS}x'; items.loc[4, 'venue'] = NA; items.loc[5, 'doi'] = f'{NA}{FS}'
    items.at[6, 'authors'] = [f'C{SEP}D', 'E']; items.at[7, 'authors'] = [f'F{FS}G']; items.at[8, 'keywords'] = [1, 'x']
    return items

def _items(fix) -> pd.DataFrame:
    feeds = sorted((fix/'blog_feeds_2026').glob('*.xml'))
    assert feeds, 'no captured feeds'
    real = pd.concat([read_feed(p, source=p.stem[:20]) for p in feeds], ignore_index=True)
    # a frame built by concat: its Arrow text columns come in pieces (chunks)
    return pd.concat([real, _hand().iloc[:30], _hand().iloc[30:]], ignore_index=True)

def _write(tmp_path, name, items, arrow, monkeypatch) -> Store:
    with monkeypatch.context() as m:
        if not arrow: m.setattr(S, '_arrow', lambda: None)
        st = Store(tmp_path/name); st.add(items)
        again = items.iloc[::3].copy(); again['title'] = again['title'] + ' (v2)'
        st.add(again)
    return st

def _frames(st, items) -> list[pd.DataFrame]:
    keys = items.key.drop_duplicates().tolist()
    st.mark(keys[:20], 'saved'); st.mark(keys[20:25], 'read'); st.decide(keys[30], note='n', tags=['b', 'a'], rating=2)
    return [st.items(), st.items(state='saved'), st.items(state=['new', 'read']), st.items(source='hand'),
            st.items(kind='post'), st.items(keys=keys[::5]), st.items(since='2000-01-01'), st.decided(),
            st.reading_list(), st.reading_list(state=['saved', 'read'], tags=['a'])]

def test_the_arrow_and_plain_writers_store_the_same_rows(tmp_path, fix, monkeypatch):
    items = _items(fix)
    a = _write(tmp_path, 'a.sqlite', items, True, monkeypatch)
    b = _write(tmp_path, 'b.sqlite', items, False, monkeypatch)
    ra, rb = a.db.execute(_ROW_SQL).fetchall(), b.db.execute(_ROW_SQL).fetchall()
    assert len(ra) == len(items.drop_duplicates(['source', 'key']))
    assert ra == rb
    # the rows whose values hold a separator are JSON arrays; the rest the plain form
    p = dict(a.db.execute("SELECT key, payload FROM items WHERE source = 'hand'"))
    hand = _hand()
    assert [p[k][0] for k in hand.key[3:9]] == ['[', '[', '[', FS, '[', FS]
    # a list member holding the list separator: a space in its place, as `_join` always did (the row stays plain)
    assert p[hand.key[6]].split(FS)[1 + S.PAYLOAD_COLS.index('authors')] == 'C D' + SEP + 'E'
    assert json.loads(p[hand.key[7]])[S.PAYLOAD_COLS.index('authors')] == f'F{FS}G'

def test_what_is_written_comes_back_by_either_path(tmp_path, fix, monkeypatch):
    items = _items(fix)
    st = Store(tmp_path/'s.sqlite'); st.add(items)
    want = items.drop_duplicates(['source', 'key'], keep='last').reset_index(drop=True)
    # lists are stored as text: a separator inside a member becomes a space, a member that is not text its text
    at = {u: int(np.flatnonzero(want.url == u)[0]) for u in ('https://e.org/6', 'https://e.org/8')}
    want.at[at['https://e.org/6'], 'authors'] = ['C D', 'E']; want.at[at['https://e.org/8'], 'keywords'] = ['1', 'x']
    for arrow in (True, False):
        with monkeypatch.context() as m:
            if not arrow: m.setattr(S, '_arrow', lambda: None)
            got = st.items().set_index(['source', 'key']).loc[list(zip(want.source, want.key))].reset_index()
        pd.testing.assert_frame_equal(got[ITEM_COLS], want[ITEM_COLS], check_exact=True)

def test_every_read_is_the_same_with_and_without_arrow(tmp_path, fix, monkeypatch):
    items = _items(fix)
    st = _write(tmp_path, 's.sqlite', items, True, monkeypatch)
    with_arrow = _frames(st, items)
    assert len(with_arrow[0]) > 60 and len(with_arrow[1]) == 20 and len(with_arrow[7]) == 26
    with monkeypatch.context() as m:
        m.setattr(S, '_arrow', lambda: None)
        without = _frames(st, items)
    for x, y in zip(with_arrow, without): pd.testing.assert_frame_equal(x, y, check_exact=True)

@pytest.mark.parametrize('vals', [['a', None, '', f'b{SEP}c', f'd{SEP}', f'{SEP}', 'é'], [None, None], ['x'] * 5, []])
def test_list_columns_split_the_same_from_arrow_or_object_arrays(vals):
    pa = pytest.importorskip('pyarrow')
    got = S._split(pa.array(vals, type=pa.large_string()))
    want = S._split(np.array(vals, dtype=object))
    assert got.tolist() == want.tolist() == [x.split(SEP) if x else [] for x in vals]
    # every row its own list: a change to one row's list is not seen in another's
    if len(got) > 1: assert len({id(x) for x in got}) == len(got)

def test_a_list_member_that_is_not_text_is_written_as_text(tmp_path, monkeypatch):
    items = _hand().iloc[[8, 9]].reset_index(drop=True)
    a = _write(tmp_path, 'a.sqlite', items, True, monkeypatch)
    b = _write(tmp_path, 'b.sqlite', items, False, monkeypatch)
    assert a.db.execute(_ROW_SQL).fetchall() == b.db.execute(_ROW_SQL).fetchall()
    assert a.items(keys=[items.key[0]]).keywords[0] == ['1', 'x']
