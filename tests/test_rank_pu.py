"""Positive-unlabeled learning in `train` (issue 15, stop 22): the undecided rows are weak negatives, and they hold the
positives not found yet; a first fit names the `PU_TOP` share it scores highest, and a second fit leaves them out."""
import numpy as np, pytest
from mlnews_nb.conferences import read_paperlist
from mlnews_nb.store import Store
from mlnews_nb import rank as R

@pytest.fixture(scope='module')
def iclr(fix):
    df = read_paperlist(fix/'conference_lists'/'papercopilot'/'iclr2017.json')
    return df.assign(keywords=[[]] * len(df)).reset_index(drop=True)

def test_reliable_leaves_out_the_top_share(iclr, monkeypatch):
    X, _ = R.vectorize(R._text(iclr)); XL, XU = X[:10], X[10:]
    y = np.r_[np.ones(4), np.zeros(6)]; clf = R._fit(XL, y, XU)
    monkeypatch.setattr(R, 'PU_TOP', 0.1)
    keep = R._reliable(clf, XU); d = clf.decision_function(XU)
    assert abs((~keep).mean() - 0.1) < 0.01
    assert d[~keep].min() >= d[keep].max()                      # the ones left out are the first fit's highest
    monkeypatch.setattr(R, 'PU_TOP', 0.0)
    assert R._reliable(clf, XU).all()

def _decisions(iclr, pu:float, monkeypatch):
    "The model's values over the undecided rows, after 8 saves on reinforcement learning and 8 skips, and the topic"
    monkeypatch.setattr(R, 'PU_TOP', pu)
    rl = iclr.title.str.contains('(?i)reinforcement|policy|reward|agent').to_numpy()
    saves = iclr.key[rl][:8].tolist(); skips = iclr.key[~rl][:8].tolist()
    st = Store(':memory:'); st.add(iclr)
    for k in saves: st.decide(k, state='saved')
    for k in skips: st.decide(k, state='skipped')
    m = R.train(R.labels(st), items=iclr)
    X, _ = R.vectorize(R._text(iclr)); d = m.decision(X)
    und = ~iclr.key.isin(saves + skips).to_numpy()
    return d[und], rl[und]

def test_second_fit_lifts_the_unfound_positives(iclr, monkeypatch):
    # the rows the first fit scores highest are no negatives of the second: the on-topic ones among them rise
    d0, on = _decisions(iclr, 0.0, monkeypatch); d1, _ = _decisions(iclr, 0.1, monkeypatch)
    top = d0 >= np.quantile(d0, 0.9)
    z = lambda d: ((d - d.mean()) / d.std())[top & on].mean()    # in the spread of the undecided rows' values
    assert z(d1) > z(d0), (z(d0), z(d1))
