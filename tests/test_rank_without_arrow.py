"""Ranking without pyarrow (an install without the `bulk` extra): the plain-Python tokenizer gives the same tokens, so
the same matrix and the same ranking. Inputs: the ICLR 2017 Paper Copilot capture, plus hand-written texts that put the
characters the byte-level tokenizer treats specially (typographic punctuation, Unicode spaces, control characters, a lone
surrogate) where a capture has too few of them."""
import pickle, subprocess, sys
from pathlib import Path
import numpy as np, pandas as pd, pytest
from mlnews_nb.conferences import read_paperlist
from mlnews_nb import rank as R

ROOT = Path(__file__).parents[1]
ODD = ['Regret\u2019s bound\u2014tight', 'regret\xa0bound and\u3000sample\u2009complexity', 'a\x0bb regret\x1cbound',
       'state-of-the-art (e.g. regret) bounds; \u201csample complexity\u201d', 'caf\xe9 na\xefve \u00fcber', '', None,
       'x\x01y regret bound.', 'lone \ud800 surrogate bound', 'Reinforcement Learning \u2026 policy\u00b7gradient', '(a) b.']

@pytest.fixture(scope='module')
def iclr(fix): return read_paperlist(fix/'conference_lists'/'papercopilot'/'iclr2017.json').reset_index(drop=True)

def _grams(tok) -> tuple[list, list]:
    "Each text's words and word pairs (as text), from a tokenizer's output"
    wid, pi, toff, words = tok
    doc = np.repeat(np.arange(len(toff) - 1), np.diff(toff)); w = np.append(words, '')[wid]   # -1: no word
    uni = wid >= 0
    return (list(zip(doc[uni], w[uni])), list(zip(doc[pi], w[pi], w[pi + 1])))

def test_plain_tokens_are_the_arrow_tokens(iclr):
    "The same words and pairs in every text, and the words numbered alike (pyarrow keeps an empty token at a text's end)"
    texts = ODD + R._text(iclr) + ODD
    fast, plain = R._tokens(texts), R._tokens_py(texts)
    assert _grams(fast) == _grams(plain) and len(_grams(plain)[1]) > 10_000
    np.testing.assert_array_equal(fast[3], plain[3])
    X, v = R.vectorize(texts, min_df=1); R._VEC_CACHE.clear()
    tp = R._tokens
    try:
        R._tokens = R._tokens_py; X2, v2 = R.vectorize(texts, min_df=1); Z = v.transform(texts)
    finally: R._tokens = tp; R._VEC_CACHE.clear()
    assert list(v.names) == list(v2.names) and abs(X - X2).max() == 0 and abs(X - Z).max() < 1e-6

def test_no_pair_spans_two_texts(iclr):
    "A text's last word and the next text's first make no pair, though both are words"
    texts = R._text(iclr.head(50)); wid, pi, toff, w = R._tokens_py(texts)
    assert not np.isin(toff[1:-1] - 1, pi).any()          # no pair starts at a text's last token
    assert len(np.flatnonzero((wid[:-1] >= 0) & (wid[1:] >= 0))) > len(pi)

RUN = '''
import sys, pickle, tempfile
class NoBulk:   # an install without the bulk extra: importing pyarrow or duckdb fails, as when they are not there
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('pyarrow', 'duckdb'): raise ModuleNotFoundError(f'No module named {name!r}')
sys.meta_path.insert(0, NoBulk())
from mlnews_nb.conferences import read_paperlist
from mlnews_nb.store import Store
from mlnews_nb import rank as R
items = read_paperlist(sys.argv[1]).reset_index(drop=True)
st = Store(tempfile.mkdtemp() + '/s.sqlite'); st.add(items)
st.mark(items.key[items.title.str.contains('(?i)reinforcement|policy')].tolist()[:8], 'saved')
st.mark(items.key[items.title.str.contains('(?i)image|vision')].tolist()[:8], 'skipped')
R.set_profile(st, keywords=['reinforcement learning', 'exploration'])
X, v = R.vectorize(R._text(items))
r = R.rank(st.items(), st)
assert 'pyarrow' not in sys.modules
pickle.dump((X, list(v.names), v.idf, r[['key', 'score', 'why']]), open(sys.argv[2], 'wb'))
'''

def test_rank_without_pyarrow_is_the_same_ranking(fix, tmp_path):
    src = fix/'conference_lists'/'papercopilot'/'iclr2017.json'; out = tmp_path/'r.pkl'
    p = subprocess.run([sys.executable, '-c', RUN, str(src), str(out)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    X0, names0, idf0, r0 = pickle.load(open(out, 'rb'))
    items = read_paperlist(src).reset_index(drop=True)
    X, v = R.vectorize(R._text(items))
    assert names0 == list(v.names) and np.array_equal(idf0, v.idf) and abs(X0 - X).max() == 0
    assert r0.why.str.contains('terms ').mean() > 0.5 and r0.score.is_monotonic_decreasing
