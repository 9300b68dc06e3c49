"""Train on decisions and score N items (default 50,000) made from real Paper Copilot records; goal < 10 s.

Baseline: the keyword-only profile score (str.contains per keyword), the cheapest ranking.
Run: python bench/bench_rank.py [--n 50000] [--decisions 1000]
"""
import argparse, resource, time
import pandas as pd
from mlnews_nb.conferences import read_paperlist
from mlnews_nb.testserver import fixtures_dir
from mlnews_nb.store import Store
from mlnews_nb.rank import Profile, rank, labels, train

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--n', type=int, default=50_000); ap.add_argument('--decisions', type=int, default=1000)
    a = ap.parse_args()
    pc = sorted((fixtures_dir()/'conference_lists'/'papercopilot').glob('*.json'))
    base = pd.concat([read_paperlist(p) for p in pc], ignore_index=True).drop_duplicates('key')
    reps = -(-a.n // len(base))
    items = pd.concat([base.assign(key=base.key + f'#{r}') for r in range(reps)], ignore_index=True).iloc[:a.n]
    print(f'{len(items):,} items from {len(base):,} real Paper Copilot records')
    prof = Profile(keywords=['reinforcement learning', 'bandit', 'policy'])
    st = Store(':memory:'); dec = items.sample(a.decisions, random_state=0); st.add(dec)
    y = dec.title.str.contains('(?i)reinforcement|bandit|policy|reward')
    st.mark(dec.key[y].tolist(), 'saved'); st.mark(dec.key[~y].tolist(), 'skipped')
    t = time.perf_counter(); m = train(labels(st)); tt = time.perf_counter() - t
    t = time.perf_counter(); r = rank(items, profile=prof, model=m); ts = time.perf_counter() - t
    t = time.perf_counter(); k = rank(items, profile=prof); tk = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f'train on {a.decisions} decisions: {tt:.2f} s; score + explain {len(items):,} items: {ts:.2f} s; total {tt+ts:.2f} s')
    print(f'baseline keyword-only: {tk:.2f} s; ratio learned/keyword-only = {(tt+ts)/tk:.1f}')
    print(f'peak RSS: {peak:,.0f} MB   goal: < 10 s -> {"OK" if tt + ts < 10 else "MISSED"}')
