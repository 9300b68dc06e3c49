"""Refresh of 60 feeds from local servers with the product path, `sources.fetch_all` (fetch, parse into the item contract,
health rows): 12 loopback hosts (127.0.0.1-12), 200 ms latency per response, one host (standing in for arXiv) allowing one
connection and 0.5 s between requests. Issue 13 goal: <= 1.2x the politeness floor, per-host limits kept. Anchors in the same
run: reader's `update_feeds(workers=20)` (lemon24/reader, when installed: `pip install reader`; it keeps no per-host limit) and
a serial `feedparser.parse(url)` loop; then a second refresh with nothing changed (304s), and peak memory.

    python bench/bench_refresh.py [--feeds 60] [--hosts 12] [--latency 0.2] [--interval 0.5]
"""
import argparse, math, resource, tempfile, time
from pathlib import Path
import feedparser
from mlnews_nb.net import Http, HostPolicy
from mlnews_nb.testserver import FixtureServer, fixtures_dir
from mlnews_nb.registry import Source
from mlnews_nb.refresh import fetch_all
import sys; sys.path.insert(0, str(Path(__file__).parent))
from _summary import summary

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--feeds', type=int, default=60); ap.add_argument('--hosts', type=int, default=12)
    ap.add_argument('--latency', type=float, default=0.2); ap.add_argument('--interval', type=float, default=0.5)
    a = ap.parse_args()
    fix = fixtures_dir()
    bodies = sorted(p for d in ('blog_feeds', 'newsletter_feeds_derived') for p in (fix/d).glob('*.xml'))
    servers = [FixtureServer(host=f'127.0.0.{h+1}', latency=a.latency).start() for h in range(a.hosts)]
    urls = []
    for i in range(a.feeds):
        s = servers[i % a.hosts]
        urls.append(s.add(f'/feed{i}.xml', bodies[i % len(bodies)], ctype='application/rss+xml'))
    arxiv_host, conns = '127.0.0.1', 4
    pol = {arxiv_host: HostPolicy(1, a.interval)}
    # the floor: a one-connection host needs n answers plus (n-1) intervals between them (the interval runs from the end of
    # the last answer); any host needs ceil(n/conns) rounds of latency and, with an interval, (n-1)*interval + latency
    per_host = {}
    for u in urls: h = u.split('/')[2].split(':')[0]; per_host[h] = per_host.get(h, 0) + 1
    def floor_of(h, n):
        p = pol.get(h, HostPolicy(conns, 0.0))
        if p.max_conns == 1: return n*a.latency + (n-1)*p.interval
        return max((n-1)*p.interval + a.latency, math.ceil(n/p.max_conns)*a.latency)
    floor = max(floor_of(h, n) for h,n in per_host.items())

    srcs = [Source(f'feed{i}', 'post', u) for i, u in enumerate(urls)]
    cache = Path(tempfile.mkdtemp())/'http.sqlite'
    h = Http(cache, policies=pol, default_policy=HostPolicy(conns, 0.0))
    t0 = time.perf_counter(); items, health = fetch_all(srcs, since=None, http=h); ours = time.perf_counter() - t0
    assert health.status.isin(['ok', 'quiet']).all(), health[~health.status.isin(['ok', 'quiet'])][['source', 'status', 'message']].head()   # quiet: captures with no entries
    n_items = len(items)
    for s in servers: s.log.clear()
    t0 = time.perf_counter(); items2, h2 = fetch_all(srcs, since=None, http=h); again = time.perf_counter() - t0
    statuses = sorted({e['status'] for s in servers for e in s.log})
    reparsed = int((h2.status == 'ok').sum())
    arx = servers[0]; arx_overlap, arx_gap = arx.max_overlap(), arx.min_gap()
    t0 = time.perf_counter()
    serial = [feedparser.parse(u) for u in urls]
    base = time.perf_counter() - t0
    n_fp = sum(len(r.entries) for r in serial)
    try:
        from reader import make_reader
        rd = make_reader(':memory:')
        for u in urls: rd.add_feed(u)
        t0 = time.perf_counter(); rd.update_feeds(workers=20); t_reader = time.perf_counter() - t0
        n_reader = rd.get_entry_counts().total
    except ImportError: t_reader = n_reader = None   # reader (and sgmllib3k, which its vendored feedparser imports) not installed
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f'refresh of {a.feeds} feeds ({n_items} items) over {a.hosts} hosts, {a.latency*1000:.0f} ms latency, '
          f'arXiv stand-in 1 conn / {a.interval} s')
    print(f'  fetch_all (first)        {ours:6.2f} s   {n_items} items in the contract, {len(health)} health rows')
    print(f'  politeness floor         {floor:6.2f} s   ours/floor = {ours/floor:.2f}x  (goal <= 1.2x)')
    print(f'  reader update_feeds(20)  ' + (f'{t_reader:6.2f} s   ({n_reader} entries; no per-host limit) ours/reader = {ours/t_reader:.2f}x' if t_reader else '(reader not installed: pip install reader sgmllib3k)'))
    print(f'  serial feedparser loop   {base:6.2f} s   ({n_fp} entries) serial/ours = {base/ours:.1f}x faster')
    print(f'  second refresh           {again:6.2f} s   = {again/ours:.2f} of the first; server statuses {statuses}; health {dict(h2.status.value_counts())}')
    print(f'  arXiv stand-in: max concurrent {arx_overlap}, min gap between request arrivals {arx_gap:.3f} s (second run log)')
    print(f'  peak RSS {peak:.0f} MB')
    for s in servers: s.stop()
    summary('bench_refresh', 'refresh 60 feeds, 12 hosts, 200 ms, a strict host: <= 1.2x the politeness floor (issue 13)',
            f'floor {floor:.2f} s; ' + (f'reader update_feeds(workers=20) {t_reader:.2f} s' if t_reader else 'reader not installed') + f'; serial feedparser {base:.2f} s',
            f'fetch_all {ours:.2f} s = {ours/floor:.2f}x the floor; strict host max {arx_overlap} conn, min gap {arx_gap:.2f} s', ours / floor <= 1.2 and arx_overlap <= 1)

if __name__ == '__main__': main()
