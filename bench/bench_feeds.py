"""Feed benchmarks: (1) refresh of the default list's feeds from local servers with realistic latency, fetch_all against a
serial requests+feedparser loop and against the politeness floor; (2) parse the largest captured feeds: parse_feed (our
full path: feedparser + nh3 sanitizing + link extraction + the item contract) against bare feedparser.parse on the same bytes.

    python bench/bench_feeds.py [--latency 0.2] [--n 3]
"""
import argparse, time, resource, os, sys
from pathlib import Path
import feedparser, requests
from mlnews_nb.testserver import FixtureServer, fixtures_dir
from mlnews_nb.net import Http
from mlnews_nb.feeds import parse_feed
from mlnews_nb.sources import DEFAULT_SOURCES, Source, fetch_all, FEED

def peak_mb(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def refresh(fix, latency, n):
    caps = sorted([*(fix/'blog_feeds').glob('*.xml'), *(fix/'newsletter_feeds_derived').glob('*.xml')])
    feeds = [s for s in DEFAULT_SOURCES if s.fetcher == FEED and s.status == 'alive']
    servers, srcs = [], []
    for i, s in enumerate(feeds):  # one server (one loopback host) per real host, as on the internet
        srv = FixtureServer(host=f'127.0.0.{i+2}', latency=latency).start(); servers.append(srv)
        srcs.append(Source(s.name, s.kind, srv.add('/feed.xml', caps[i % len(caps)]), tags=s.tags))
    best_ours = best_serial = 1e9
    for _ in range(n):
        h = Http(':memory:', policies={})
        t0 = time.perf_counter(); items, health = fetch_all(srcs, since=None, http=h); best_ours = min(best_ours, time.perf_counter() - t0)
        t0 = time.perf_counter()
        serial = sum(len(feedparser.parse(requests.get(s.url, timeout=30).content).entries) for s in srcs)
        best_serial = min(best_serial, time.perf_counter() - t0)
    h = Http(':memory:', policies={}); fetch_all(srcs, since=None, http=h)
    t0 = time.perf_counter(); _, h2 = fetch_all(srcs, since=None, http=h); second = time.perf_counter() - t0
    for s in servers: s.stop()
    floor = latency  # every feed on its own host, no interval: the floor is one round trip
    print(f'refresh of {len(srcs)} default feeds ({len(items)} items, statuses {dict(health.status.value_counts())}), latency {latency*1000:.0f} ms/request')
    print(f'  fetch_all          {best_ours:6.3f} s')
    print(f'  serial feedparser  {best_serial:6.3f} s   -> fetch_all is {best_serial/best_ours:.1f}x faster (items: {serial} vs {len(items)})')
    print(f'  politeness floor   {floor:6.3f} s   -> fetch_all is {best_ours/floor:.2f}x the floor')
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
    print(f'  all: feedparser {items/tot_fp:.0f} items/s, parse_feed {items/tot_us:.0f} items/s, ratio {tot_fp/tot_us:.2f} (parse_feed = feedparser + nh3 + links + contract)')

def _time(f):
    t0 = time.perf_counter(); f(); return time.perf_counter() - t0

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--latency', type=float, default=0.2); ap.add_argument('--n', type=int, default=3)
    a = ap.parse_args()
    os.environ.setdefault('MLNEWS_HOME', '/tmp/mlnews_bench_home')
    fix = fixtures_dir()
    refresh(fix, a.latency, a.n)
    parse(fix, a.n)
    print(f'peak RSS {peak_mb():.0f} MB')
