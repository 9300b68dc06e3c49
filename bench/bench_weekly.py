"""`mlnews weekly` end to end (fetch, store, link, rank, digest, files) on a recorded week served from loopback, with a store
that already holds a year of weekly runs. Issue 13 §1 goal: at idle, under 10 s wall beyond the politeness floor of the
recorded hosts, under 1 GB peak, time split by stage.

The week: every feed-shaped capture in ../shared/fixtures (blogs, newsletters, arXiv RSS and API pages, Reddit, YouTube, the
feed edge cases) as one source each, served by FixtureServers on 12 loopback addresses, each standing for the real host the
capture came from with that host's politeness (arXiv one connection and 3 s apart, Reddit 2 s, others 4 connections). The
captures span years, so the window is opened to hold them all (`--since 1990-01-01`); the year of history is dated before
that window, so (as in a real week) only `what_is_new` and the ranking see it, not the fetch window.

The history: `bench_works.make` (the captured items varied into new papers, threads, posts) as 52 weekly runs, 3,000+
decisions (saved / skipped / read, tags, ratings), built once and cached in the temp dir (copied fresh for every run).

    python bench/bench_weekly.py [--history 150000] [--decisions 3000] [--rebuild]
"""
import argparse, json, math, os, resource, shutil, subprocess, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent)); sys.path.insert(0, str(Path(__file__).parent.parent/'tests'))
from _summary import summary, machine

GOAL = 'weekly: < 10 s wall beyond the politeness floor, < 1 GB peak (issue 13 §1)'
CACHE = Path(tempfile.gettempdir())/'mlnews_bench_weekly'

# loopback host -> (the real host it stands for, capture folders/globs, kind, HostPolicy(max_conns, interval))
HOSTS = [('arxiv', ['arxiv_rss/*.xml', 'arxiv_api/recorded_body/*.xml'], 'paper', (1, 3.0)),
         ('reddit', ['reddit/*.xml', 'reddit/*.atom'], 'discussion', (1, 2.0)),
         ('youtube', ['youtube/*.xml'], 'video', (4, 0.0)),
         ('hn', ['hackernews/*.xml'], 'discussion', (4, 0.4)),
         ('substack', ['newsletter_feeds/*.xml', 'newsletter_feeds_derived/*.xml'], 'newsletter', (4, 0.0)),
         ('blogs', ['blog_feeds/*.xml'], 'post', (4, 0.0)), ('blogs2026', ['blog_feeds_2026/*.xml'], 'post', (4, 0.0)),
         ('edge', ['feed_edge_cases/*.xml'], 'post', (4, 0.0)),
         ('huggingface', ['hf_daily_papers/*.json'], 'paper', (2, 0.5)),
         ('papercopilot', ['conference_lists/papercopilot/colt2024.json', 'conference_lists/papercopilot/aistats202[45].json',
                           'conference_lists/papercopilot/colm2024.json', 'conference_lists/papercopilot/acl2022.json'], 'paper', (4, 0.0))]
ARXIV_API_PAGES = 4     # the arXiv API answers a digest run asks for; the rest of the recorded pages are other queries
JSON = {'huggingface': '_week_fetchers:hf_day', 'papercopilot': '_week_fetchers:paperlist'}

def week_files(fix):
    out = []
    for name, globs, kind, pol in HOSTS:
        files = sorted({p for g in globs for p in fix.glob(g)})
        if name == 'arxiv': files = [f for f in files if 'arxiv_rss' in str(f)] + [f for f in files if 'arxiv_api' in str(f)][:ARXIV_API_PAGES]
        out += [(name, f, kind, pol) for f in files]
    return out

def floor_of(files, latency):
    "The politeness floor: per host, one connection means n answers and n-1 intervals; more, ceil(n/conns) rounds"
    per = {}
    for name, f, kind, pol in files: per.setdefault(name, [0, pol])[0] += 1
    def one(n, pol):
        c, iv = pol
        return n*latency + (n-1)*iv if c == 1 else max((n-1)*iv + latency, math.ceil(n/c)*latency)
    return max(one(n, pol) for n, pol in per.values())

