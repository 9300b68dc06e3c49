"""link_works on integer codes: the union-find numbers components as scipy does, frames in many Arrow chunks link as in one,
the work key breaks ties by text, and a mention counts only for the work its link names. Real captures (week_items) where a
frame is needed; the graphs of the first test are random (seeded), checked against scipy's connected_components."""
import numpy as np, pandas as pd, pytest
from mlnews_nb.works import link_works, _components
from captures_week import week_items, hand_items

@pytest.fixture(scope='module')
def items(fix): return pd.concat([week_items(fix), hand_items()], ignore_index=True)

@pytest.mark.parametrize('seed', range(4))
def test_components_numbered_like_scipy(seed):
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    rng = np.random.default_rng(seed); n, m = 3000, 1200
    rows = np.r_[np.arange(n), rng.integers(0, n, 1500)]
    codes = np.r_[rng.permutation(m)[rng.integers(0, m, n)], rng.integers(0, m, 1500)]
    codes = np.unique(codes, return_inverse=True)[1]            # every identifier node linked to at least one row
    pairs = rng.integers(0, n, (300, 2))
    a, b = np.r_[rows, pairs[:, 0]], np.r_[codes + n, pairs[:, 1]]
    g = coo_matrix((np.ones(len(a), np.int8), (a, b)), shape=(n + codes.max() + 1,) * 2)
    want = connected_components(g, directed=False)[1][:n]
    got = _components(n, rows, codes, pairs)
    assert len(set(want)) > 10 and (got == want).all()

def test_many_chunks_link_as_one(items):
    # a frame concatenated from one-row pieces holds one Arrow chunk per row in each text column
    many = pd.concat([items.iloc[[i]] for i in range(len(items))], ignore_index=True)
    if hasattr(many.key.array, '__arrow_array__'): assert many.key.array.__arrow_array__().num_chunks > 100
    pd.testing.assert_frame_equal(link_works(many), link_works(items))

def test_work_key_ties_by_text(items):
    # one paper row carrying two arXiv identifiers of the same rank (its key and its arxiv_id): the smaller text wins
    p = items[(items.kind == 'paper') & items.arxiv_id.notna()].iloc[[0]].copy()
    p['key'] = 'arxiv:9999.99999'; w = link_works(p)
    assert w.work.tolist() == [min('arxiv:9999.99999', 'arxiv:' + p.arxiv_id.iloc[0])]
    p['key'] = 'arxiv:0000.00001'; assert link_works(p).work.tolist() == ['arxiv:0000.00001']

def test_mention_links_by_code(items):
    # a newsletter issue of its own (no arXiv id, no DOI, a plain URL) linking one known work and two unknown things
    nl = items[items.kind == 'newsletter'].iloc[[0]].copy(); me = 'url:https://newsletter.example/codes'
    nl = nl.assign(key=me, url='https://newsletter.example/codes', arxiv_id=np.nan, doi=np.nan)
    nl['links_to'] = [['arxiv:2403.16981', 'arxiv:0000.00000', 'url:https://nowhere.example/']]
    w = link_works(pd.concat([items, nl], ignore_index=True)).set_index('work')
    assert w.loc[me, 'items'] == [me] and w.loc[me, 'mentions'] == [me]     # a non-paper row is its work's mention too
    assert me in w.loc['arxiv:2403.16981', 'mentions']
    assert sorted(k for k, m in w.mentions.items() if me in m) == sorted(['arxiv:2403.16981', me])
