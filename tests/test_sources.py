"The registry: default list, TOML config, OPML, fetch_all health, CLI verbs; all over the local server with real captures."
import io, re, html
from pathlib import Path
import pytest
from mlnews_nb.core import HEALTH_STATUSES, check_items
from mlnews_nb.net import use_http
from mlnews_nb.testserver import FixtureServer
from mlnews_nb.registry import (is_feed, DEFAULT_SOURCES, Source, load_sources, save_sources, read_opml,
                                import_opml, write_opml, sources_path)
from mlnews_nb.refresh import fetch_all
from mlnews_nb.cli import cli_sources, cli_fetch

FEEDS = [('lilianweng', 'blog_feeds/lilianweng_index_2026.xml'), ('colah', 'blog_feeds/colah_rss_2019.xml'),
         ('deepmind', 'newsletter_feeds_derived/leontloveless_deepmind-blog.xml'), ('openai', 'newsletter_feeds_derived/mibuhand_openai_research.atom.xml'),
         ('the-batch', 'newsletter_feeds_derived/ati_the-batch.xml')]

def _local(server, fix):
    out = []
    for name, f in FEEDS:
        out.append(Source(name, url=server.add(f'/{name}.xml', fix/f)))
    return out


def test_one_bad_host_does_not_stop_the_others(fix, server, http):
    srcs = _local(server, fix) + [Source('dead-host', url='http://127.0.0.1:9/feed.xml'),
                                  Source('html', url=server.add('/page.html', '<html><body>no feed</body></html>', ctype='text/html')),
                                  Source('boom', 'paper', fetcher='mlnews_nb.feeds:sanitize_html', args={'html': 1})]
    from mlnews_nb.store import Store
    store = Store(':memory:')
    items, health = fetch_all(srcs, since=None, http=http, store=store)
    check_items(items)
    hs = health.set_index('source')
    assert set(health.status) <= set(HEALTH_STATUSES)
    assert hs.loc['dead-host', 'status'] == 'unreachable' and hs.loc['html', 'status'] == 'broken' and hs.loc['boom', 'status'] == 'broken'
    for name, f in FEEDS:
        raw = (fix/f).read_text()
        assert hs.loc[name, 'status'] == 'ok' and hs.loc[name, 'items'] == max(raw.count('<item>'), raw.count('<entry>')), name
    assert not ((health.status == 'ok') & (health['items'] == 0)).any()
    assert len(store.fetch_log()) == len(srcs) and set(store.items().key) == set(items.key)

def test_refresh_twice_is_unchanged_with_conditional_requests_only(fix, server, http):
    srcs = _local(server, fix)
    a, _ = fetch_all(srcs, since=None, http=http)
    n = len(server.log)
    b, h2 = fetch_all(srcs, since=None, http=http)
    assert h2.status.eq('unchanged').all() and h2.from_cache.all()
    later = server.log[n:]
    assert len(later) == len(srcs) and all(e['status'] == 304 for e in later)
    assert all('If-None-Match' in e['headers'] or 'If-Modified-Since' in e['headers'] for e in later)
    assert len(a) == len(b)

def test_health_words(fix, server, http):
    other = FixtureServer().start()   # a Retry-After speaks for its host: the rate-limited feed lives on a host of its own
    other.add('/limited.xml', b'', status=429, headers={'Retry-After': '99999'})
    server.add('/empty.xml', fix/'blog_feeds'/'colah_tag_type_theory_empty.xml')
    server.add('/bad.xml', fix/'feed_edge_cases'/'feedparser_bozo_invalid-bytes-with-bom.xml')
    server.add('/old.xml', b'', status=301, headers={'Location': '/new.xml'})
    server.add('/new.xml', fix/'blog_feeds'/'lilianweng_tag_auto-ml.xml')
    srcs = [Source('limited', url=other.url('/limited.xml')), Source('empty', url=server.url('/empty.xml')),
            Source('bad', url=server.url('/bad.xml')), Source('old', url=server.url('/old.xml')), Source('gone', url=server.url('/nope.xml')),
            Source('wildml', status='dead', url='http://www.wildml.com/feed/'), Source('arch', fetcher=None, status='archive', url='https://x.org/')]
    _, h = fetch_all(srcs, since=None, http=http)
    got = h.set_index('source').status.to_dict()
    assert got == dict(limited='blocked', empty='quiet', bad='broken', old='moved', gone='moved', wildml='dead', arch='quiet')
    moved_to = (fix/'blog_feeds'/'lilianweng_tag_auto-ml.xml').read_text().count('<item>')   # what /new.xml serves
    assert h.set_index('source').loc['old', 'items'] == moved_to and 'new.xml' in h.set_index('source').loc['old', 'message']
    assert (h.message.str.len() > 0).all()
    other.stop()