BUILD = '''
import sys, time, numpy as np, pandas as pd
sys.path.insert(0, sys.argv[3]); sys.path.insert(0, sys.argv[4])
from bench_works import make
from mlnews_nb.store import Store
n, dec, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[5]
items = make(int(n / 0.74), seed=1)   # 1 in 4 varied copies keeps its key (a re-mention): ask for more rows to hold n distinct items
st = Store(path); t0 = pd.Timestamp('1989-01-02', tz='UTC')
for w, part in enumerate(np.array_split(np.arange(len(items)), 52)):
    st.add(items.iloc[part])
    at = (t0 + pd.Timedelta(weeks=w)).isoformat()
    with st.db: st.db.execute("UPDATE items SET first_seen=?, last_seen=? WHERE first_seen >= '2000'", (at, at))   # this week's new items
rng = np.random.default_rng(0); keys = items.key.drop_duplicates().sample(dec, random_state=0).tolist()
for i in range(0, dec, 100):
    st.mark(keys[i:i+100], ['saved', 'skipped', 'read'][i // 100 % 3])
for k in keys[:dec // 10]: st.decide(k, tags=['bench'], rating=int(rng.integers(1, 6)))
print(len(st.items()), len(st.decisions()))
'''

RUN = '''
import json, os, resource, sys, time, tempfile
from pathlib import Path
import pandas as pd
args = json.loads(sys.argv[1]); sys.path.insert(0, args['bench'])
from mlnews_nb import net, rank, works, registry as S, refresh as RF, digest as DG
from mlnews_nb.net import Http, HostPolicy
from mlnews_nb.store import Store
from mlnews_nb.testserver import FixtureServer
T = {}
def timed(name, f):
    def g(*a, **k):
        t, c = time.perf_counter(), time.process_time()
        try: return f(*a, **k)
        finally: T[name] = [T.get(name, [0, 0])[0] + time.perf_counter() - t, T.get(name, [0, 0])[1] + time.process_time() - c]
    return g
servers, srcs, pol = [], [], {}
for i, (name, conns, iv) in enumerate(args['hosts']):
    s = FixtureServer(host=f'127.0.0.{i+1}', latency=args['latency']).start(); servers.append(s)
    pol[f'127.0.0.{i+1}'] = HostPolicy(conns, iv, name)
for j, (name, f, kind) in enumerate(args['files']):
    s = servers[[h[0] for h in args['hosts']].index(name)]
    u = s.add(f'/f{j}', Path(f).read_bytes(), ctype='application/json' if f.endswith('.json') else 'application/xml')
    if name in args['json']:
        a = dict(url=u, name=Path(f).name) if name == 'papercopilot' else dict(url=u)
        srcs.append(S.Source(f'{name}-{j}', kind, u, fetcher=args['json'][name], args=a))
    else: srcs.append(S.Source(f'{name}-{j}', kind, u))
st = Store(args['store'])
st.add = timed('store.add', st.add); st.items = timed('store.items', st.items)
works.link_works = timed('link_works', works.link_works); works.seen_memory = timed('seen_memory', works.seen_memory)
rank.rank = timed('rank', rank.rank); DG.rank = timed('rank', DG.rank)
DG.digest = timed('rank+digest', DG.digest); DG.digest_markdown = timed('files', DG.digest_markdown)
DG.atomic_write = timed('files', DG.atomic_write); RF.fetch_all = timed('fetch_all', RF.fetch_all)
out = Path(tempfile.mkdtemp())
with net.use_http(Http(out/'http.sqlite', policies=pol, default_policy=HostPolicy(4, 0.0))):
    t, c = time.perf_counter(), time.process_time()
    if args.get('profile'):
        import cProfile; pr = cProfile.Profile(); pr.enable()
    d, h = DG.weekly(st, sources=srcs, out_dir=out, since=args['since'], minutes=60)
    if args.get('profile'): pr.disable(); pr.dump_stats(args['profile'])
    wall, cpu = time.perf_counter() - t, time.process_time() - c
for s in servers: s.stop()
files = sorted(p.name for p in out.glob('digest-*'))
print(json.dumps(dict(wall=wall, cpu=cpu, stages=T, picks=len(d), sources=len(h), ok=int((h.status == 'ok').sum()),
                      items=int(h['items'].fillna(0).sum()), statuses=h.status.value_counts().to_dict(), files=files,
                      peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
'''

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--history', type=int, default=150_000); ap.add_argument('--decisions', type=int, default=3_000)
    ap.add_argument('--latency', type=float, default=0.05); ap.add_argument('--since', default='1990-01-01')
    ap.add_argument('--rebuild', action='store_true')
    ap.add_argument('--profile', default='', help='write cProfile stats of the weekly call to this file')
    a = ap.parse_args()
    from mlnews_nb.testserver import fixtures_dir
    fix = fixtures_dir(); here = Path(__file__).parent
    # a venv installed without bytecode (uv without --compile-bytecode) under PYTHONDONTWRITEBYTECODE=1 compiles pandas,
    # scipy and scikit-learn from source in every process: ~6 s of the weekly run here, none of it the product's
    import importlib.util, sklearn
    if not any(Path(sklearn.__file__).parent.glob('__pycache__/__init__.*.pyc')):
        print(f'  WARNING: no compiled bytecode in {Path(sklearn.__file__).parent} (PYTHONDONTWRITEBYTECODE='
              f'{os.environ.get("PYTHONDONTWRITEBYTECODE", "")}): every run compiles the libraries again; '
              f'`python -m compileall -q {Path(sklearn.__file__).parents[1]}` once, as pip does at install')
    env = dict(os.environ, MLNEWS_HOME=tempfile.mkdtemp(prefix='mlnews_bench_home_'))
    CACHE.mkdir(exist_ok=True)
    # one cache per store schema: a store of an older schema would be upgraded in every run (each run copies it afresh)
    from mlnews_nb.store import SCHEMA_VERSION
    cached = CACHE/f'store-{a.history}-{a.decisions}-v{SCHEMA_VERSION}.sqlite'
    if a.rebuild or not cached.exists():
        t = time.perf_counter()
        r = subprocess.run([sys.executable, '-c', BUILD, str(a.history), str(a.decisions), str(here), str(here.parent/'tests'), str(cached) + '.tmp'],
                           capture_output=True, text=True, env=env)
        if r.returncode: sys.exit(r.stderr[-3000:])
        os.replace(str(cached) + '.tmp', cached)
        print(f'built the history store in {time.perf_counter()-t:.0f} s: {r.stdout.strip()} (items, decisions), cached at {cached}')
    store = Path(tempfile.mkdtemp(prefix='mlnews_bench_weekly_'))/'store.sqlite'; shutil.copy(cached, store)
    import sqlite3
    with sqlite3.connect(store) as db:
        n_hist, n_dec = db.execute('SELECT count(*) FROM items').fetchone()[0], db.execute('SELECT count(*) FROM decisions').fetchone()[0]
    files = week_files(fix)
    floor = floor_of([(n, f, k, p) for n, f, k, p in files], a.latency)
    hosts = [(name, *pol) for name, globs, kind, pol in HOSTS]
    arg = json.dumps(dict(hosts=hosts, files=[(n, str(f), k) for n, f, k, p in files], latency=a.latency, since=a.since, store=str(store),
                          json=JSON, bench=str(here), profile=a.profile))
    r = subprocess.run([sys.executable, '-c', RUN, arg], capture_output=True, text=True, env=env)
    if r.returncode: sys.exit(r.stderr[-3000:])
    res = json.loads(r.stdout.strip().splitlines()[-1])
    # check the outputs: every source has a health row, the week's items arrived, the digest and its files exist
    assert res['sources'] == len(files), res
    assert res['items'] >= 3000 and res['picks'] > 0 and {'md', 'csv'} <= {f.rsplit('.', 1)[-1] for f in res['files']}, res
    beyond = res['wall'] - floor
    if n_hist < a.history or n_dec < a.decisions: print(f'  WARNING: the history store holds {n_hist:,} items and {n_dec:,} decisions, fewer than asked')
    print(f'weekly on {len(files)} recorded sources over {len(hosts)} loopback hosts ({a.latency*1000:.0f} ms latency): {res["items"]:,} items, '
          f'health {res["statuses"]}; store held {n_hist:,} items and {n_dec:,} decisions; digest {res["picks"]} picks, files {res["files"]}')
    print(f'  wall {res["wall"]:.1f} s, politeness floor {floor:.1f} s -> {beyond:.1f} s beyond the floor (goal < 10 s); CPU {res["cpu"]:.1f} s; '
          f'peak RSS {res["peak_mb"]:,.0f} MB (goal < 1024)')
    st = res['stages']
    print('  by stage (wall / CPU s): ' + ', '.join(f'{k} {v[0]:.1f}/{v[1]:.1f}' for k, v in sorted(st.items(), key=lambda kv: -kv[1][0])))
    ok = beyond < 10 and res['peak_mb'] < 1024
    summary('bench_weekly', GOAL, f'politeness floor {floor:.1f} s',
            f'{beyond:.1f} s beyond the floor ({res["wall"]:.1f} s wall), {res["peak_mb"]:,.0f} MB; ' +
            ', '.join(f'{k} {v[0]:.1f} s' for k, v in sorted(st.items(), key=lambda kv: -kv[1][0])[:4]), ok)

if __name__ == '__main__': main()
