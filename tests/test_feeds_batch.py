"""Many feeds, one frame: `parse_feeds` and `fetch_all` build one contract frame of every feed's rows (issue 13's parse row),
which must be exactly the frames `parse_feed` makes one feed at a time, joined; a broken feed stays its own source's error.
The broken body and the user fetcher below are hand-written: a refresh mixing a feed with a non-feed source, in a known order."""
import pandas as pd
from mlnews_nb.core import SourceError, check_items
from mlnews_nb.feeds import parse_feed, parse_feeds, rows_frame, FeedRows
from mlnews_nb.net import Http, FetchResult, FetchOutcome
from mlnews_nb.registry import Source
from mlnews_nb.refresh import fetch_all
from mlnews_nb.testserver import FixtureServer
from conftest import committed_only

FOLDERS = ('blog_feeds', 'blog_feeds_2026', 'newsletter_feeds', 'newsletter_feeds_derived', 'feed_edge_cases')

def _feeds(fix):
    return sorted(committed_only(fix, FOLDERS))

def _one_by_one(feeds):
    "The frames parse_feed makes of each feed, joined (what a refresh made before the batch frame), and the broken ones"
    frames, broken = [], set()
    for f in feeds:
        try: frames.append(parse_feed(f['content'], url=f.get('url'), source=f['source'], kind=f.get('kind', 'post')))
        except SourceError: broken.add(f['source'])
    return pd.concat([d for d in frames if len(d)], ignore_index=True), broken

def test_parse_feeds_is_parse_feed_joined(fix):
    feeds = [dict(content=p.read_bytes(), source=p.stem, url=f'https://feeds.example.org/{p.name}',
                  kind='newsletter' if 'newsletter' in p.parent.name else 'post') for p in _feeds(fix)]
    feeds.append(dict(content=b'<html><body>not a feed</body></html>', source='a-page'))   # hand-written: an HTML page
    items, errors = parse_feeds(feeds)
    ref, broken = _one_by_one(feeds)
    assert 'a-page' in errors and set(errors) == broken and all(isinstance(e, SourceError) for e in errors.values())
    assert len(items) > 100 and items.source.nunique() > 5 and set(items.kind) == {'post', 'newsletter'}
    check_items(items)
    pd.testing.assert_frame_equal(items.drop(columns='fetched_at'), ref.drop(columns='fetched_at'))
    # each feed's rows carry their own parse time
    assert (items.groupby('source').fetched_at.nunique() == 1).all()

def test_rows_frame_of_nothing_is_the_empty_contract(fix):
    from mlnews_nb.core import empty_items
    pd.testing.assert_frame_equal(rows_frame([]), empty_items())
    empty = parse_feeds([dict(content=b'<rss version="2.0"><channel><title>t</title></channel></rss>', source='e')])
    assert len(empty[0]) == 0 and not empty[1]

def test_rows_window_and_newest_agree_with_the_frame(fix):
    from mlnews_nb.feeds import _feed_rows
    for p in _feeds(fix):   # the first capture with five dated items
        try: rows = _feed_rows(p.read_bytes(), None, 'x', 'post', None)
        except SourceError: continue
        if (df := rows.frame()).published.notna().sum() >= 5: break
    assert isinstance(rows, FeedRows) and len(rows) == len(df) and rows.key == df.key.tolist()
    assert rows.newest() == df.published.max() and rows.newest().unit == df.published.max().unit
    for cut in df.published.dropna().sort_values().iloc[[0, len(df) // 2, -1]]:
        win = df[df.published.isna() | (df.published >= cut)]
        got = rows.window(cut).frame()
        pd.testing.assert_frame_equal(got.drop(columns='fetched_at'), win.drop(columns='fetched_at').reset_index(drop=True))

def _user_fetcher(**kw) -> FetchResult:
    "A non-feed source's items (hand-written): one item, to sit between two feeds in the refresh"
    df = pd.DataFrame([dict(key='url:https://example.org/x', title='Between the feeds', url='https://example.org/x')])
    from mlnews_nb.core import to_items
    return FetchResult(to_items(df, source='between'), FetchOutcome())

def test_fetch_all_keeps_order_and_a_broken_feed_is_its_own(fix, monkeypatch):
    import sys, types
    mod = types.ModuleType('_batch_user_fetchers'); mod.get = _user_fetcher
    monkeypatch.setitem(sys.modules, '_batch_user_fetchers', mod)
    caps = [p for p in _feeds(fix) if p.stat().st_size < 200_000][:4]
    srv = FixtureServer().start()
    try:
        urls = [srv.add(f'/f{i}.xml', p) for i, p in enumerate(caps)]
        bad = srv.add('/broken.xml', b'\x00\x01 not a feed', ctype='application/rss+xml')
        srcs = [Source('a', url=urls[0]), Source('b', url=urls[1]), Source('mid', fetcher='_batch_user_fetchers:get'),
                Source('bad', url=bad), Source('c', url=urls[2]), Source('d', url=urls[3]), Source('d2', url=urls[3])]
        items, health = fetch_all(srcs, since=None, http=Http(':memory:', policies={}))
        ref = [parse_feed(p.read_bytes(), url=u, source=n) for p, u, n in zip([*caps, caps[3]], [*urls, urls[3]],
                                                                                     'a b c d d2'.split())]
    finally: srv.stop()
    st = dict(zip(health.source, health.status))
    assert st['bad'] == 'broken' and all(st[s] in ('ok', 'quiet') for s in 'a b c d d2 mid'.split()), st
    # the sources' order: a, b, the user fetcher's item, then c, d and d2 (one fetch shared by two sources)
    want = [s for s, d in zip('a b c d d2'.split(), ref) for _ in range(len(d))]
    want[sum(len(d) for d in ref[:2]):sum(len(d) for d in ref[:2])] = ['mid']
    assert items.source.tolist() == want
    check_items(items)
    joined = pd.concat([d for d in ref[:2]] + [items[items.source == 'mid']] + ref[2:], ignore_index=True)
    pd.testing.assert_frame_equal(items.drop(columns='fetched_at'), joined.drop(columns='fetched_at'))
    assert health.set_index('source').loc['a', 'newest'] == ref[0].published.max()
