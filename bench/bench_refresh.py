"""Refresh of 60 feeds from local servers: 12 loopback hosts (127.0.0.1-12), 200 ms latency per response, one host (standing
in for arXiv) allowing one connection and 0.5 s between requests. Prints our wall time, the floor the politeness settings imply,
a serial `feedparser.parse(url)` loop, then a second refresh with nothing changed (304s, no re-parse), and peak memory.

    python bench/bench_refresh.py [--feeds 60] [--hosts 12] [--latency 0.2] [--interval 0.5]
"""
import argparse, math, resource, tempfile, time
from pathlib import Path
import feedparser
from mlnews_nb.net import Http, HostPolicy
from mlnews_nb.testserver import FixtureServer, fixtures_dir

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

    parses = {'n': 0}; memo = {}
    def parse(f):
        key = f.requested_url
        if f.unchanged and key in memo: return memo[key]          # 304 or fresh cache: the body is not parsed again
        parses['n'] += 1; memo[key] = feedparser.parse(f.content); return memo[key]

    cache = Path(tempfile.mkdtemp())/'http.sqlite'
    h = Http(cache, policies=pol, default_policy=HostPolicy(conns, 0.0))
    t0 = time.perf_counter(); res = h.get_many(urls, then=parse); ours = time.perf_counter() - t0
    assert all(not isinstance(r, Exception) for r in res), [r for r in res if isinstance(r, Exception)][:3]
    n_items = sum(len(r.entries) for r in res)
    for s in servers: s.log.clear()
    p0 = parses['n']
    t0 = time.perf_counter(); res2 = h.get_many(urls, then=parse); again = time.perf_counter() - t0
    assert all(not isinstance(r, Exception) for r in res2), [r for r in res2 if isinstance(r, Exception)][:3]
    statuses = sorted({e['status'] for s in servers for e in s.log})
    reparsed = parses['n'] - p0
    arx = servers[0]; arx_overlap, arx_gap = arx.max_overlap(), arx.min_gap()
    t0 = time.perf_counter()
    serial = [feedparser.parse(u) for u in urls]
    base = time.perf_counter() - t0
    assert sum(len(r.entries) for r in serial) == n_items
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f'refresh of {a.feeds} feeds ({n_items} items) over {a.hosts} hosts, {a.latency*1000:.0f} ms latency, '
          f'arXiv stand-in 1 conn / {a.interval} s')
    print(f'  ours (first refresh)     {ours:6.2f} s')
    print(f'  politeness floor         {floor:6.2f} s   ours/floor = {ours/floor:.2f}x  (goal <= 1.3x)')
    print(f'  serial feedparser loop   {base:6.2f} s   serial/ours = {base/ours:.1f}x faster')
    print(f'  second refresh           {again:6.2f} s   = {again/ours:.2f} of the first; server statuses {statuses}; bodies re-parsed: {reparsed}')
    print(f'  arXiv stand-in: max concurrent {arx_overlap}, min gap between request arrivals {arx_gap:.3f} s (second run log)')
    print(f'  peak RSS {peak:.0f} MB')
    for s in servers: s.stop()

if __name__ == '__main__': main()
