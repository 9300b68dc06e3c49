"""The triage queue's exploration (issue 15): every `QUEUE_EXPLORE`-th card of the head is the cold start's best undecided
row (the profile's keywords), so the reader's decisions hold skips near the profile, not only the model's own top."""
import numpy as np, pytest
from mlnews_nb.conferences import read_paperlist
from mlnews_nb.store import Store
from mlnews_nb import rank as R

@pytest.fixture(scope='module')
def iclr(fix):
    df = read_paperlist(fix/'conference_lists'/'papercopilot'/'iclr2017.json')
    return df.assign(keywords=[[]] * len(df)).reset_index(drop=True)

def _store(iclr, keywords):
    s = Store(':memory:'); s.add(iclr)
    rl = iclr.title.str.contains('(?i)reinforcement|policy')
    for k in iclr.key[rl][:6]: s.decide(k, state='saved')
    for k in iclr.key[~rl][:4]: s.decide(k, state='skipped')
    if keywords: R.set_profile(s, keywords=keywords)
    return s

def test_every_second_card_is_the_cold_starts(iclr, monkeypatch):
    monkeypatch.setattr(R, 'QUEUE_BOUNDARY', 0)         # the boundary card: tests/test_rank_boundary.py
    st = _store(iclr, ['generative model']); dec = set(R.labels(st).key)
    q = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY)
    cold = [k for k in R.rank(iclr, profile=R.Profile(keywords=['generative model']), explain=False).key if k not in dec]
    head = q.key.head(R.QUEUE_HEAD).tolist(); e = R.QUEUE_EXPLORE
    assert e >= 2 and not set(head) & dec
    shown = set()
    for i, k in enumerate(head):
        if (i + 1) % e == 0: assert k == next(c for c in cold if c not in shown), i   # the best cold-start row not shown
        shown.add(k)
    assert len(set(head[e - 1::e]) - set(R.rank(iclr, st).key.head(R.QUEUE_HEAD))) > 0   # cards the model ranks lower
    assert sorted(q.key) == sorted(iclr.key) and (q.iloc[R.QUEUE_HEAD:].score.diff().dropna() <= 0).all()

def test_the_other_cards_are_the_models(iclr, monkeypatch):
    monkeypatch.setattr(R, 'QUEUE_BOUNDARY', 0); monkeypatch.setattr(R, 'QUEUE_FAR', 0)   # tests/test_rank_qfar.py
    st = _store(iclr, ['generative model'])
    q = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY).key.head(R.QUEUE_HEAD).tolist()
    monkeypatch.setattr(R, 'QUEUE_EXPLORE', 0)
    plain = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY).key.tolist()
    mine = [k for i, k in enumerate(q) if (i + 1) % 2]
    assert mine == [k for k in plain if k in set(mine)] and mine[0] == plain[0]      # in the diverse head's order
    assert q != plain[:R.QUEUE_HEAD]

def test_no_keywords_no_exploration(iclr, monkeypatch):
    monkeypatch.setattr(R, 'QUEUE_BOUNDARY', 0)
    st = _store(iclr, None)
    q = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY).key.head(R.QUEUE_HEAD).tolist()
    monkeypatch.setattr(R, 'QUEUE_EXPLORE', 0)
    # the head only: below it, rows whose scores differ in the last digits may swap between two orders of the same fit
    assert q == R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY).key.head(R.QUEUE_HEAD).tolist()
