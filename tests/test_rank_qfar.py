"""The triage queue's far card (issue 15, stop 24): with `QUEUE_FAR` = n, every n-th card of the head (a boundary card's
place excepted) is, of the `QUEUE_FAR_TOP` best undecided rows, the one least like any decided row: the model ranks it high
on the least evidence, so the reader's decision checks the top of the ranking where no decision has reached yet."""
import numpy as np, re, pytest
from mlnews_nb import rank as R
from test_rank_queue import iclr, st   # ICLR 2017 with six saves and four skips: the queue tests' store

@pytest.fixture(autouse=True)
def _far_from_the_first(monkeypatch):
    "The store here holds ten decisions: far cards from the first decision on (the product waits for `QUEUE_FAR_AFTER`)"
    monkeypatch.setattr(R, 'QUEUE_FAR_AFTER', 0)

def _closest(iclr, st):
    "Each row's largest TF-IDF cosine with a decided row (computed here from `vectorize`, not from the queue)"
    X, _ = R.vectorize(R._text(iclr)); dec = iclr.key.isin(set(R.labels(st).key)).to_numpy()
    return dict(zip(iclr.key, (X @ X[np.flatnonzero(dec)].T).max(axis=1).toarray().ravel())), dec

def test_every_nth_card_is_the_least_covered_of_the_top(iclr, st, monkeypatch):
    monkeypatch.setattr(R, 'QUEUE_FAR', 5); monkeypatch.setattr(R, 'QUEUE_BOUNDARY', 10)
    q = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY); head = q.key.head(R.QUEUE_HEAD).tolist()
    cos, dec = _closest(iclr, st); dk = set(iclr.key[dec])
    top = [k for k in q.sort_values('score', ascending=False, kind='stable').key if k not in dk][:R.QUEUE_FAR_TOP]
    assert not set(head) & dk and sorted(q.key) == sorted(iclr.key)
    shown, n = set(), 0
    for i, k in enumerate(head):
        if (i + 1) % 5 == 0 and (i + 1) % 10 and any(t not in shown for t in top):
            left = [t for t in top if t not in shown]
            assert k in left and np.isclose(cos[k], min(cos[t] for t in left)), i   # the least covered of the top left
            n += 1
        shown.add(k)
    assert n >= 1
    assert min(cos[k] for k in top) < np.median([cos[k] for k in top])              # the top is not all alike

def test_far_cards_say_why(iclr, st, monkeypatch):
    "A far card's reason says so, with its closest cosine (true: recomputed here), then the row's own reasons"
    monkeypatch.setattr(R, 'QUEUE_FAR', 5); monkeypatch.setattr(R, 'QUEUE_BOUNDARY', 10)
    q = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY); cos, _ = _closest(iclr, st)
    says = q.why.str.startswith('ranked high but unlike anything you decided')
    assert says.any()
    for i in np.flatnonzero(says):
        assert (i + 1) % 5 == 0 and (i + 1) % 10 and i < R.QUEUE_HEAD, i
        c = float(re.search(r'closest cosine ([0-9.]+)', q.why[i]).group(1))
        assert abs(c - cos[q.key[i]]) < 0.006 and q.why[i].count(';') >= 1, q.why[i]
    monkeypatch.setattr(R, 'QUEUE_FAR', 0)
    assert not R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY).why.str.contains('unlike anything you decided').any()

def test_off_is_the_queue_before(iclr, st, monkeypatch):
    "Off: the queue of stop 23; on: the same first cards, then another order"
    monkeypatch.setattr(R, 'QUEUE_FAR', 0)
    q0 = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY).key.head(R.QUEUE_HEAD).tolist()
    monkeypatch.setattr(R, 'QUEUE_FAR', 5)
    q1 = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY).key.head(R.QUEUE_HEAD).tolist()
    assert q1 != q0 and q1[:4] == q0[:4]

def test_nothing_decided_no_far_card(iclr):
    "Without a decision there is no model and no far card (the cold start's order)"
    from mlnews_nb.store import Store
    s = Store(':memory:'); s.add(iclr); R.set_profile(s, keywords=['reinforcement learning'])
    assert not R.rank(iclr, s, diverse=R.QUEUE_DIVERSITY).why.str.contains('unlike anything you decided').any()

def test_no_far_card_before_enough_decisions(iclr, st, monkeypatch):
    "With fewer decisions than `QUEUE_FAR_AFTER` every row is far from them: the queue is the one without far cards"
    monkeypatch.setattr(R, 'QUEUE_FAR', 0)
    q0 = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY).key.tolist()
    monkeypatch.setattr(R, 'QUEUE_FAR', 5); monkeypatch.setattr(R, 'QUEUE_FAR_AFTER', len(R.labels(st)) + 1)
    q1 = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY)
    assert q1.key.tolist() == q0 and not q1.why.str.contains('unlike anything you decided').any()
    monkeypatch.setattr(R, 'QUEUE_FAR_AFTER', len(R.labels(st)))
    assert R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY).why.str.contains('unlike anything you decided').any()
