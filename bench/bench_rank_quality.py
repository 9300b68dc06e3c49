"""Ranking quality as a researcher meets it (issue 15): a simulated reader triages the first 10 undecided cards of the triage
queue (`triage.work_queue(items, store)`, the order the triage widget shows: `rank(works, store, diverse=QUEUE_DIVERSITY)`)
through `store.decide`, again and again; precision@20 of `rank(items, store)` over the papers still undecided after 10, 30 and 100 decisions,
mean of several orderings, against arxiv-sanity-lite's method on the same number of keyword-ranked decisions, in the same run.
A diagnostic row gives arxiv-sanity's method trained on rank's own decisions (what the interactive loop feeds a learner).

Readers (positives among the ~12.1k 2011-2025 Paper Copilot conference papers in ../shared/fixtures; the model sees only title
and abstract, the venue and everything else is blanked):
  colt   learning theory: COLT papers; profile ['regret bound', 'sample complexity', 'lower bound', 'PAC learning']
  corl   robot learning (another venue): CoRL papers; profile ['robot', 'manipulation', 'reinforcement learning', 'grasping']
  acl    natural language processing (a third venue): ACL papers (8.5%); profile ['machine translation', 'question answering',
         'parsing', 'named entity recognition']; the language-model papers of NeurIPS, ICLR and COLM are its hard negatives
  colm   a topic hidden from the profile: COLM 2024 papers (2.5%), the profile ['reasoning', 'alignment', 'evaluation',
         'benchmark'] names no language model, so the cold start brings reasoning and evaluation papers of every venue and
         the decisions must find the topic; the ACL papers (language, but before LLMs) are its hard negatives
  iclr   a guard against tuning to the four above (not in the default run): ICLR 2013, 2014 and 2017 papers (5.2%); profile
         ['representation learning', 'deep learning', 'neural network', 'generative model']; the deep-learning papers of
         NeurIPS and ICML of the same years are its hard negatives
  aistats held out (stop 21, never used to choose a setting; not in the default run): AISTATS 2023-2025 papers (13%);
         profile ['Bayesian', 'Gaussian process', 'causal inference', 'variational inference']; the statistical
         papers of the older AISTATS years, NeurIPS and ICML are its hard negatives
Honest harness: the labels reach the model only through `store.decide(key, state=...)`; `rank` reads them with `labels(store)`.
An "ordering" shuffles the order in which the items are handed to `rank` (ties break by position).

Run: python bench/bench_rank_quality.py [--quick] [--readers colt,corl,acl,colm] [--orderings 5] [--queue rank] [--jobs 2]
     [--set NAME=VALUE ...] (screening: a constant of mlnews_nb.rank set before the runs, say which in the output)
     [--first-ordering N] (orderings N.. only: a long run split in parts under load; each reader prints when done)
(`--queue rank` takes the queue from `rank(items, store, diverse=QUEUE_DIVERSITY)` directly: the same ranking over items
instead of works, a second faster per batch, for exploring; the table printed for the issue uses the triage queue)
"""
import argparse, os, re, sys, time
sys.path.insert(0, os.path.dirname(__file__))
from _summary import summary
import numpy as np, pandas as pd
from mlnews_nb.conferences import load_paperlists
from mlnews_nb.testserver import fixtures_dir
from mlnews_nb.store import Store
from mlnews_nb import rank as R
from mlnews_nb.triage import work_queue

ISSUE = {'rank (issue, before)': (0.55, 0.79, 0.88), 'arxiv-sanity (issue)': (0.70, 0.85, 0.90)}
READERS = {
    'colt': (lambda d: d.venue == 'COLT', ['regret bound', 'sample complexity', 'lower bound', 'PAC learning']),
    'corl': (lambda d: d.venue == 'CoRL', ['robot', 'manipulation', 'reinforcement learning', 'grasping']),
    'acl': (lambda d: d.venue == 'ACL', ['machine translation', 'question answering', 'parsing', 'named entity recognition']),
    'colm': (lambda d: d.venue == 'COLM', ['reasoning', 'alignment', 'evaluation', 'benchmark']),
    'iclr': (lambda d: d.venue == 'ICLR', ['representation learning', 'deep learning', 'neural network', 'generative model']),
    'aistats': (lambda d: (d.venue == 'AISTATS') & (d.year >= 2023),
                ['Bayesian', 'Gaussian process', 'causal inference', 'variational inference']),
}

def pool() -> pd.DataFrame:
    "The 2011-2025 conference papers, one row per key, with only title and abstract left for the model"
    df = load_paperlists(fixtures_dir()/'conference_lists'/'papercopilot')
    df = df[(df.year >= 2011) & (df.year <= 2025)].drop_duplicates('key').reset_index(drop=True)
    return df

