"""The profile prior in the score (issue 15, stop 25): after n decisions `rank`'s score is the model's standardized value plus
`PRIOR_WEIGHT · 10 / (10 + n)` times the cold start, so the keywords speak for few decisions and fade as they grow."""
import numpy as np, pytest
from mlnews_nb import rank as R
from mlnews_nb.conferences import read_paperlist
from mlnews_nb.store import Store

@pytest.fixture(scope='module')
def iclr(fix):
    df = read_paperlist(fix/'conference_lists'/'papercopilot'/'iclr2017.json')
    return df.assign(keywords=[[]] * len(df)).reset_index(drop=True)

def _store(iclr, n_save, n_skip):
    rl = iclr.title.str.contains('(?i)reinforcement|policy|reward').to_numpy()
    st = Store(':memory:'); st.add(iclr); R.set_profile(st, keywords=['reinforcement learning', 'exploration'])
    for k in iclr.key[rl][:n_save]: st.decide(k, state='saved')
    for k in iclr.key[~rl][:n_skip]: st.decide(k, state='skipped')
    return st

zs = lambda a: (a - a.mean()) / (a.std() or 1.0)

@pytest.mark.parametrize('n_save,n_skip', [(3, 7), (12, 28)])
def test_score_is_model_plus_shrunk_prior(iclr, n_save, n_skip):
    "The score, rebuilt from its parts: the model's value, the keyword cosine and the regex hits, the prior's weight"
    st = _store(iclr, n_save, n_skip); n = len(R.labels(st))
    r = R.rank(iclr, st, explain=False)
    d = np.log(r.p_model / (1 - r.p_model)).to_numpy(); start = zs(r.p_keywords.to_numpy()) + 0.5 * zs(r.p_profile.to_numpy())
    s = zs(d) + R.PRIOR_WEIGHT * 10 / (10 + n) * start
    np.testing.assert_allclose(4 * np.log(r.score / (1 - r.score)), s, rtol=1e-6, atol=1e-6)

def test_prior_off_is_the_model_alone(iclr, monkeypatch):
    "`prior_weight=0` (or `PRIOR_WEIGHT` 0) orders by the model's value alone; the default prior moves rows"
    st = _store(iclr, 3, 7)
    r0 = R.rank(iclr, st, explain=False, prior_weight=0)
    assert r0.p_model.is_monotonic_decreasing
    monkeypatch.setattr(R, 'PRIOR_WEIGHT', 0.0)
    assert R.rank(iclr, st, explain=False).key.tolist() == r0.key.tolist()
    monkeypatch.setattr(R, 'PRIOR_WEIGHT', 0.3)
    r1 = R.rank(iclr, st, explain=False)
    assert r1.key.head(50).tolist() != r0.key.head(50).tolist() and not r1.p_model.is_monotonic_decreasing

def test_prior_fades_with_the_decisions(iclr):
    "The same prior moves the top less after 40 decisions than after 10 (its weight 0.3 · 10 / 50 against 0.3 · 10 / 20)"
    def moved(st):
        a = R.rank(iclr, st, explain=False, prior_weight=0).key.head(30)
        b = R.rank(iclr, st, explain=False).key.head(30)
        return len(set(a) - set(b))
    assert moved(_store(iclr, 12, 28)) < moved(_store(iclr, 3, 7))