def test_default_list_and_config(fix, tmp_path):
    assert {s.status for s in DEFAULT_SOURCES if s.name in ('wildml', 'the-neural-perspective')} == {'dead'}
    assert {s.status for s in DEFAULT_SOURCES if s.name in ('distill', 'alignment-newsletter')} == {'archive'}
    assert {'mlnews_nb.arxiv:arxiv_listing', 'mlnews_nb.papers:hf_daily_papers'} <= {s.fetcher for s in DEFAULT_SOURCES}
    assert load_sources() == DEFAULT_SOURCES and not sources_path().exists()
    save_sources(DEFAULT_SOURCES[:2]); assert [s.name for s in load_sources()] == [s.name for s in DEFAULT_SOURCES[:2]]
    assert not list(sources_path().parent.glob('*.tmp'))

@pytest.mark.parametrize('name,n,version', [('kamusis_news-explorer-export.opml', 225, '1.0'), ('karpathy-rss-digest_feeds.opml', 92, '2.0'),
                                            ('subhajit-paul_ml.opml', 11, '1.0')])
def test_opml_read_and_round_trip(fix, name, n, version, tmp_path):
    p = fix/'opml'/name
    df = read_opml(p)
    assert (len(df), df.attrs['version']) == (n, version)
    assert df.xml_url.tolist() == [html.unescape(u).strip() for u in re.findall(r'xmlUrl="([^"]+)"', p.read_text())]
    save_sources([])
    new = import_opml(p)
    assert len(new) == df.xml_url.nunique()
    out = tmp_path/'out.opml'; write_opml(load_sources(), out)
    assert sorted(read_opml(out).xml_url) == sorted(df.xml_url.unique())

def test_cli_sources_and_fetch(fix, server, http, tmp_path):
    server.add('/index.xml', fix/'blog_feeds'/'lilianweng_index_2026.xml')
    server.add('/', '<html><head><link rel="alternate" type="application/rss+xml" href="/index.xml"></head></html>', ctype='text/html')
    out = io.StringIO()
    with use_http(http):
        assert cli_sources(['list'], out=out) == 0 and 'import-ai' in out.getvalue() and 'wildml' not in out.getvalue()
        assert cli_sources(['add', server.url('/'), '--tag', 'mine'], out=out) == 0
        name = load_sources()[-1].name
        assert load_sources()[-1].url == server.url('/index.xml')
        assert cli_fetch(['--source', name, '--since', 'all'], out=out) == 0
        assert re.search(rf'{re.escape(name)}\s+(ok|unchanged)\s+{(fix/"blog_feeds"/"lilianweng_index_2026.xml").read_text().count("<item>")}', out.getvalue())  # add_source fetched it already: a 304 now
        assert cli_fetch(['--source', 'nope'], out=out) == 2
        assert cli_sources(['remove', name], out=out) == 0 and name not in [s.name for s in load_sources()]
        opml = fix/'opml'/'subhajit-paul_ml.opml'
        feeds, have = read_opml(opml), {s.url: s.name for s in load_sources()}
        dup = feeds[feeds.xml_url.isin(have)]
        assert len(dup) and len(dup) < len(feeds)   # the list holds feeds we follow already (arXiv's cs.LG) and new ones
        assert cli_sources(['import-opml', str(opml)], out=out) == 0 and f'imported {feeds.xml_url.nunique() - len(dup)} ' in out.getvalue()
        for r in dup.itertuples():                  # each one not imported is said, not silent
            assert f'already a source: {r.title} ({r.xml_url}) is {have[r.xml_url]}' in out.getvalue()
        assert cli_sources(['export-opml', '-o', str(tmp_path/'x.opml')], out=out) == 0
        assert len(read_opml(tmp_path/'x.opml')) == len([s for s in load_sources() if is_feed(s) and s.status != 'dead'])
        assert {'hn', 'hf-daily-papers', 'meta-ai'}.isdisjoint(read_opml(tmp_path/'x.opml').title)   # an API endpoint, a page: not feeds

