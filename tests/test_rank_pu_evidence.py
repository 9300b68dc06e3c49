"""The positive-unlabeled share tied to the evidence (issue 15, stop 23): `PU_PER_SAVE` weak negatives left out of the
second fit per save, at most `PU_MAX`; the first fit, which only scores them, learns on a sample of `PU_FIRST`."""
import numpy as np
from mlnews_nb.store import Store
from mlnews_nb import rank as R
from test_rank_queue import iclr   # ICLR 2017, author keywords cleared

def test_share_grows_with_the_saves(monkeypatch):
    monkeypatch.setattr(R, 'PU_PER_SAVE', 15.0); monkeypatch.setattr(R, 'PU_MAX', 0.1)
    s = [R._pu_share(n, 12_000) for n in (0, 4, 20, 70, 200)]
    assert s[0] == 0 and all(a < b for a, b in zip(s[:4], s[1:4]))       # more saves, more left out
    assert abs(s[2] - 15 * 20 / 12_000) < 1e-12 and s[4] == 0.1             # per save, up to the cap
    assert R._pu_share(5, 0) == 0
    monkeypatch.setattr(R, 'PU_PER_SAVE', 0.0); monkeypatch.setattr(R, 'PU_TOP', 0.07)
    assert R._pu_share(70, 12_000) == 0.07                                  # off: the fixed share

def _model(iclr, monkeypatch, per_save:float, n_saves:int):
    monkeypatch.setattr(R, 'PU_PER_SAVE', per_save); monkeypatch.setattr(R, 'PU_FIRST', 100)
    rl = iclr.title.str.contains('(?i)reinforcement|policy|reward|agent').to_numpy()
    st = Store(':memory:'); st.add(iclr)
    for k in iclr.key[rl][:n_saves]: st.decide(k, state='saved')
    for k in iclr.key[~rl][:8]: st.decide(k, state='skipped')
    return R.train(R.labels(st), items=iclr), rl

def test_second_fit_runs_only_with_a_share(iclr, monkeypatch):
    calls = []; fit = R._fit
    monkeypatch.setattr(R, '_fit', lambda *a, **k: calls.append(a[2].shape[0]) or fit(*a, **k))
    _model(iclr, monkeypatch, 0.0, 8); assert len(calls) == 1                 # off: one fit on every weak negative
    n = calls[0]; calls.clear()
    _model(iclr, monkeypatch, 15.0, 8)
    out = min(0.1 * n, 15 * 8)                                              # 15 per save, at most 10% (the cap)
    assert calls[0] == 100 and abs(calls[1] - (n - out)) <= 1, (n, calls)    # sample, then all but those

def test_per_save_share_lifts_the_unfound_positives(iclr, monkeypatch):
    X, _ = R.vectorize(R._text(iclr))
    (m0, rl), (m1, _) = _model(iclr, monkeypatch, 0.0, 8), _model(iclr, monkeypatch, 15.0, 8)
    d0, d1 = m0.decision(X), m1.decision(X)
    top = d0 >= np.quantile(d0, 0.9); z = lambda d: ((d - d.mean()) / d.std())[top & rl].mean()
    assert z(d1) > z(d0), (z(d0), z(d1))
