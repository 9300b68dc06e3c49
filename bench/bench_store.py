"""Store: upsert N items (default 100,000) into a file-backed store and read them back as a DataFrame; then upsert the same
items again (the weekly re-fetch). Prints times, rows/s, peak memory, and a naive baseline (one INSERT OR REPLACE per row with a
commit each, measured on a sample and extrapolated).

    python bench/bench_store.py [--n 100000]
"""
import argparse, resource, sqlite3, tempfile, time, json
from pathlib import Path
from mlnews_nb.core import to_items
from mlnews_nb.store import Store

def make(n):
    recs = [dict(arxiv_id=f'{2400 + i // 100000 % 100}.{i % 100000:05d}', version=1 + i % 3, title=f'A study of topic {i % 997} number {i}',
                 summary='We propose a method for ' + ' '.join(f'w{(i*j) % 5000}' for j in range(60)),
                 authors=[f'Author {i % 1000}', f'Author {(i+7) % 1000}'], categories=['cs.LG', 'stat.ML'][: 1 + i % 2],
                 published=f'2024-0{1 + i % 9}-1{i % 10}T00:00:00Z', score=i % 50) for i in range(n)]
    return to_items(recs, source='arxiv', kind='paper')

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--n', type=int, default=100_000); a = ap.parse_args()
    items = make(a.n)
    d = Path(tempfile.mkdtemp())
    st = Store(d/'bench.sqlite')
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter(); r = st.add(items); t_add = time.perf_counter() - t0
    t0 = time.perf_counter(); df = st.items(); t_read = time.perf_counter() - t0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert len(df) == a.n and r.new == a.n
    t0 = time.perf_counter(); r2 = st.add(items); t_again = time.perf_counter() - t0
    assert r2.unchanged == a.n
    # naive baseline: a row at a time, committed each time, on a sample
    k = 2000
    con = sqlite3.connect(d/'naive.sqlite'); con.execute('CREATE TABLE items (source, key, data, PRIMARY KEY (source, key))')
    sample = items.head(k).to_dict('records')
    t0 = time.perf_counter()
    for rec in sample:
        con.execute('INSERT OR REPLACE INTO items VALUES (?,?,?)', (rec['source'], rec['key'], json.dumps(rec, default=str))); con.commit()
    t_naive = (time.perf_counter() - t0) * a.n / k
    print(f'store: {a.n:,} items')
    print(f'  upsert (new)          {t_add:6.2f} s  ({a.n/t_add:,.0f} rows/s)')
    print(f'  read back DataFrame   {t_read:6.2f} s  ({a.n/t_read:,.0f} rows/s)')
    print(f'  upsert + read         {t_add+t_read:6.2f} s  (goal < 3 s)')
    print(f'  upsert again (same)   {t_again:6.2f} s  (all {r2.unchanged:,} unchanged)')
    print(f'  naive row-at-a-time   {t_naive:6.2f} s  (extrapolated from {k:,} rows) -> {t_naive/t_add:.0f}x slower than ours')
    print(f'  process peak RSS {rss1:.0f} MB after upsert+read (goal < 1 GB), of which {rss0:.0f} MB before it '
          f'(the {a.n:,} generated items themselves)')
    print(f'  file size {(d/"bench.sqlite").stat().st_size/2**20:.0f} MB')

if __name__ == '__main__': main()
