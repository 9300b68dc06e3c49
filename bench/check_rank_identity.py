"""Identity check for speed work on `rank` (issue 15): the vectorizer and `rank()` must give what a reference copy of
`mlnews_nb/rank.py` gives (same vocabulary names, idf, matrix up to float32 rounding; same frame: order, scores, `why`).

Cases: the bench's 50k items with 1,000 decisions, the ICLR 2017 list (store, profile, exclude, queue order), the week's
works, and hand-made texts full of odd characters (typographic punctuation, Unicode spaces, control characters,
surrogates). The reference's outputs are pickled next to it on the first run (it is the slow part).
Run: python bench/check_rank_identity.py --ref /path/to/old/rank.py [--quick]
"""
import argparse, hashlib, importlib.util, os, pickle, sys, time
sys.path.insert(0, os.path.dirname(__file__)); sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests'))
import numpy as np, pandas as pd
from mlnews_nb.conferences import read_paperlist
from mlnews_nb.testserver import fixtures_dir
from mlnews_nb.store import Store
from mlnews_nb import rank as R

def load_ref(path:str):
    spec = importlib.util.spec_from_file_location('mlnews_nb._rank_ref', path)
    m = importlib.util.module_from_spec(spec); sys.modules[spec.name] = m; spec.loader.exec_module(m)
    return m

ODD = (list('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') * 3
       + list(' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2005\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff')
       + list('.,;:!?()[]{}"\'-_/\\@#$%^&*+=<>|~`') + list('\x00\x01\x02\x03\x7f')
       + list('’‘“”—–…•·‐−×') + list('éÉßçÇøØıİﬁΣσςΩ中文字') + ['\U0001d400', '\U0001f600', '\ud800', '\udfff'])
WORDS = ['the', 'of', 'learning', 'regret', 'bound', 'sample', 'complexity', 'neural', 'A', 'I', 'x', 'über', 'naïve',
         'Reinforcement', 'GRAPH', 'transformer', 'e.g.', "it's", 'state-of-the-art', '3d', 'l2']

def odd_texts(n:int, seed:int) -> list:
    rng = np.random.default_rng(seed); out = []
    for _ in range(n):
        parts = []
        for _ in range(rng.integers(0, 40)):
            parts.append(WORDS[rng.integers(len(WORDS))] if rng.random() < 0.6
                         else ''.join(ODD[i] for i in rng.integers(0, len(ODD), rng.integers(1, 4))))
            parts.append(ODD[rng.integers(len(ODD))] if rng.random() < 0.3 else ' ')
        out.append(''.join(parts))
    # the last text has words: the reference's vectorize fails when the last text has none (reduceat past the end)
    return ['', ' ', '\x01', '\x02', '’', 'a\x01b', 'ab\u2019cd ef', 'x' * 3, None, 3.5] + out + ['last words']

def vec_out(mod, texts, **kw):
    mod._VEC_CACHE.clear()
    X, v = mod.vectorize(texts, **kw)
    X = X.tocsr(); return dict(names=np.asarray(v.names, object), idf=v.idf, indptr=X.indptr, indices=X.indices,
                                data=X.data, shape=X.shape)

def same_vec(a, b, what):
    assert a['shape'] == b['shape'], (what, a['shape'], b['shape'])
    assert list(a['names']) == list(b['names']), (what, 'names')
    np.testing.assert_allclose(a['idf'], b['idf'], rtol=1e-6, err_msg=what)
    assert np.array_equal(a['indptr'], b['indptr']) and np.array_equal(a['indices'], b['indices']), (what, 'structure')
    np.testing.assert_allclose(a['data'], b['data'], rtol=2e-6, atol=1e-7, err_msg=what)

def same_frame(a:pd.DataFrame, b:pd.DataFrame, what:str):
    stamp = lambda df: df.drop(columns=[c for c in df if c == 'fetched_at' or c.endswith('_seen')])   # the time of the run
    a, b = stamp(a), stamp(b)
    assert list(a.columns) == list(b.columns), (what, list(a.columns), list(b.columns))
    k = 'work' if 'work' in a else 'key'
    assert a[k].tolist() == b[k].tolist(), (what, 'order', int((a[k] != b[k]).sum()))
    assert a.why.tolist() == b.why.tolist(), (what, 'why', [(x, y) for x, y in zip(a.why, b.why) if x != y][:3])
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-5, atol=1e-7, obj=what)

