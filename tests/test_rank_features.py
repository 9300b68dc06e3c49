"The ranking model learns on the window's most frequent grams (issue 15): the columns, the row norms, the scores and reasons."
import numpy as np, pytest
import scipy.sparse as sp
from mlnews_nb.conferences import read_paperlist
from mlnews_nb.store import Store
from mlnews_nb import rank as R

@pytest.fixture(scope='module')
def iclr(fix):
    df = read_paperlist(fix/'conference_lists'/'papercopilot'/'iclr2017.json')
    return df.assign(keywords=[[]] * len(df)).reset_index(drop=True)

@pytest.fixture
def few_features(monkeypatch):
    monkeypatch.setattr(R, 'MODEL_FEATURES', 500); monkeypatch.setattr(R, 'FEATURES_PER_DECISION', 0)

def _store(df, saved, skipped=()):
    st = Store(':memory:'); st.add(df)
    for k in saved: st.decide(k, state='saved')
    for k in skipped: st.decide(k, state='skipped')
    return st

def test_model_learns_on_the_most_frequent_columns(iclr, few_features):
    rl = iclr.title.str.contains('(?i)reinforcement|policy')
    st = _store(iclr, iclr.key[rl][:5], iclr.key[~rl][:5])
    X, vocab = R.vectorize(R._text(iclr))
    m = R.train(R.labels(st), items=iclr, _vec=(X, vocab))
    df = np.bincount(X.indices, minlength=X.shape[1])
    assert len(m.cols) == 500 and df[m.cols].min() >= np.sort(df)[-500]       # no rarer column kept than one left out
    outside = np.setdiff1d(np.arange(X.shape[1]), m.cols)
    assert (m.coef[outside] == 0).all() and (m.coef[m.cols] != 0).any()
    # the score is the classifier's on the rows normalized again over the kept columns
    Xc = X[:, m.cols]; n = np.sqrt(np.asarray(Xc.multiply(Xc).sum(1)).ravel()); n[n == 0] = 1
    np.testing.assert_allclose(m.decision(X), m.clf.decision_function(sp.diags(1 / n) @ Xc), rtol=1e-4, atol=1e-5)

def test_terms_in_reasons_are_learned_columns(iclr, few_features):
    rl = iclr.title.str.contains('(?i)reinforcement')
    st = _store(iclr, iclr.key[rl][:6], iclr.key[~rl][:6])
    r = R.rank(iclr, st)
    m = R.train(R.labels(st), items=iclr, _vec=R.vectorize(R._text(iclr)))
    learned = set(m.vocab.names[m.cols])
    terms = [t for w in r.why for part in w.split('; ') if part.startswith('terms ') for t in part[6:].split(', ')]
    assert len(terms) > 300 and set(terms) <= learned
    assert r.why.str.contains('terms ').mean() > 0.9 and r.score.is_monotonic_decreasing

def test_small_window_keeps_every_column(iclr):
    X, vocab = R.vectorize(R._text(iclr.head(50)))
    assert X.shape[1] < R.MODEL_FEATURES and R._frequent(X, R.MODEL_FEATURES) is None
    st = _store(iclr.head(50), iclr.key[:2], iclr.key[2:4])
    m = R.train(R.labels(st), items=iclr.head(50), _vec=(X, vocab))
    assert m.cols is None and np.allclose(m.decision(X), m.clf.decision_function(X), atol=1e-5)

def test_more_columns_as_the_decisions_grow(iclr, monkeypatch):
    monkeypatch.setattr(R, 'MODEL_FEATURES', 500); monkeypatch.setattr(R, 'FEATURES_PER_DECISION', 100)
    rl = iclr.title.str.contains('(?i)reinforcement|policy'); vec = R.vectorize(R._text(iclr))
    few = R.train(R.labels(_store(iclr, iclr.key[rl][:2], iclr.key[~rl][:2])), items=iclr, _vec=vec)
    many = R.train(R.labels(_store(iclr, iclr.key[rl][:10], iclr.key[~rl][:10])), items=iclr, _vec=vec)
    assert len(few.cols) == 500 and len(many.cols) == 2000 and set(few.cols) <= set(many.cols)   # the most frequent first