def blind(df:pd.DataFrame) -> pd.DataFrame:
    "What the ranker may see: title and abstract (venue, year, authors, keywords, categories blanked)"
    n = len(df)
    return df.assign(venue=pd.Series([None] * n, dtype='str'), year=pd.Series([pd.NA] * n, dtype='Int64'), authors=[[]] * n,
                     keywords=[[]] * n, categories=[[]] * n, decision=pd.Series([None] * n, dtype='str'))

def md_table(tab:pd.DataFrame) -> str:
    "The issue's table layout: one row per method, one column per number of decisions"
    head = '| decisions | ' + ' | '.join(map(str, tab.columns)) + ' |'
    return '\n'.join([head, '|---' * (len(tab.columns) + 1) + '|'] + [f'| {i} | ' + ' | '.join(f'{v:.2f}' for v in r) + ' |' for i, r in tab.iterrows()])

def won_(tab:pd.DataFrame) -> bool: return bool((tab.loc['rank'] >= tab.loc['arxiv-sanity']).all())

def p_at(order_keys, truth_keys:set, k:int=20) -> float: return float(np.mean([x in truth_keys for x in list(order_keys)[:k]]))

def arxiv_sanity(texts:list, pos:np.ndarray) -> np.ndarray|None:
    "arxiv-sanity-lite: TF-IDF 1-2-grams (20k features), LinearSVC(C=0.1, balanced), tagged papers against all the others"
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC
    if not pos.any(): return None
    h = hash(tuple(texts))          # the texts of this ordering (the rows of X must follow it)
    X = arxiv_sanity.X if getattr(arxiv_sanity, 'h', None) == h else None
    if X is None:
        X = TfidfVectorizer(ngram_range=(1, 2), max_features=20_000, stop_words='english', sublinear_tf=True, norm='l2').fit_transform(texts)
        arxiv_sanity.X, arxiv_sanity.h = X, h
    return LinearSVC(C=0.1, class_weight='balanced', random_state=0).fit(X, pos.astype(int)).decision_function(X)

def queue(items:pd.DataFrame, st:Store, how:str='triage') -> list:
    "The keys of the undecided cards in the order the reader meets them"
    if how == 'triage':                 # the triage widget's queue (`TriageQueue` opens on its undecided works)
        q = work_queue(items, st); return q.key[q.state.fillna('new') == 'new'].tolist()
    dec = set(st.decided().key)
    return [k for k in R.rank(items, st, explain=False, diverse=R.QUEUE_DIVERSITY).key if k not in dec]

def run_reader(df:pd.DataFrame, truth:np.ndarray, keywords:list, *, steps=(10, 30, 100), orderings=5, batch=10,
               how:str='triage', seeds=None) -> pd.DataFrame:
    prof = R.Profile(keywords=keywords); rows = []
    seen = blind(df); texts = (df.title + ' ' + df.summary.fillna('')).tolist()
    for o in (range(orderings) if seeds is None else seeds):
        perm = np.random.default_rng(o).permutation(len(df)); items = seen.iloc[perm].reset_index(drop=True)
        tk = set(items.key[truth[perm]])
        st = Store(':memory:'); st.add(items); R.set_profile(st, keywords=keywords)
        decided: list = []
        # the keyword start, ranked once (it learns nothing): decisions for the anchor and the keyword row come from its top
        kw = R.rank(items, profile=prof, explain=False).key.tolist()
        for n in steps:
            while len(decided) < n:
                # the reader's queue is the triage face's (triage.work_queue: rank's diverse queue over the works)
                for k in queue(items, st, how)[:min(batch, n - len(decided))]:
                    st.decide(k, state='saved' if k in tk else 'skipped'); decided.append(k)
            und = set(decided)
            r = R.rank(items, st, explain=False)
            row = dict(ordering=o, decisions=n, rank=p_at([k for k in r.key if k not in und], tk))
            kd = set(kw[:n])
            s2 = Store(':memory:'); s2.add(items)
            for k in kw[:n]: s2.decide(k, state='saved' if k in tk else 'skipped')
            r2 = R.rank(items, s2, profile=prof, explain=False)
            row['rank on keyword decisions'] = p_at([k for k in r2.key if k not in kd], tk)
            pos = items.key.isin(kd & tk).to_numpy()
            a = arxiv_sanity([texts[i] for i in perm], pos)
            order = items.key.to_numpy()[np.argsort(-a, kind='stable')] if a is not None else kw
            row['arxiv-sanity'] = p_at([k for k in order if k not in kd], tk)
            # a diagnostic: arxiv-sanity's method on rank's own (interactive) decisions, over the same undecided papers
            a3 = arxiv_sanity([texts[i] for i in perm], items.key.isin(und & tk).to_numpy())
            row["arxiv-sanity on rank's decisions"] = p_at([k for k in items.key.to_numpy()[np.argsort(-a3, kind='stable')]
                                                            if k not in und], tk) if a3 is not None else np.nan
            row['keyword start'] = p_at([k for k in kw if k not in kd], tk)
            row['random'] = len(tk - und) / (len(items) - len(und))
            row['saves'] = sum(k in tk for k in decided)
            rows.append(row)
    return pd.DataFrame(rows)

