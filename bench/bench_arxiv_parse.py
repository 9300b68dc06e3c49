"""Parse a 2,000-entry arXiv API page and a 2,000-item announcement feed: items/s against `feedparser.parse` on the same bytes.

Ours is the whole path, bytes to the item-contract DataFrame; feedparser only parses. The API page goes through the one API
parser the project keeps, the `arxiv` package's (`parse_api_page` = `arxiv._feed.parse` + our records and frame, the path
`arxiv_search` takes); the announcement feed through `parse_listing`.

The API page is built from the recorded 100-entry page (entries repeated with new ids); the feed from the real combined
announcement feed (shared/fixtures/arxiv_rss, 1,504 items; items repeated with new ids when --n is larger).
Timing: CPU seconds (`time.process_time`, steadier than wall time on a shared machine), ours and feedparser interleaved
in one process (--rounds rounds of 3 runs of ours and 1 of feedparser), the best of each; the load is printed with them.
With --stages, the announcement path is also timed stage by stage (best of 30 runs each, in this process): lxml's parse
and the channel's facts, the items' children read, the other columns, the frame, freeing the tree: what limits that row.
Usage: python bench/bench_arxiv_parse.py [--n 2000] [--rounds 6] [--stages]
"""
import argparse, os, re, resource, time, tracemalloc
from pathlib import Path
import feedparser
from mlnews_nb.testserver import fixtures_dir
from mlnews_nb.arxiv import parse_api_page, parse_listing
from mlnews_nb.core import check_items

ROOT = Path(__file__).resolve().parents[1]
import sys; sys.path.insert(0, str(Path(__file__).parent))
from _summary import summary

def api_page(n):
    body = (fixtures_dir()/'arxiv_api/recorded_body/q_testing_s0_m100_cfe7536492ca.xml').read_text(encoding='utf-8')
    head, rest = body.split('<entry>', 1)
    entries = ['<entry>' + e for e in rest.rsplit('</feed>', 1)[0].split('<entry>')]
    out = [re.sub(r'abs/[^<"]+?v(\d+)', lambda m: f'abs/2601.{i:05d}v{m.group(1)}', entries[i % len(entries)]) for i in range(n)]
    return (head + ''.join(out) + '</feed>').encode()

def rss_feed(n):
    body = (fixtures_dir()/'arxiv_rss/rss_all_archives_combined_2024-11-28.xml').read_text(encoding='utf-8')
    head, rest = body.split('<item>', 1)
    items = ['<item>' + i for i in rest.split('</channel>')[0].split('<item>')]
    out = [re.sub(r'(\d{4}\.\d{5}|[a-z-]+/\d{7})', f'2402.{i:05d}', items[i % len(items)]) for i in range(n)]
    return (head + ''.join(out) + '</channel></rss>').encode()

def rates(ours, theirs, body, n, rounds=3, ours_per_round=3):
    "Items/s and best CPU seconds of `ours` and `theirs` on `body`, interleaved round by round (the same load for both)"
    t_ours, t_theirs = [], []
    for _ in range(rounds):
        t_ours += [_t(ours, body) for _ in range(ours_per_round)]
        t_theirs.append(_t(theirs, body))
    return (n / min(t_ours), min(t_ours)), (n / min(t_theirs), min(t_theirs))

def _t(f, body):
    t = time.process_time(); f(body); return time.process_time() - t

def load() -> str: return '/'.join(f'{x:.1f}' for x in os.getloadavg())

def stages(body, k=30) -> dict[str,float]:
    ("Best-of-`k` CPU ms of each stage of `parse_listing` on the RSS feed `body`, run one after another as it runs "
     "them, with the collector paused as it does (the other columns: the columns stage's best minus the read's best)")
    from mlnews_nb.arxiv import (_listing_channel, _listing_columns, _paper_frame, _item_fields, _RSS_FIELDS,
                                 _ARXIV_FIELDS)
    from mlnews_nb.core import gc_paused
    runs = []
    for _ in range(k):
        with gc_paused():
            t0 = time.process_time(); chan, atom, _ = _listing_channel(body, 'bench')
            t1 = time.process_time(); _item_fields(chan.findall('item'), {**_RSS_FIELDS, **_ARXIV_FIELDS}, 'category')
            t2 = time.process_time(); cols = _listing_columns(chan, atom)
            t3 = time.process_time(); _paper_frame(cols, source='arxiv_listing')
            t4 = time.process_time(); del chan, cols
            t5 = time.process_time()
        runs.append((t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4))
    best = [min(r[i] for r in runs) * 1000 for i in range(5)]
    best[2] -= best[1]   # the columns stage reads the children again, then builds the other columns
    names = ("lxml parse + channel", "items' children read", 'other columns', 'frame', 'freeing tree and columns')
    return dict(zip(names, best))

def peak(f, body):
    tracemalloc.start(); f(body); p = tracemalloc.get_traced_memory()[1]; tracemalloc.stop(); return p / 2**20

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--n', type=int, default=2000)
    ap.add_argument('--rounds', type=int, default=6); ap.add_argument('--stages', action='store_true')
    a = ap.parse_args()
    res = {}
    for name, body, ours, goal in [
        ('API page', api_page(a.n), parse_api_page, 5),
        ('announcement feed', rss_feed(a.n), lambda b: parse_listing(b)[0], 20)]:   # both: bytes to the contract frame
        assert len(check_items(ours(body))) == a.n == len(feedparser.parse(body).entries)
        l0 = load()
        (r_ours, t_ours), (r_fp, t_fp) = rates(ours, feedparser.parse, body, a.n, a.rounds)
        print(f'{name:18} {a.n:,} items, {len(body)/2**20:.1f} MB (load {l0} -> {load()}): '
              f'ours {r_ours:,.0f} items/s ({t_ours*1000:.0f} ms CPU), '
              f'feedparser {r_fp:,.0f} items/s ({t_fp*1000:.0f} ms CPU): {r_ours/r_fp:.1f}x (goal {goal}x); '
              f'peak traced memory ours {peak(ours, body):.0f} MB, feedparser {peak(feedparser.parse, body):.0f} MB')
        res[name] = (r_ours, r_fp, goal)
    if a.stages:
        st = stages(rss_feed(a.n))
        print(f'announcement feed stages, best of 30 CPU ms (load {load()}): ' +
              ', '.join(f'{k} {v:.1f}' for k, v in st.items()) + f'; sum {sum(st.values()):.1f}')
    print(f'process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024:.0f} MB')
    summary('bench_arxiv_parse', f'{a.n:,} arXiv API entries >= 5x and {a.n:,} announcement items >= 20x feedparser (issue 3), bytes to the contract, one API parser (issue 13 §3)',
            '; '.join(f'feedparser on the {k}: {v[1]:,.0f} items/s' for k, v in res.items()),
            '; '.join(f'{k}: {v[0]:,.0f} items/s = {v[0]/v[1]:.1f}x' for k, v in res.items()), all(v[0] / v[1] >= v[2] for v in res.values()) and a.n >= 2000)
