"The ranking model of issue 15: labels by index, learning from the first save, true reasons on every row, exclude/follow/code, similar, top."
import io, re
import numpy as np, pandas as pd, pytest
from mlnews_nb.conferences import read_paperlist
from mlnews_nb.cli import main
from mlnews_nb.core import MLNewsError
from mlnews_nb.store import Store
from mlnews_nb.works import link_works
from mlnews_nb.rank import (Profile, rank, labels, train, similar, top, has_code, set_profile, get_profile, vectorize,
                            _text, _stop_words)
from captures_week import week_items

@pytest.fixture(scope='module')
def iclr(fix):
    df = read_paperlist(fix/'conference_lists'/'papercopilot'/'iclr2017.json')
    return df.assign(keywords=[[]] * len(df)).reset_index(drop=True)

def _store(df, saved, skipped=()):
    st = Store(':memory:'); st.add(df)
    for k in saved: st.decide(k, state='saved')
    for k in skipped: st.decide(k, state='skipped')
    return st

def test_labels_read_only_decisions(iclr):
    st = _store(iclr, iclr.key[:3], iclr.key[3:5]); st.rate(iclr.key[6], 5); st.rate(iclr.key[7], 3)
    lab = labels(st)
    assert sorted(lab.key) == sorted([*iclr.key[:5], iclr.key[6]]) and lab.set_index('key').y.to_dict() == {**{k: 1 for k in iclr.key[:3]}, **{k: 0 for k in iclr.key[3:5]}, iclr.key[6]: 1}

def test_learns_from_first_save_alone(iclr):
    rl = iclr.title.str.contains('(?i)reinforcement|policy|reward')
    st = _store(iclr, iclr.key[rl][:1])                     # one save, no skip: one class only
    assert train(labels(st), items=iclr) is not None
    r = rank(iclr, st)
    assert r.p_model.notna().all()
    top20 = r[~r.key.isin(iclr.key[rl][:1])].head(20)
    assert top20.title.str.contains('(?i)reinforcement|policy|reward|agent').mean() > rl.mean() * 2

def _words(t):  # the words of a text as the model reads them, stop words kept (so a pair across one is not adjacent)
    return re.findall(r'[^\W_]+', t.lower().replace('’', ' '))

def test_every_row_has_a_true_reason(iclr):
    rl = iclr.title.str.contains('(?i)reinforcement')
    st = _store(iclr, iclr.key[rl][:6], iclr.key[~rl][:10]); set_profile(st, keywords=['policy'])
    r = rank(iclr, st)
    assert (r.why.str.len() > 0).all() and r.score.is_monotonic_decreasing
    assert r.why.str.contains('terms ').mean() > 0.9                 # not only the top 500: every row the model can speak for
    saved = set(iclr.title[rl][:6]); checked = 0
    for x in r.itertuples():
        words = _words(x.title + ' . ' + x.summary)
        pairs = {f'{a} {b}' for a, b in zip(words, words[1:])}
        for part in x.why.split('; '):
            if part.startswith('terms '):
                for t in part[6:].split(', '):
                    assert (t in pairs) if ' ' in t else (t in words), (t, x.title)
                    checked += 1
            if part.startswith('like "'): assert part[6:-1] in saved
            if part.startswith('keyword "'): assert re.search(r'(?i)\bpolicy\b', x.title + ' ' + x.summary)
    assert checked > 500

def test_no_pair_across_a_stop_word():
    X, v = vectorize(['the bound of regret is tight', 'regret bound, sample complexity'], min_df=1)
    assert 'regret bound' in set(v.names) and 'bound regret' not in set(v.names) and 'bound sample' not in set(v.names)
    assert not set(v.names) & _stop_words()

def test_exclude_follow_and_code(iclr):
    prof = Profile(keywords=['reinforcement learning'], exclude=['robot'], authors=['Sergey Levine'])
    r = rank(iclr, profile=prof)
    rob = r.title.str.contains(r"(?i)\brobot\b") | r.summary.str.contains(r"(?i)\brobot\b")
    assert rob.any() and r.index[rob].min() > r.index[~rob].max() - 0  # every excluded row below every other
    assert r[rob].why.str.contains('mentions excluded "robot"').all()
    lev = r.authors.map(lambda a: 'Sergey Levine' in a)
    assert lev.any() and r[lev & ~rob].index.max() < 20 and r[lev].why.str.contains('followed author Sergey Levine').all()
    dropped = rank(iclr, profile=prof, exclude='drop')
    assert len(dropped) == (~rob).sum()
    hf = pd.DataFrame(dict(key=['a', 'b', 'c'], title=['x', 'y', 'z'], summary=['', '', ''], url=['https://github.com/a/b', 'https://e.org', 'https://e.org'],
                           extra=[{}, {'github_repo': 'https://github.com/c/d', 'github_stars': 3}, {}]))
    assert has_code(hf).tolist() == [True, True, False]

def test_profile_fields_roundtrip():
    st = Store(':memory:')
    set_profile(st, keywords=['diffusion'], exclude=['medical', 'diffusion MRI'])
    assert list(get_profile(st).keywords) == ['diffusion'] and list(get_profile(st).exclude) == ['medical', 'diffusion MRI']
    from mlnews_nb.cli import cli_profile
    out = io.StringIO(); assert cli_profile(['--exclude', 'medical'], store=st, out=out) == 0
    assert 'exclude' in out.getvalue() and get_profile(st).exclude == ['medical'] and get_profile(st).keywords == ['diffusion']

def test_similar_window_and_store(iclr, tmp_path):
    st = Store(tmp_path/'s.sqlite'); st.add(iclr.iloc[200:])
    me = iclr.key[iclr.title.str.contains('Reinforcement')].iloc[0]
    s = similar(me, iclr.iloc[:200], st, k=8)
    assert me not in set(s.key) and len(s) == 8 and s.similarity.is_monotonic_decreasing and set(s['where']) == {'window', 'store'}
    with pytest.raises(MLNewsError): similar('url:https://nowhere.example/x', iclr.iloc[:200], st)
    st.close()
    out = io.StringIO()
    assert main(['similar', iclr.key.iloc[250], '--since', '36500d', '--store', str(tmp_path/'s.sqlite')], out=out) == 0
    assert 'similarity' in out.getvalue() and len(out.getvalue().splitlines()) > 3

def test_top_this_week(fix, tmp_path):
    items = week_items(fix); w = link_works(items)
    t = top(items, k=10)
    assert len(t) == min(10, (w.buzz > 0).sum()) and t.buzz.is_monotonic_decreasing and (t.counts.str.len() > 0).all()
    best = w.loc[w.buzz.idxmax()]
    assert t.work.iloc[0] == best.work and str(int(max(best.hn_points, best.reddit_score, best.hf_upvotes, best.newsletter_mentions))) in t.counts.iloc[0]
    st = Store(tmp_path/'t.sqlite'); st.add(items); st.close()
    out = io.StringIO()
    assert main(['top', '--since', '36500d', '-k', '5', '--store', str(tmp_path/'t.sqlite')], out=out) == 0
    assert t.title.iloc[0][:30] in out.getvalue()
