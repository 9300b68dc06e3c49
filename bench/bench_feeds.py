"""Feed benchmarks: (1) refresh of the default list's feeds from local servers with realistic latency, fetch_all against a
serial requests+feedparser loop, against fetch-then-parse and against the politeness floor; (2) parse the largest captured
feeds: parse_feed (our full path: lxml fast path, feedparser for the rest, nh3 sanitizing, link extraction, the item contract)
against bare feedparser.parse on the same bytes.

    python bench/bench_feeds.py [--latency 0.2] [--hosts 5] [--interval 0.5] [--n 3]
"""
import argparse, math, time, resource, os
import feedparser, requests
from mlnews_nb.testserver import FixtureServer, fixtures_dir
from mlnews_nb.net import Http, HostPolicy
from mlnews_nb.feeds import parse_feed, _PARSED
from mlnews_nb.sources import DEFAULT_SOURCES, Source, fetch_all, FEED

def peak_mb(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def refresh(fix, latency, n, hosts, interval, conns=4):
    """The default list's live feeds spread over `hosts` loopback hosts (127.0.0.2...), `latency` s per answer; the first host
    allows one connection and `interval` s between requests (a strict host), the others `conns` connections."""
    caps = sorted([*(fix/'blog_feeds').glob('*.xml'), *(fix/'newsletter_feeds_derived').glob('*.xml'), *(fix/'reddit').glob('*.xml'),
                   *(fix/'hackernews').glob('*.xml')], key=lambda p: -p.stat().st_size)
    feeds = [s for s in DEFAULT_SOURCES if s.fetcher == FEED and s.status == 'alive']
    servers = [FixtureServer(host=f'127.0.0.{i+2}', latency=latency).start() for i in range(hosts)]
    srcs = [Source(s.name, s.kind, servers[i % hosts].add(f'/{s.name}.xml', caps[i % len(caps)], ctype='application/rss+xml'), tags=s.tags)
            for i, s in enumerate(feeds)]
    pol = {'127.0.0.2': HostPolicy(1, interval)}
    per_host = {}
    for s in srcs: k = s.url.split('/')[2].split(':')[0]; per_host[k] = per_host.get(k, 0) + 1
    def floor_of(host, k):  # a one-connection host: k answers and k-1 intervals, each interval from the end of the last answer
        p = pol.get(host, HostPolicy(conns, 0.0))
        return k*latency + (k-1)*p.interval if p.max_conns == 1 else max((k-1)*p.interval + latency, math.ceil(k/p.max_conns)*latency)
    floor = max(floor_of(h, k) for h, k in per_host.items())
    new = lambda: Http(':memory:', policies=pol, default_policy=HostPolicy(conns, 0.0))
    best = dict(ours=1e9, after=1e9, serial=1e9)
    for _ in range(n):
        _PARSED.clear()
        t0 = time.perf_counter(); items, health = fetch_all(srcs, since=None, http=new()); best['ours'] = min(best['ours'], time.perf_counter() - t0)
        t0 = time.perf_counter()   # the previous design: fetch everything, then parse one by one
        got = new().get_many([s.url for s in srcs]); after = [parse_feed(r.content, url=r.url, source=s.name) for s, r in zip(srcs, got)]
        best['after'] = min(best['after'], time.perf_counter() - t0)
        t0 = time.perf_counter()
        serial = sum(len(feedparser.parse(requests.get(s.url, timeout=30).content).entries) for s in srcs)
        best['serial'] = min(best['serial'], time.perf_counter() - t0)
        assert sum(map(len, after)) == serial == len(items), (sum(map(len, after)), serial, len(items))   # the same items every way
    h = new(); fetch_all(srcs, since=None, http=h)
    t0 = time.perf_counter(); _, h2 = fetch_all(srcs, since=None, http=h); second = time.perf_counter() - t0
    for s in servers: s.stop()
    ours = best['ours']
    print(f'refresh of {len(srcs)} default feeds ({len(items)} items, statuses {dict(health.status.value_counts())}) over {hosts} hosts, '
          f'{latency*1000:.0f} ms latency, host 127.0.0.2: 1 conn / {interval} s ({per_host["127.0.0.2"]} feeds), others {conns} conns')
    print(f'  fetch_all (parse in the fetch worker)  {ours:6.3f} s')
    print(f'  politeness floor                        {floor:6.3f} s   -> fetch_all is {ours/floor:.2f}x the floor (goal <= 1.3x)')
    print(f'  fetch all, then parse (previous)        {best["after"]:6.3f} s   -> {best["after"]/ours:.2f}x fetch_all')
    print(f'  serial requests + feedparser loop       {best["serial"]:6.3f} s   -> fetch_all is {best["serial"]/ours:.1f}x faster (entries: {serial} vs {len(items)} items)')
    print(f'  second refresh (304s, memo): {second:.3f} s, statuses {dict(h2.status.value_counts())}')

def parse(fix, n):
    files = sorted([*(fix/'blog_feeds').glob('*.xml'), *(fix/'newsletter_feeds_derived').glob('*.xml'), *(fix/'feed_edge_cases').glob('*.xml'),
                    *(fix/'hackernews').glob('*.xml'), *(fix/'reddit').glob('*.xml')], key=lambda p: -p.stat().st_size)[:5]
    print(f'parse of the {len(files)} largest captured feeds, best of {n}:')
    tot_fp = tot_us = items = 0
    for f in files:
        b = f.read_bytes()
        fp = min(_time(lambda: feedparser.parse(b)) for _ in range(n))
        us = min(_time(lambda: parse_feed(b, source='x')) for _ in range(n))
        k = len(parse_feed(b, source='x')); items += k; tot_fp += fp; tot_us += us
        print(f'  {f.name:60s} {len(b)/1024:6.0f} KB {k:4d} items  feedparser {k/fp:8.0f} items/s  parse_feed {k/us:8.0f} items/s  ratio {fp/us:.2f}')
    print(f'  all: feedparser {items/tot_fp:.0f} items/s, parse_feed {items/tot_us:.0f} items/s, ratio {tot_fp/tot_us:.2f} (parse_feed = lxml fast path or feedparser + nh3 + links + contract)')

def _time(f):
    t0 = time.perf_counter(); f(); return time.perf_counter() - t0

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--latency', type=float, default=0.2); ap.add_argument('--n', type=int, default=3)
    ap.add_argument('--hosts', type=int, default=5); ap.add_argument('--interval', type=float, default=0.5)
    a = ap.parse_args()
    os.environ.setdefault('MLNEWS_HOME', '/tmp/mlnews_bench_home')
    fix = fixtures_dir()
    refresh(fix, a.latency, a.n, a.hosts, a.interval)
    parse(fix, a.n)
    print(f'peak RSS {peak_mb():.0f} MB')
