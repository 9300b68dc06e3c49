"""`vectorize` tokenizes a run of `VEC_CHUNK` characters at a time (issue 13/15 rank speed, stop 24): the vocabulary
(its words, pairs, order and idf) and the TF-IDF matrix must not depend on where the runs break. Texts: the ICLR 2017
list (a real capture) and hand-made texts full of odd characters (typographic punctuation, Unicode spaces, control
characters, a lone surrogate, non-strings), hand-written because no capture holds all of them in a few rows."""
import numpy as np, pytest
from mlnews_nb import rank as R
from test_rank_queue import iclr   # ICLR 2017 (Paper Copilot capture)

ODD = ['', ' ', '\x01', '\x02', '\u2019', 'a\x01b', 'Regret\u2019s bound\u2014tight.', 'regret\xa0bound. Tight', None, 3.5,
       'naïve über-graph GRAPH\u3000learning, e.g. 3d l2 \ud800 x', '“Reinforcement” learning… (policy) bandits; regret',
       'the of a I x', 'state-of-the-art\u2028transformer \u2029 sample complexity', 'last words of the regret bound']

def vec(texts, chunk, monkeypatch, **kw):
    monkeypatch.setattr(R, 'VEC_CHUNK', chunk); R._VEC_CACHE.clear()
    try: return R.vectorize(texts, **kw)
    finally: R._VEC_CACHE.clear()

def same(a, b):
    (X1, v1), (X2, v2) = a, b
    assert list(v1.names) == list(v2.names) and np.array_equal(v1.pairs, v2.pairs)
    np.testing.assert_array_equal(v1.idf, v2.idf)
    assert X1.shape == X2.shape and np.array_equal(X1.indptr, X2.indptr) and np.array_equal(X1.indices, X2.indices)
    np.testing.assert_array_equal(X1.data, X2.data)

@pytest.mark.parametrize('chunk', [1, 50, 3000, 100_000])
def test_runs_do_not_change_the_matrix(iclr, chunk, monkeypatch):
    texts = ODD + R._text(iclr) + ODD
    whole = vec(texts, 10**12, monkeypatch, min_df=2)
    runs = len(R._bounds([t if isinstance(t, str) else '' for t in texts], chunk)) - 1
    assert runs > (1 if chunk < 100_000 else 0)   # it did break into runs
    same(whole, vec(texts, chunk, monkeypatch, min_df=2))
    same(vec(ODD, 10**12, monkeypatch, min_df=1), vec(ODD, chunk, monkeypatch, min_df=1))

def test_bounds_cover_every_text_once():
    texts = ['x' * k for k in (0, 5, 40, 0, 1, 100, 3)]
    for size in (1, 7, 41, 10**9):
        b = R._bounds(texts, size)
        assert b[0] == 0 and b[-1] == len(texts) and (np.diff(b) > 0).all()
    assert R._bounds([], 5).tolist() == [0, 0]
    X, v = R.vectorize([], min_df=1)
    assert X.shape == (0, 0) and len(v.names) == 0
