"The triage queue of issue 15: once a model learns, the head of `rank(..., diverse=)` mixes score and novelty (MMR)."
import numpy as np, pandas as pd, pytest
from mlnews_nb.conferences import read_paperlist
from mlnews_nb.store import Store
from mlnews_nb import rank as R
from mlnews_nb.triage import work_queue, _learned
from mlnews_nb.works import seen_memory

@pytest.fixture(scope='module')
def iclr(fix):
    df = read_paperlist(fix/'conference_lists'/'papercopilot'/'iclr2017.json')
    return df.assign(keywords=[[]] * len(df)).reset_index(drop=True)

@pytest.fixture(scope='module')
def st(iclr):
    s = Store(':memory:'); s.add(iclr)
    rl = iclr.title.str.contains('(?i)reinforcement|policy')
    for k in iclr.key[rl][:6]: s.decide(k, state='saved')
    for k in iclr.key[~rl][:4]: s.decide(k, state='skipped')
    R.set_profile(s, keywords=['reinforcement learning'])
    return s

def _redundancy(X, at, keys):
    "Mean over the cards of each one's largest TF-IDF cosine with the cards before it (what MMR keeps low)"
    M = X[[at[k] for k in keys]]; S = (M @ M.T).toarray()
    return float(np.mean([S[i, :i].max() for i in range(1, len(keys))]))

def test_queue_head_is_diverse(iclr, st, monkeypatch):
    monkeypatch.setattr(R, 'QUEUE_EXPLORE', 0)          # the keyword cards: tests/test_rank_explore.py
    monkeypatch.setattr(R, 'QUEUE_BOUNDARY', 0)         # the boundary card: tests/test_rank_boundary.py
    r, q = R.rank(iclr, st), R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY)
    assert sorted(q.key) == sorted(r.key) and q.queue.tolist() == list(range(len(q)))
    dec = set(R.labels(st).key); und = lambda d: [k for k in d.key if k not in dec]
    assert und(q)[0] == und(r)[0]                                               # the first card: the best by score
    assert set(und(q)[:R.QUEUE_HEAD]) == set(und(r)[:R.QUEUE_HEAD])             # the head: the best undecided rows
    X, _ = R.vectorize(R._text(iclr)); at = {k: i for i, k in enumerate(iclr.key)}
    for lam in (R.QUEUE_DIVERSITY, 0.7):
        qq = und(R.rank(iclr, st, diverse=lam))[:10]
        assert _redundancy(X, at, qq) <= _redundancy(X, at, und(r)[:10]), lam
    assert _redundancy(X, at, und(R.rank(iclr, st, diverse=0.7))[:10]) < _redundancy(X, at, und(r)[:10])

def test_decided_rows_leave_the_head(iclr, st):
    q = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY); dec = set(R.labels(st).key)
    head = q.key.head(R.QUEUE_HEAD)
    assert not head.isin(dec).any() and q.key.isin(dec).sum() == len(dec)
    assert (q.iloc[R.QUEUE_HEAD:].score.diff().dropna() <= 0).all()           # below the head: by score

def test_triage_shows_the_queue_order(iclr, st):
    w = seen_memory(iclr, st, keep_decided=True)
    lr = _learned(w, st); wq = work_queue(iclr, st)
    assert wq.work.head(20).tolist() == lr.work.head(20).tolist()
    assert not wq.rank_score.head(20).is_monotonic_decreasing                   # the head is not by score alone
