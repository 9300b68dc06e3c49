"""Benchmark: load every captured Paper Copilot list (79 files) into one item-contract DataFrame.

Each method runs in its own subprocess, which reports its wall time and peak RSS (resource.getrusage), so the
memory figures do not mix. Methods:
  fast      conferences.load_paperlists(folder): records -> dicts in one pass per file, one to_items call per file, concat
  one_call  json.load + dicts for all files, then a single to_items call (the variant load_paperlists used first)
  naive     json.load + to_items once per record + pd.concat (the per-record baseline); on the first --n records
            only (default 1500) and extrapolated to all records, unless --n 0

    python bench/bench_paperlists.py            # about a minute
    python bench/bench_paperlists.py --n 0      # naive on all 16,831 records (several minutes)
"""
import argparse, json, resource, subprocess, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from _summary import summary

def folder() -> Path:
    from mlnews_nb.testserver import fixtures_dir
    return fixtures_dir()/'conference_lists'/'papercopilot'

def child(method:str, n:int) -> dict:
    import pandas as pd
    from mlnews_nb import conferences as C
    from mlnews_nb.core import to_items
    d = folder()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    if method == 'fast':
        df = C.load_paperlists(d); rows = len(df)
    elif method == 'one_call':
        recs = []
        for f in C.paperlist_files(d):
            v, y = C.venue_year(f)
            recs.extend(C._pc_record(r, v, y) for r in json.load(open(f)))
        df = to_items(recs, source='papercopilot', kind='paper'); rows = len(df)
    elif method == 'naive':
        frames, done = [], 0
        for f in C.paperlist_files(d):
            v, y = C.venue_year(f)
            for r in json.load(open(f)):
                if n and done >= n: break
                frames.append(to_items([C._pc_record(r, v, y)], source='papercopilot', kind='paper')); done += 1
        df = pd.concat(frames, ignore_index=True); rows = len(df)
    else: raise SystemExit(f'unknown method {method}')
    secs = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return dict(method=method, rows=rows, secs=secs, peak_mb=peak/1024, import_mb=rss0/1024)

def run(method:str, n:int) -> dict:
    out = subprocess.run([sys.executable, __file__, '--child', method, '--n', str(n)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=1500, help='records for the naive per-record baseline (0: all)')
    ap.add_argument('--child', help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child: print(json.dumps(child(a.child, a.n))); return
    files = sorted(folder().glob('*.json'))
    total = sum(len(json.load(open(f))) for f in files)
    print(f'{len(files)} Paper Copilot lists, {total:,} records, {sum(f.stat().st_size for f in files)/1e6:.1f} MB of JSON')
    res = {m: run(m, a.n) for m in ('fast', 'one_call', 'naive')}
    nv = res['naive']
    nv['secs_all'] = nv['secs'] * total / nv['rows']
    fast = res['fast']['secs']
    print(f"{'method':<10}{'rows':>8}{'seconds':>10}{'peak RSS MB':>13}{'above import MB':>17}{'ratio vs fast':>15}")
    for m, r in res.items():
        secs = r.get('secs_all', r['secs'])
        note = f"  (measured on {r['rows']:,} records, extrapolated)" if m == 'naive' and r['rows'] < total else ''
        print(f"{m:<10}{r['rows']:>8,}{secs:>10.2f}{r['peak_mb']:>13.0f}{r['peak_mb']-r['import_mb']:>17.0f}{secs/fast:>14.1f}x{note}")
    summary('bench_paperlists', 'load every captured Paper Copilot list into the contract: faster than one to_items call per record (no issue 13 row)',
            f"per-record to_items + concat: {nv['secs_all']:.2f} s" + (' (extrapolated)' if nv['rows'] < total else ''),
            f"{res['fast']['rows']:,} records: {fast:.2f} s, {nv['secs_all']/fast:.1f}x faster, {res['fast']['peak_mb']:.0f} MB", fast < nv['secs_all'])

if __name__ == '__main__': main()
