"""The ranking's tokenizer and its fast paths (issue 15's speed row): what they must keep equal to the plain definitions.

The texts below are hand-written: they put the characters the byte-level tokenizer treats specially (typographic
punctuation, Unicode spaces, control characters, lone surrogates) where a real capture has too few of them to test."""
import re, sys
import numpy as np, pandas as pd, pytest
import pyarrow as pa, pyarrow.compute as pc
import scipy.sparse as sp
from mlnews_nb.conferences import read_paperlist
from mlnews_nb import rank as R

ODD = ['Regret\u2019s bound\u2014tight', 'regret\xa0bound and\u3000sample\u2009complexity', 'a\x0bb regret\x1cbound',
       'state-of-the-art (e.g. regret) bounds; \u201csample complexity\u201d', 'caf\xe9 na\xefve \u00fcber', '',
       'x\x01y regret bound', 'lone \ud800 surrogate bound', 'Reinforcement Learning \u2026 policy\u00b7gradient']

@pytest.fixture(scope='module')
def iclr(fix):
    df = read_paperlist(fix/'conference_lists'/'papercopilot'/'iclr2017.json')
    return df.reset_index(drop=True)

def test_unicode_breaks_are_every_space_pyarrow_and_python_know():
    "The byte-level breaks cover every non-ASCII character Python and pyarrow treat as whitespace"
    cps = [c for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    py = {chr(c) for c in cps if chr(c).isspace()}
    n = pc.list_value_length(pc.utf8_split_whitespace(pa.array(['a' + chr(c) + 'b' for c in cps]))).to_numpy()
    arrow = {chr(c) for c, k in zip(cps, n) if k != 1}
    assert set(R._UNI_SPACE) == py == arrow

def _plain_tokens(t:str) -> list[str]:
    "The tokenizer's definition, one text at a time in plain Python (what the vectorized one must reproduce)"
    b = t.replace('\x01', ' ').encode('utf-8', 'surrogatepass').translate(R._TAB).decode('utf-8', 'replace')
    for c in R._UNI_PUNCT + R._UNI_SPACE: b = b.replace(c, ' ')
    return b.split()

def _plain_grams(t:str) -> list[str]:
    stop = R._stop_words(); toks = _plain_tokens(t); out = []
    ok = [len(w.strip('\x02')) >= 2 and '\x02' not in w.strip('\x02') and w.strip('\x02') not in stop for w in toks]
    out += [w.strip('\x02') for w, k in zip(toks, ok) if k]
    out += [f"{a.strip(chr(2))} {b.strip(chr(2))}" for a, b, ka, kb in zip(toks, toks[1:], ok, ok[1:])
            if ka and kb and not a.endswith('\x02') and not b.startswith('\x02')]
    return out

def test_grams_match_the_plain_definition(iclr):
    texts = ODD + R._text(iclr.head(60))
    X, v = R.vectorize(texts, min_df=1)
    for i, t in enumerate(texts):
        want = pd.Series(_plain_grams(t)).value_counts() if _plain_grams(t) else pd.Series(dtype=int)
        row = X[i]; got = set(v.names[row.indices])
        assert got == set(want.index), (t, got ^ set(want.index))
    assert {'regret bound', 'sample complexity', 'policy', 'gradient'} <= set(v.names)
    assert 'bound tight' in set(v.names) and 'regret bound' in set(v.names)   # a dash breaks words, not pairs
    assert not {'s bound', 'regret s', 'regret tight'} & set(v.names)           # one letter breaks a pair

def test_transform_of_the_fitted_texts_is_the_fitted_matrix(iclr):
    texts = R._text(iclr) + ODD
    X, v = R.vectorize(texts, min_df=1)
    Y = v.transform(texts)
    assert (abs(X - Y) > 1e-6).nnz == 0 and X.nnz == Y.nnz > 0
    # a vocabulary fitted on part of the texts reads the rest in its own columns only
    X2, v2 = R.vectorize(texts[:200]); Z = v2.transform(texts[200:])
    assert Z.shape == (len(texts) - 200, len(v2.idf)) and Z.nnz > 0
    names = set(v2.names)
    for i in (0, 50, 150):
        j = 200 + i
        assert set(v2.names[Z[i].indices]) == set(v.names[X[j].indices]) & names

def test_gram_names_and_empty_inputs():
    X, v = R.vectorize(['regret bound of bandits', 'bandits regret bound'], min_df=1)
    np.testing.assert_array_equal(v.gram_names(np.arange(len(v.idf))[::-1]), v.names[::-1])
    assert all(' ' not in n for n in v.words) and len(v.names) == len(v.words) + len(v.pairs)
    X2, v2 = R.vectorize(['regret bound', 'regret bound', 'policy', ''], min_df=2)   # a rare gram, an empty last text
    assert list(v2.names) == ['regret', 'bound', 'regret bound'] and X2.shape == (4, 3) and X2[3].nnz == X2[2].nnz == 0
    E, ve = R.vectorize([], min_df=1)
    assert E.shape == (0, 0) and len(ve.names) == 0
    Z = v.transform(['', 'regret bound'])
    assert Z[0].nnz == 0 and set(v.names[Z[1].indices]) == {'regret', 'bound', 'regret bound'}

def test_top_terms_are_the_k_largest_with_ties_by_column():
    rng = np.random.default_rng(0)
    C = sp.random(300, 80, density=0.2, random_state=1, format='csr', dtype=np.float32)
    C.data = rng.choice(np.array([-1, 0.5, 1, 2, 2, 3], np.float32), C.nnz)      # many ties
    names = np.array([f'g{j}' for j in range(80)], dtype=object)
    got = R._top_terms(C, names)
    for i in range(C.shape[0]):
        r = C[i]; order = sorted((-v, j) for v, j in zip(r.data, r.indices) if v > 0)[:3]
        assert got[i] == [names[j] for _, j in order]
    assert R._top_terms(C, lambda cols: names[cols]) == got

def test_contains_is_pandas_str_contains():
    "The keyword test on candidate rows gives what pandas' str.contains gives on every row (str and object columns)"
    titles = pd.Series([t.replace('\ud800', '?') for t in ODD]
                       + ['REGRET BOUND', 'regret\nbound', 'Regrets bound', None, 'ſample complexity', 'K-armed'])
    for s in (titles, titles.astype(object)):
        low = R._lower(pd.DataFrame(dict(title=s, summary=s[::-1].to_numpy())))
        for term in ('regret bound', 'sample complexity', 'bound', 'k', 'naïve', 'e.g.'):
            rows = R._maybe(low, term)
            want = s.fillna('').str.contains(R._kw_re(term), regex=True).to_numpy(bool)
            np.testing.assert_array_equal(R._contains(s, term, rows), want & rows)
            assert (want <= rows).all() or term == 'k'   # the prefilter keeps every match (bar case-folding oddities)
