"""Bulk arXiv metadata: N snapshot-format records (made by varying the captured 200-record head) into Parquet, against a
json.loads loop into a DataFrame; peak memory of the conversion (in a child process); monthly counts per category with DuckDB.

Usage: python bench/bench_bulk.py [--n 200000]   (the issue's full size: --n 1000000)
"""
import argparse, json, random, subprocess, sys, tempfile, time
from datetime import datetime, timedelta, timezone
from pathlib import Path
import pandas as pd
from mlnews_nb.testserver import fixtures_dir

CATS = ['cs.LG', 'cs.CL', 'cs.CV', 'stat.ML', 'cs.AI', 'math.OC', 'hep-ph', 'quant-ph', 'astro-ph.GA', 'cond-mat.stat-mech']

def generate(n, out):
    recs = [json.loads(l) for l in (fixtures_dir()/'arxiv_metadata/kaggle_snapshot_head200_wanng-ide.jsonl').open(encoding='utf-8')]
    rnd, t0 = random.Random(0), datetime(2007, 4, 1, tzinfo=timezone.utc)
    with open(out, 'w', encoding='utf-8') as f:
        for i in range(n):
            r = dict(recs[i % len(recs)])
            d = t0 + timedelta(minutes=int(i * 9_000_000 / n) + rnd.randrange(60))   # spread over ~17 years
            r['id'] = f'{d:%y%m}.{i:06d}'[:10]
            r['categories'] = ' '.join(rnd.sample(CATS, rnd.randint(1, 3)))
            r['versions'] = [dict(version=f'v{k+1}', created=(d + timedelta(days=30*k)).strftime('%a, %-d %b %Y %H:%M:%S GMT'))
                             for k in range(len(r['versions']))]
            f.write(json.dumps(r) + '\n')

def baseline(src, n):
    t = time.perf_counter()
    with open(src, encoding='utf-8') as f: pd.DataFrame([json.loads(l) for _, l in zip(range(n), f)])
    return n / (time.perf_counter() - t)

CHILD = '''
import sys, time, resource
from mlnews_nb.bulk import snapshot_to_parquet
t = time.perf_counter(); snapshot_to_parquet(sys.argv[1], sys.argv[2], progress=False); dt = time.perf_counter() - t
print(dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
'''

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--n', type=int, default=200_000); a = ap.parse_args()
    d = Path(tempfile.mkdtemp(prefix='bench_bulk_'))
    src, out = d/'snapshot.jsonl', d/'snapshot.parquet'
    t = time.perf_counter(); generate(a.n, src); print(f'generated {a.n:,} records ({src.stat().st_size/2**20:,.0f} MB) in {time.perf_counter()-t:.0f} s')
    # the child runs before the baseline: Linux keeps a forked parent's peak RSS in the child's ru_maxrss across exec
    dt, rss = map(float, subprocess.run([sys.executable, '-c', CHILD, str(src), str(out)], capture_output=True, text=True, check=True).stdout.split())
    nb = min(a.n, 100_000)
    r_base = baseline(src, nb)
    r_ours = a.n / dt
    print(f'snapshot -> Parquet: {r_ours:,.0f} records/s ({dt:.1f} s), baseline json.loads loop -> DataFrame ({nb:,} records) '
          f'{r_base:,.0f} records/s: {r_ours/r_base:.1f}x (goal >= 100,000 records/s); peak RSS of the conversion {rss/1024:,.0f} MB (goal < 1 GB); '
          f'Parquet {out.stat().st_size/2**20:,.0f} MB')
    from mlnews_nb.bulk import monthly_counts
    monthly_counts(out)   # warm-up: file cache, duckdb import
    t = time.perf_counter(); mc = monthly_counts(out); dq = time.perf_counter() - t
    print(f'monthly counts per category with DuckDB: {len(mc):,} rows over {a.n:,} papers in {dq*1000:.0f} ms (goal < 1 s)')
    t = time.perf_counter()
    base = pd.read_parquet(out, columns=['published', 'categories']).explode('categories')
    base.groupby([base.published.dt.tz_localize(None).dt.to_period('M'), 'categories']).size()
    print(f'  same with pandas read_parquet + explode + groupby: {(time.perf_counter()-t)*1000:.0f} ms')
    for p in (src, out): p.unlink()
    d.rmdir()
