"""Link N items (default 200,000) made by varying real captured records; goal < 10 s and < 2 GB peak RSS.

Baseline: a Python dict-based union-find over the same identifier edges (no title matching), the obvious loop.
Run: python bench/bench_works.py [--n 200000]   (needs MLNEWS_FIXTURES or shared/ beside the project)
"""
import argparse, resource, time
import numpy as np, pandas as pd
from mlnews_nb.captures import capture_items
from mlnews_nb.works import link_works, _identifiers

def make(n:int, seed:int=0) -> pd.DataFrame:
    "n items: the captured items repeated with new ids/keys; 1 in 4 copies keeps its key (a re-mention), titles get a suffix"
    base = capture_items(); rng = np.random.default_rng(seed); reps = -(-n // len(base))
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
    t = time.perf_counter(); w = link_works(items); tl = time.perf_counter() - t
    t = time.perf_counter(); nb = dict_union_find(items); tb = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f'link_works: {tl:.2f} s -> {len(w):,} works (incl. title matching, mentions, buzz)')
    print(f'baseline dict union-find, identifiers only: {tb:.2f} s -> {nb:,} groups; ratio link_works/baseline = {tl/tb:.2f}')
    print(f'peak RSS (whole process): {peak:,.0f} MB   goals: < 10 s, < 2048 MB -> {"OK" if tl < 10 and peak < 2048 else "MISSED"}')
