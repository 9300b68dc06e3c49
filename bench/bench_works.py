"""Link N items (default 200,000) made by varying real captured records. Issue 13 §4 goal: < 5 s CPU for 200k items.

Baseline: a Python dict-based union-find over the same identifier edges (no title matching), the obvious loop.
Run: python bench/bench_works.py [--n 200000]   (needs MLNEWS_FIXTURES or shared/ beside the project)
"""
import argparse, resource, sys, time
from pathlib import Path
import numpy as np, pandas as pd
sys.path.insert(0, str(Path(__file__).parent.parent/'tests')); sys.path.insert(0, str(Path(__file__).parent))
from captures_week import week_items      # the captures read by the real parsers (same loader as the tests)
from mlnews_nb.works import link_works, _identifiers
from _summary import summary

def make(n:int, seed:int=0) -> pd.DataFrame:
    "n items: the captured items repeated with new ids/keys; 1 in 4 copies keeps its key (a re-mention), titles get a suffix"
    base = week_items(); rng = np.random.default_rng(seed); reps = -(-n // len(base))
    parts = []
    for r in range(reps):
        d = base.copy()
        if r:
            keep = rng.random(len(d)) < 0.25
            d['key'] = np.where(keep, d.key, d.key + f'-{r}')
            d['arxiv_id'] = d.arxiv_id.where(keep | d.arxiv_id.isna(), d.arxiv_id + f'.{r}')
            d['title'] = d.title.where(keep, d.title + f' part {r}')
            d['links_to'] = [l if k else [x + f'-{r}' for x in l] for l, k in zip(d.links_to, keep)]
        parts.append(d)
    return pd.concat(parts, ignore_index=True).iloc[:n]

def dict_union_find(items):
    ids = _identifiers(items); parent = {}
    def find(x):
        while parent.setdefault(x, x) != x: parent[x] = parent[parent[x]]; x = parent[x]
        return x
    for r, i in zip(ids.row, ids.ident): parent[find(('r', r))] = find(i)
    return len({find(('r', r)) for r in range(len(items))})

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--n', type=int, default=200_000); a = ap.parse_args()
    items = make(a.n); print(f'{len(items):,} items ({items.kind.value_counts().to_dict()})')
    t, c = time.perf_counter(), time.process_time(); w = link_works(items); tl, cl = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time(); nb = dict_union_find(items); tb, cb = time.perf_counter() - t, time.process_time() - c
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # check the output: every item key is in exactly one work, and title matching only ever merges identifier groups
    member = w['items'].explode()
    assert set(member) == set(items.key) and not member.duplicated().any() and len(w) <= nb, (len(w), nb)
    print(f'link_works: {cl:.2f} s CPU ({tl:.2f} s wall) -> {len(w):,} works (incl. title matching, mentions, buzz)')
    print(f'baseline dict union-find, identifiers only: {cb:.2f} s CPU -> {nb:,} groups; ratio link_works/baseline = {cl/cb:.2f}')
    print(f'peak RSS (whole process): {peak:,.0f} MB   goal: < 5 s CPU for 200k items -> {"OK" if cl < 5 else "MISSED"}')
    summary('bench_works', 'link 200k items into works < 5 s CPU (issue 13 §4)', f'dict union-find over identifiers only: {cb:.2f} s CPU',
            f'{len(items):,} items: {cl:.2f} s CPU ({cl/cb:.1f}x the baseline), {peak:,.0f} MB', cl < 5 and len(items) >= 200_000)