_DF:list = []

def _one(arg:tuple) -> tuple[pd.DataFrame, float]:
    "One reader's runs (in a worker process with `--jobs`) and their wall time"
    name, n_ord, how, first = arg; df = _DF[0]; f, kws = READERS[name]; t = time.time()
    return run_reader(df, f(df).to_numpy(bool), kws, how=how, seeds=range(first, first + n_ord)), time.time() - t

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--quick', action='store_true'); ap.add_argument('--readers', default='colt,corl,acl,colm')
    ap.add_argument('--orderings', type=int, default=None); ap.add_argument('--queue', default='triage', choices=['triage', 'rank'])
    ap.add_argument('--jobs', type=int, default=1)
    ap.add_argument('--first-ordering', type=int, default=0,
                    help='orderings first..first+orderings-1: a long run split in parts (each part prints its tables)')
    ap.add_argument('--set', action='append', default=[], metavar='NAME=VALUE',
                    help="screening: set a constant of mlnews_nb.rank (e.g. QUEUE_EXPLORE=3) before the runs")
    a = ap.parse_args(); n_ord = a.orderings or (2 if a.quick else 5)
    import ast
    for kv in a.set:                    # the workers are forked after this: they inherit the setting
        k, v = kv.split('=', 1); assert hasattr(R, k), f'no constant {k} in mlnews_nb.rank'
        setattr(R, k, ast.literal_eval(v))
    t0 = time.time(); df = pool(); load0 = os.getloadavg()[0]; tabs = {}
    print(f'{len(df):,} conference papers 2011-2025; {n_ord} orderings per reader'
          + (f' (from ordering {a.first_ordering})' if a.first_ordering else '') + f'; load average {load0:.1f}'
          + (f"; settings {', '.join(a.set)}" if a.set else ''))
    names = a.readers.split(','); _DF.append(df); args = [(r, n_ord, a.queue, a.first_ordering) for r in names]
    if a.jobs > 1:                      # readers in parallel processes (forked: the pool of papers is inherited)
        from concurrent.futures import ProcessPoolExecutor
        import multiprocessing as mp
        ex = ProcessPoolExecutor(a.jobs, mp_context=mp.get_context('fork'))
        outs = ex.map(_one, args)       # each reader printed as soon as it (and those before it) is done
    else: outs = map(_one, args)
    for name, (res, secs) in zip(names, outs):
        f, kws = READERS[name]; truth = f(df).to_numpy(bool)
        tab = res.drop(columns='ordering').groupby('decisions').mean().T.round(3)
        print(f'\n## reader {name}: {truth.sum()} positives ({truth.mean():.1%}), profile {kws}; {secs:.0f} s')
        print(md_table(tab))
        tabs[name] = tab
        won = won_(tab)
        print(f'goal: rank >= arxiv-sanity at {list(tab.columns)} decisions -> {"MET" if won else "MISSED"}'
              + (f"; after 30 on COLT {tab.loc['rank', 30]:.2f} (target 0.90)" if name == 'colt' else ''), flush=True)
    cells = {r: int((t.loc['rank'] >= t.loc['arxiv-sanity']).sum()) for r, t in tabs.items()}   # screening: one count
    print(f"\ncells where rank >= arxiv-sanity: {sum(cells.values())} of {sum(t.shape[1] for t in tabs.values())} ("
          + ', '.join(f'{r} {c}' for r, c in cells.items()) + ')')
    done = 'colt' in tabs and won_(tabs['colt']) and any(won_(t) for r, t in tabs.items() if r != 'colt')
    print(f'\ndone-when (COLT and a second reader >= the anchor at every step): {"MET" if done else "MISSED"}')
    print(f'(issue 15 figures before this work: {ISSUE}); total {time.time() - t0:.0f} s; load average now {os.getloadavg()[0]:.1f}')
    fig = lambda row: '; '.join(f"{r} " + '/'.join(f'{v:.2f}' for v in t.loc[row]) for r, t in tabs.items())
    summary('bench_rank_quality', f'precision@20 of rank >= arxiv-sanity after 10/30/100 decisions, mean of {n_ord} orderings (issue 15)',
            'arxiv-sanity: ' + fig('arxiv-sanity'), 'rank: ' + fig('rank'),
            all((t.loc['rank'] >= t.loc['arxiv-sanity']).all() for t in tabs.values()))