def test_stale_when_rebuilt_with_the_same_items(fix, server, http):
    "A feed whose build date moves while its item ids stay put is `stale`; a 304 is `unchanged`; a new item is `ok` again"
    held = [p for p in (Path(fix, 'blog_feeds', 'lilianweng_index_2026.xml'),   # the real one where ../shared exists
                        Path(fix, 'blog_feeds_2026', 'listeningpost_deepmind_2026-08-20_trimmed6.xml')) if p.exists()]
    for k, p in enumerate(held): _stale(p.read_bytes(), server, http, f'feed{k}')

def _stale(raw, server, http, name):
    from mlnews_nb.store import Store
    st = Store(':memory:')
    built = re.search(rb'<lastBuildDate>([^<]+)</lastBuildDate>', raw).group(1)
    title = re.search(rb'<title>([^<]+)</title>', raw).group(1)          # the channel's
    n_items = raw.count(b'<item>')
    src = [Source(name, url=server.add(f'/{name}.xml', raw))]
    _, h = fetch_all(src, since=None, http=http, store=st)
    assert h.status[0] == 'ok' and len(st.get_state('feeds', name)['ids']) == n_items
    _, h = fetch_all(src, since=None, http=http, store=st)               # same bytes: a 304
    assert h.status[0] == 'unchanged'
    server.add(f'/{name}.xml', raw.replace(built, b'Fri, 01 Jan 2027 06:00:00 +0000'))
    _, h = fetch_all(src, since=None, http=http, store=st)
    assert h.status[0] == 'stale' and f'same {n_items} items' in h.message[0] and '2027-01-01 06:00' in h.message[0]
    server.add(f'/{name}.xml', raw.replace(built, b'Fri, 01 Jan 2027 06:00:00 +0000').replace(title, title + b' (renamed)', 1))
    assert fetch_all(src, since=None, http=http, store=st)[1].status[0] == 'ok'   # same date, same ids: not rebuilt since last time
    new = raw.replace(built, b'Sat, 02 Jan 2027 06:00:00 +0000').replace(b'<item>', b'<item><title>New</title><link>https://example.org/posts/new/</link></item><item>', 1)
    server.add(f'/{name}.xml', new)
    assert fetch_all(src, since=None, http=http, store=st)[1].status[0] == 'ok'
    assert len(st.get_state('feeds', name)['ids']) == n_items + 1

def test_feeds_sharing_a_url_are_fetched_once(fix, server, http):
    url = server.add('/colah.xml', fix/'blog_feeds'/'colah_rss_2019.xml')
    items, h = fetch_all([Source('a', url=url), Source('b', url=url)], since=None, http=http)
    assert h.status.tolist() == ['ok', 'ok'] and h.source.tolist() == ['a', 'b']
    assert items.groupby('source').size().to_dict() == {'a': 6, 'b': 6}
    assert sum(1 for e in server.log if e['path'].startswith('/colah.xml')) == 1

def test_fetcher_health_reaches_the_health_table(server, tmp_path):
    "arXiv's own verdicts travel through fetch_all: a weekend feed is quiet, a repeated batch is stale."
    from pathlib import Path
    from mlnews_nb.registry import Source
    from mlnews_nb.refresh import fetch_all
    from mlnews_nb.net import Http
    data = Path(__file__).parent/'data'/'arxiv_rss'
    server.add('/rss/cs.LG', data/'cs.LG_2024-02-06_repeat.rss', ctype='application/rss+xml',   # Tuesday repeats Monday's batch
               faults=[dict(body=(data/'cs.LG_2024-02-05.rss').read_bytes())])                        # the first answer: Monday
    server.add('/rss/stat.ML', data/'cs.LG_2024-02-10_weekend.rss', ctype='application/rss+xml')
    state = str(tmp_path/'listing.json')
    src = lambda c: Source(f'arxiv-{c}', 'paper', server.url(f'/rss/{c}'), 'mlnews_nb.arxiv:arxiv_listing',
                           dict(categories=[c], base=server.base, state_path=state))
    _, h1 = fetch_all([src('cs.LG')], since=None, http=Http(':memory:', policies={}))     # Monday's batch, remembered
    _, h2 = fetch_all([src('cs.LG'), src('stat.ML')], since=None, http=Http(':memory:', policies={}))
    assert h1.status.tolist() == ['ok']
    assert h2.set_index('source').status.to_dict() == {'arxiv-cs.LG': 'stale', 'arxiv-stat.ML': 'quiet'}
    assert 'repeat' in h2.message[0] and h2['items'][1] == 0
