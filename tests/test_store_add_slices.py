"""`add` makes its SQL parameters Python values `_CHUNK` rows at a time (`_slices`, `_rows`): Arrow text, object arrays
and the payloads, each slice made as `executemany` reaches it, so the strings of all the rows never live at once. The
rows must be exactly those of the general reference built here one row at a time from the frame (each row column's
value, `_NULL` for a missing one; each payload from `_field`, the one-value path, in its plain or JSON form), at any
slice size (one row, seven, all), with and without pyarrow, on captured feed items and hand-made edge rows (payload
separators inside values, missing texts, JSON-form rows falling on slice edges)."""
import json
import numpy as np, pandas as pd, pytest
import mlnews_nb.store as S
from mlnews_nb.core import to_items, ITEM_DTYPES
from mlnews_nb.feeds import read_feed
from mlnews_nb.store import Store, FS, NA, PAYLOAD_COLS

def _reference(df:pd.DataFrame, names:list) -> list[tuple]:
    "The rows `add` must bind, one at a time from the frame"
    out = []
    for _, r in df.iterrows():
        row = []
        for c in names:
            if c == 'payload':
                f = [S._field(k, r[k]) for k in PAYLOAD_COLS]
                odd = any(x is not None and (FS in x or NA in x) for x in f)
                row.append(json.dumps(f, ensure_ascii=False) if odd else FS + FS.join(NA if x is None else x for x in f))
            else:
                v = r[c]
                row.append(S._NULL if pd.isna(v) else int(v) if ITEM_DTYPES[c] == 'Int64' else v)
        out.append(tuple(row))
    return out

def _hand(n=40) -> pd.DataFrame:
    recs = [dict(url=f'https://e.org/{i}', title=f'T {i} é', summary=None if i % 5 == 0 else f'S {i} ✓' * (i % 4),
                 authors=[f'A{i}'] if i % 3 else [], version=None if i % 2 else i, decision='poster' if i % 6 else None,
                 extra={'i': i, 'nan': float('nan')} if i % 7 == 0 else {}) for i in range(n)]
    items = to_items(recs, source='hand', kind='paper')
    # to_items cleans control characters out; a frame made by hand may hold the payload's own separators
    for i in (0, 6, 7, 13, 39): items.loc[i, 'url'] = f'https://e.org/{i}{FS}x'
    items.loc[8, 'doi'] = f'{NA}'; items.at[14, 'authors'] = [f'C{FS}D', f'E{NA}']
    return items

@pytest.mark.parametrize('arrow', [True, False])
@pytest.mark.parametrize('chunk', [1, 7, 10**9])
def test_rows_made_a_slice_at_a_time_are_the_reference_rows(fix, monkeypatch, arrow, chunk):
    feeds = sorted((fix/'blog_feeds_2026').glob('*.xml'))[:6]
    assert feeds, 'no captured feeds'
    real = pd.concat([read_feed(p, source=p.stem[:20]) for p in feeds], ignore_index=True)
    for items in (_hand(), real, pd.concat([real, _hand()], ignore_index=True)):
        items = items.drop_duplicates(['source', 'key'], keep='last').reset_index(drop=True)
        with monkeypatch.context() as m:
            m.setattr(S, '_CHUNK', chunk)
            if not arrow: m.setattr(S, '_arrow', lambda: None)
            names, marks, rows = S._to_rows(items, 'x')
            names = [c for c, k in zip(names, marks) if k.startswith(('?', 'nullif'))]
            got = list(rows)
        assert got == [r + ('x',) for r in _reference(items, names)]

def test_an_add_in_slices_reads_back_as_one_in_a_single_slice(tmp_path, monkeypatch):
    items = _hand(60)
    with monkeypatch.context() as m:
        m.setattr(S, '_CHUNK', 7); a = Store(tmp_path/'a.sqlite'); ra = a.add(items)
    b = Store(tmp_path/'b.sqlite'); rb = b.add(items)
    q = 'SELECT source, key, kind, title, summary, version, decision, payload FROM items ORDER BY rowid'
    assert ra.new == rb.new == len(items) and a.db.execute(q).fetchall() == b.db.execute(q).fetchall()
