"""The triage queue's boundary card (issue 15, stop 23): with `QUEUE_BOUNDARY` = n, every n-th card of the head is the
undecided row the model is least sure of (its value nearest 0), so the decisions hold the boundary, not only the top."""
import numpy as np
from mlnews_nb import rank as R
from test_rank_queue import iclr, st   # ICLR 2017 with six saves and four skips: the queue tests' store

def test_every_nth_card_is_the_least_sure(iclr, st, monkeypatch):
    monkeypatch.setattr(R, 'QUEUE_BOUNDARY', 10)
    q = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY); head = q.head(R.QUEUE_HEAD); dec = set(R.labels(st).key)
    d = np.log(q.p_model / (1 - q.p_model)).abs()                       # the model's value, from its probability
    near = q.key.to_numpy()[np.argsort(d.to_numpy(), kind='stable')]; near = [k for k in near if k not in dec]
    shown = set()
    for i, k in enumerate(head.key):
        if (i + 1) % 10 == 0: assert k == next(c for c in near if c not in shown), i
        shown.add(k)
    assert not set(head.key) & dec and sorted(q.key) == sorted(iclr.key)

def test_off_is_the_queue_before(iclr, st, monkeypatch):
    monkeypatch.setattr(R, 'QUEUE_BOUNDARY', 0)
    q0 = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY).key.head(R.QUEUE_HEAD).tolist()
    monkeypatch.setattr(R, 'QUEUE_BOUNDARY', 10)
    q1 = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY).key.head(R.QUEUE_HEAD).tolist()
    assert q1 != q0 and q1[:9] == q0[:9]                                 # the first nine cards are the same
    monkeypatch.setattr(R, 'QUEUE_BOUNDARY', 0)
    assert R.QUEUE_BOUNDARY == 0 and R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY).key.head(R.QUEUE_HEAD).tolist() == q0

def test_boundary_cards_say_why(iclr, st, monkeypatch):
    "A boundary card's reason says the model is unsure (with its probability); no other row says so"
    monkeypatch.setattr(R, 'QUEUE_BOUNDARY', 10)
    q = R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY); head = q.head(R.QUEUE_HEAD)
    says = q.why.str.startswith('the model is unsure here')
    want = np.zeros(len(q), bool); want[[i for i in range(len(head)) if (i + 1) % 10 == 0]] = True
    np.testing.assert_array_equal(says.to_numpy(), want)
    for _, r in q[says].iterrows():
        assert f'(p {r.p_model:.2f})' in r.why and r.why.count(';') >= 1, r.why   # and the row's own reasons follow
    monkeypatch.setattr(R, 'QUEUE_BOUNDARY', 0)
    assert not R.rank(iclr, st, diverse=R.QUEUE_DIVERSITY).why.str.contains('model is unsure').any()
