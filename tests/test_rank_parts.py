"""The vectorizer's fast paths of stop 23 (issue 15's speed row) against the plain ones they replace: `_text`'s parts (the
title tokenized once, counted twice) against its joined texts, counts built column by column against scipy's own
construction, and the keyword test reading rows from one pyarrow array against reading them from the pandas column.

The odd texts below are hand-written: they put typographic punctuation, Unicode spaces, control characters, separators
like `_text`'s own " . ", a title ending in a word and an abstract starting with one where a capture has too few of them."""
import numpy as np, pandas as pd, pytest
import scipy.sparse as sp
from mlnews_nb.conferences import read_paperlist
from mlnews_nb import rank as R

ODD = ['Regret\u2019s bound\u2014tight', 'regret\xa0bound and\u3000sample\u2009complexity', 'a\x0bb regret\x1cbound',
       'state-of-the-art (e.g. regret) bounds; \u201csample complexity\u201d', 'caf\xe9 na\xefve \u00fcber', '',
       'x\x01y regret bound.', 'lone \ud800 surrogate bound', 'Reinforcement Learning \u2026 policy\u00b7gradient', '(a) b.',
       'bound . regret', 'regret bound regret bound', '\u03a3\u03a3 \u212a-armed', ' . ', '.']

@pytest.fixture(scope='module')
def iclr(fix): return read_paperlist(fix/'conference_lists'/'papercopilot'/'iclr2017.json').reset_index(drop=True)

def _odd_frame(n:int=300, seed:int=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed); pick = lambda: ' '.join(ODD[i] for i in rng.integers(0, len(ODD), rng.integers(0, 4)))
    pick2 = lambda: pick().replace('\ud800', '?')     # `_text`'s str columns (pyarrow) hold no lone surrogate
    return pd.DataFrame(dict(title=[pick2() for _ in range(n)], summary=[pick2() for _ in range(n)],
                             keywords=[[pick() for _ in range(rng.integers(0, 3))] if rng.random() < .7 else None
                                       for _ in range(n)],
                             categories=[['cs.LG', 'stat.ML'][:rng.integers(0, 3)] for _ in range(n)]))

def _same(A, B):
    A, B = A.tocsr(), B.tocsr()
    assert A.shape == B.shape and np.array_equal(A.indptr, B.indptr) and np.array_equal(A.indices, B.indices)
    np.testing.assert_array_equal(A.data, B.data)

@pytest.mark.parametrize('which', ['odd', 'iclr'])
def test_parts_give_the_joined_texts_matrix(which, request):
    "vectorize and transform of `_text`'s list (read from its parts) equal those of the same strings in a plain list"
    df = _odd_frame() if which == 'odd' else request.getfixturevalue('iclr')
    t = R._text(df); assert t.parts and list(t) == [str(x) for x in t]
    for min_df in (1, 2):
        R._VEC_CACHE.clear(); X, v = R.vectorize(t, min_df=min_df)
        R._VEC_CACHE.clear(); Y, w = R.vectorize(list(t), min_df=min_df)
        assert list(v.names) == list(w.names) and X.nnz > 0
        np.testing.assert_array_equal(v.idf, w.idf); _same(X, Y)
        _same(v.transform(R._text(df.iloc[::3])), v.transform(list(R._text(df.iloc[::3]))))
    R._VEC_CACHE.clear()

def test_title_weighs_twice(iclr):
    "A title's words count twice, as in the joined text, though it is tokenized once"
    df = pd.DataFrame(dict(title=['regret bound'], summary=['sample complexity regret']))
    X, v = R.vectorize(R._text(df), min_df=1); R._VEC_CACHE.clear()
    tf = dict(zip(v.names[X.indices], X.data))
    assert tf['regret'] > tf['bound'] > tf['sample']           # 3 and 2 counts against 1 (same idf in one text)
    assert set(v.names) == {'regret', 'bound', 'regret bound', 'sample', 'complexity', 'sample complexity',
                            'complexity regret'}

def test_column_counts_are_scipys_counts():
    "Counts built column by column: scipy's own (row-sorted, duplicates summed) for ordered and unordered input"
    rng = np.random.default_rng(3); doc = np.sort(rng.integers(0, 200, 20_000)); col = rng.integers(0, 500, 20_000)
    want = sp.csr_matrix((np.ones(len(doc), np.float32), (doc, col)), shape=(200, 500)); want.sum_duplicates()
    for d, c in ((doc, col), (doc[::-1].copy(), col[::-1].copy())):        # documents in order, and not
        got = R._counts(d, c, 200, 500); _same(got, want)
        assert all((np.diff(got.indices[a:b]) > 0).all() for a, b in zip(got.indptr[:-1], got.indptr[1:]))
    w = rng.choice(np.array([1, 2], np.float32), len(doc))
    want_w = sp.csr_matrix((w, (doc, col)), shape=(200, 500)); want_w.sum_duplicates()
    _same(R._counts(doc, col, 200, 500, w), want_w)

def test_contains_reads_the_same_rows_from_pyarrow(iclr):
    "The keyword test on rows of one pyarrow array (a column of many chunks) is the test on the pandas column"
    pytest.importorskip('pyarrow')
    s = pd.concat([iclr.summary] * 3, ignore_index=True)
    s = s.astype('string[pyarrow]') if getattr(s.dtype, 'storage', None) != 'pyarrow' else s
    a = R._strings(s); assert not isinstance(a, pd.Series) and len(a) == len(s)
    rows = np.random.default_rng(0).random(len(s)) < 0.3
    for term in ('reinforcement learning', 'policy', 'graph'):
        got, want = R._contains(a, term, rows), R._contains(s, term, rows)
        np.testing.assert_array_equal(got, want); assert got.any()
    assert R._strings(s.astype(object)) is not None and isinstance(R._strings(s.astype(object)), pd.Series)
