"""Decision latency of the triage widget with a large queue, without a browser.

Builds N items (default 10,000), adds them to a file-backed store in a temp dir, builds the widget, then clicks the Save/Skip
buttons in-process: each sample is click handler -> decision committed to SQLite -> next card rendered into the widget.
Prints median and p95 (goal: median < 50 ms), the baseline of a bare `store.decide` on the same store (the floor: one committed
transaction), the ratio, the time to build the widget, and peak memory (tracemalloc for Python objects, ru_maxrss for the process).

    python bench/bench_triage.py            # 10,000 items, 300 decisions
    python bench/bench_triage.py --n 50000 --clicks 1000
"""
import argparse, os, resource, statistics, sys, tempfile, time, tracemalloc
from pathlib import Path
import numpy as np, pandas as pd

def make_items(n:int) -> pd.DataFrame:
    from mlnews_nb.core import to_items
    rng = np.random.default_rng(0)
    words = 'attention diffusion transformer scaling sparse mixture experts vision language agent reward model tokens'.split()
    recs = [dict(arxiv_id=f'24{(i // 100000) % 12 + 1:02d}.{i % 100000:05d}', title=' '.join(rng.choice(words, 8)).capitalize(),
                 summary=' '.join(rng.choice(words, 120)), authors=[f'Author {j}' for j in range(rng.integers(1, 12))],
                 published=pd.Timestamp('2024-06-01', tz='UTC') - pd.Timedelta(minutes=int(i)), score=int(rng.integers(0, 300)),
                 categories=['cs.LG']) for i in range(n)]
    return to_items(recs, source='arxiv', kind='paper')

def pct(xs, q): return float(np.percentile(xs, q))

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n', type=int, default=10_000, help='items in the queue')
    ap.add_argument('--clicks', type=int, default=300, help='decisions to time')
    a = ap.parse_args(argv)
    os.environ['MLNEWS_HOME'] = tempfile.mkdtemp(prefix='mlnews-bench-')
    from mlnews_nb.store import Store
    from mlnews_nb.triage import triage

    items = make_items(a.n)
    st = Store(Path(os.environ['MLNEWS_HOME'])/'store.sqlite')
    t0 = time.perf_counter(); st.add(items); t_add = time.perf_counter() - t0
    import ipywidgets, ipyevents  # noqa: F401  (imported once per kernel: not part of building a queue)
    from mlnews_nb.triage import TriageQueue, TriageWidget
    t0 = time.perf_counter(); df = st.items(); t_read = time.perf_counter() - t0
    t0 = time.perf_counter(); q = TriageQueue(df, st, ranking='score'); t_queue = time.perf_counter() - t0
    t0 = time.perf_counter(); w = TriageWidget(q); t_widget = time.perf_counter() - t0
    t_build = t_read + t_queue + t_widget
    assert len(w.q) == a.n, len(w.q)
    # fresh items (no triage columns): the queue adds them and reads their triage back by keyed store queries
    t0 = time.perf_counter(); q2 = TriageQueue(items, st, ranking='score'); t_fresh = time.perf_counter() - t0
    assert len(q2) == a.n
    # memory on its own pass: tracing slows every allocation, so it is never on while timing
    tracemalloc.start(); triage(st.items(), st, ranking='score'); _, peak = tracemalloc.get_traced_memory(); tracemalloc.stop()

    lat = []
    for i in range(a.clicks):
        w.note.value = f'summary {i}' if i % 3 == 0 else ''
        b = w.buttons['save' if i % 3 == 0 else 'skip']
        t0 = time.perf_counter(); b.click(); lat.append((time.perf_counter() - t0) * 1000)
    assert w.q.pos == a.clicks and w.card.value, 'the widget did not advance'
    got = st.items(keys=w.q.df.key.iloc[:a.clicks].tolist())
    assert set(got.state) == {'saved', 'skipped'}, 'decisions not committed'

    # baseline: the floor, one committed store.decide on the same file with nothing else
    keys = w.q.df.key.iloc[a.clicks:2 * a.clicks].tolist()
    base = []
    for k in keys:
        t0 = time.perf_counter(); st.decide(k, state='skipped'); base.append((time.perf_counter() - t0) * 1000)
    # moving without deciding (next), and keeping a typed summary on the way (next with a changed note)
    nxt, kept = [], []
    for i in range(min(100, a.clicks)):
        t0 = time.perf_counter(); w.buttons['next'].click(); nxt.append((time.perf_counter() - t0) * 1000)
        w.note.value = f'kept {i}'                                        # typed, not decided: Next keeps it
        t0 = time.perf_counter(); w.buttons['next'].click(); kept.append((time.perf_counter() - t0) * 1000)
    # undo latency, for completeness
    und = []
    for _ in range(min(50, a.clicks)):
        t0 = time.perf_counter(); w.buttons['undo'].click(); und.append((time.perf_counter() - t0) * 1000)

    med, p95, bmed = statistics.median(lat), pct(lat, 95), statistics.median(base)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f'queue: {a.n:,} items; store add {t_add:.2f} s')
    print(f'build from the store: {t_build:.3f} s = store.items() {t_read:.3f} s + queue {t_queue:.3f} s + widget (one card) {t_widget:.3f} s')
    print(f'build from fresh items (store.add + keyed triage reads in chunks): {t_fresh:.3f} s')
    print(f'decision latency (click -> committed -> next card), {a.clicks} clicks: median {med:.2f} ms, p95 {p95:.2f} ms, max {max(lat):.2f} ms')
    print(f'baseline bare store.decide: median {bmed:.2f} ms, p95 {pct(base, 95):.2f} ms; widget/baseline = {med / bmed:.2f}x')
    print(f'next click: median {statistics.median(nxt):.2f} ms, p95 {pct(nxt, 95):.2f} ms; '
          f'next click keeping a typed summary: median {statistics.median(kept):.2f} ms, p95 {pct(kept, 95):.2f} ms')
    print(f'undo click: median {statistics.median(und):.2f} ms, p95 {pct(und, 95):.2f} ms')
    print(f'peak Python memory while reading the store and building the widget: {peak / 2**20:.1f} MiB; process max RSS {rss:.0f} MiB')
    print(f'goal median < 50 ms: {"met" if med < 50 else "MISSED"}')
    sys.path.insert(0, str(Path(__file__).parent)); from _summary import summary
    summary('bench_triage', 'triage decision (click -> committed -> next card) median < 50 ms with a large queue (no issue 13 row)',
            f'bare store.decide: median {bmed:.2f} ms', f'{a.n:,} items, {a.clicks} clicks: median {med:.2f} ms, p95 {p95:.2f} ms ({med / bmed:.2f}x the bare decide), {rss:.0f} MB', med < 50)
    return 0 if med < 50 else 1

if __name__ == '__main__': sys.exit(main())