def cases(quick:bool):
    fix = fixtures_dir()
    iclr = read_paperlist(fix/'conference_lists'/'papercopilot'/'iclr2017.json').reset_index(drop=True)
    def st_iclr():
        st = Store(':memory:'); st.add(iclr)
        st.mark(iclr.key[iclr.title.str.contains('Reinforcement')].tolist(), 'saved')
        st.mark(iclr.key[iclr.title.str.contains('Image')].tolist(), 'skipped')
        R.set_profile(st, keywords=['reinforcement learning', 'policy gradient'])
        return st
    prof = R.Profile(keywords=['reinforcement learning', 'graph'], exclude=['robot'], authors=['Sergey Levine'],
                     categories=['cs.LG'])
    out = {}
    out['vec odd'] = ('vec', lambda m: vec_out(m, odd_texts(400, 0), min_df=1))
    out['vec odd min_df 2'] = ('vec', lambda m: vec_out(m, odd_texts(3000, 1)))
    def transform_odd(m):
        m._VEC_CACHE.clear(); _, v = m.vectorize(odd_texts(300, 2) + m._text(iclr), min_df=1)
        X = v.transform([t for t in odd_texts(200, 3) if isinstance(t, str)] + m._text(iclr.head(300))).tocsr()
        return dict(names=np.asarray(v.names, object), idf=v.idf, indptr=X.indptr, indices=X.indices, data=X.data,
                    shape=X.shape)
    out['transform odd'] = ('vec', transform_odd)
    out['vec iclr'] = ('vec', lambda m: vec_out(m, m._text(iclr)))
    out['text iclr'] = ('eq', lambda m: m._text(iclr))
    out['profile_scores iclr'] = ('eq', lambda m: (lambda s, w: (s.tolist(), w))(*m.profile_scores(iclr, prof)))
    def odd_frame(obj):
        t = [x.replace('\ud800', '?').replace('\udfff', '?') if isinstance(x, str) else None for x in odd_texts(400, 11)]
        extra = ['Regret\xa0bound for the K-armed ſtate', 'REGRET \t\n BOUND', 'regret\x0bbound', 'Naïve über',
                 'sample-complexity and sample complexity', 'e.g. the state-of-the-art', 'graph\u2019s graphs']
        df = pd.DataFrame(dict(key=[f'k{i}' for i in range(len(t) + len(extra))], title=extra + t,
                               summary=(t + extra)[::-1]))
        df.loc[3, 'title'] = None; df.loc[5, 'summary'] = None
        return df.astype({'title': object, 'summary': object}) if obj else df
    kw = R.Profile(keywords=['regret bound', 'sample complexity', 'naïve', 'über', 'learning', 'state-of-the-art',
                             'e.g.', 'k', 'bound'], exclude=['graph', 'the state'])
    for obj in (False, True):
        out[f'profile_scores odd{" object" if obj else ""}'] = (
            'eq', lambda m, obj=obj: (lambda s, w: (s.tolist(), w))(*m.profile_scores(odd_frame(obj), kw)))
        out[f'mentions odd{" object" if obj else ""}'] = (
            'eq', lambda m, obj=obj: [m._mentions(odd_frame(obj), t).tolist() for t in kw.keywords + list(kw.exclude)])
        out[f'text odd{" object" if obj else ""}'] = ('eq', lambda m, obj=obj: m._text(odd_frame(obj)))
    out['rank iclr store'] = ('frame', lambda m: m.rank(iclr, st_iclr(), profile=R.Profile(authors=['Sergey Levine'])))
    out['rank iclr store profile'] = ('frame', lambda m: m.rank(iclr, st_iclr()))
    out['rank iclr profile'] = ('frame', lambda m: m.rank(iclr, profile=prof))
    out['rank iclr drop'] = ('frame', lambda m: m.rank(iclr, profile=prof, exclude='drop'))
    out['rank iclr queue'] = ('frame', lambda m: m.rank(iclr, st_iclr(), diverse=0.3))
    def works_case(m):
        from captures_week import week_items
        from mlnews_nb.works import link_works
        w = link_works(week_items(fix)); st = Store(':memory:'); st.add(week_items(fix))
        st.mark(w['items'].iloc[0][:1] + w['items'].iloc[3][:1], 'saved'); st.mark(w['items'].iloc[5][:1], 'skipped')
        return m.rank(w, st, profile=prof)
    out['rank works'] = ('frame', works_case)
    if not quick:
        from bench_rank import make_items, decided_store
        items = make_items(50_000)
        def big(m):
            st = decided_store(items, 1000); R.set_profile(st, keywords=['reinforcement learning', 'bandit', 'policy'])
            return m.rank(items, st)
        out['rank 50k'] = ('frame', big)
        out['vec 50k'] = ('vec', lambda m: vec_out(m, m._text(items)))
    return out

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--ref', required=True); ap.add_argument('--quick', action='store_true')
    ap.add_argument('--only', default='')
    a = ap.parse_args()
    ref = load_ref(a.ref); tag = hashlib.sha1(open(a.ref, 'rb').read()).hexdigest()[:10]
    cache = os.path.join(os.path.dirname(os.path.abspath(a.ref)), f'identity_{tag}.pkl')
    want = pickle.load(open(cache, 'rb')) if os.path.exists(cache) else {}
    ok = True
    for name, (kind, f) in cases(a.quick).items():
        if a.only and a.only not in name: continue
        if name not in want:
            np.random.seed(0)   # LinearSVC's dual solver shuffles with the global generator
            t = time.process_time(); want[name] = f(ref); print(f'  (reference {name}: {time.process_time() - t:.1f} s)')
            pickle.dump(want, open(cache, 'wb'))
        R._VEC_CACHE.clear(); np.random.seed(0); t = time.process_time(); got = f(R); dt = time.process_time() - t
        try:
            if kind == 'vec': same_vec(got, want[name], name)
            elif kind == 'frame': same_frame(got, want[name], name)
            else: assert got == want[name], name
            print(f'same      {name}  ({dt:.2f} s CPU)')
        except AssertionError as e:
            ok = False; print(f'DIFFERENT {name}: {str(e)[:600]}')
    print('IDENTICAL' if ok else 'NOT IDENTICAL'); sys.exit(0 if ok else 1)
