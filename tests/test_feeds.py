"read_feed and friends on every captured feed, on hostile input and over HTTP. Values are read from the files with lxml."
import re
from pathlib import Path
import pytest, pandas as pd
from lxml import etree
from mlnews_nb.core import SourceError, check_items, to_utc
from mlnews_nb.feeds import read_feed, read_feed_result, parse_feed, extract_links, discover_feeds
from conftest import SHARED, committed_only

DATA = Path(__file__).parent/'data'/'feeds'
FOLDERS = ('blog_feeds', 'blog_feeds_2026', 'newsletter_feeds_derived', 'feed_edge_cases')
# how many files the folders hold at least: all of them (../shared), or the licensed ones committed in tests/data/captures
AT_LEAST = 20 if SHARED else 9

def _captures(fix):
    "Every feed capture in FOLDERS; in a fresh clone the committed (licensed) subset: blog_feeds_2026 and feed_edge_cases"
    return sorted(committed_only(fix, FOLDERS))

def _expected(path):
    "Entries, titles and links read straight from the XML (None when the file is not well-formed)"
    try: root = etree.fromstring(path.read_bytes())
    except etree.XMLSyntaxError: return None
    atom = '{http://www.w3.org/2005/Atom}'
    if root.tag == f'{atom}feed':
        es = root.findall(f'{atom}entry')
        return [(e.findtext(f'{atom}title'), next((l.get('href') for l in e.findall(f'{atom}link') if l.get('rel', 'alternate') == 'alternate'), None)) for e in es]
    return [(i.findtext('title'), i.findtext('link')) for i in root.iter('item')]

def test_every_capture_parses_or_fails_clearly(fix):
    files = _captures(fix)
    assert len(files) >= AT_LEAST
    for f in files:
        exp = _expected(f)
        try: df = parse_feed(f.read_bytes(), source=f.stem)
        except SourceError as e:
            assert exp is None, f'{f.name} is well-formed but failed: {e}'
            assert e.health == 'broken' and e.message
            continue
        check_items(df)
        if exp is None: continue  # malformed but partly recoverable: checked in its own test
        urls = [u for _,u in exp]
        assert len(df) == len({(t, u) for t,u in exp}) or len(df) == len(set(urls)), f.name
        titled = [(t or '').strip() for t,_ in exp if t]
        assert [t for t in df.title.dropna()] == [' '.join(t.split()) for t in titled][:len(df.title.dropna())], f.name

def test_dates_are_utc_and_match_the_file(fix):
    f = fix/'newsletter_feeds_derived'/'leontloveless_deepmind-blog.xml'
    df = parse_feed(f.read_bytes())
    raw = [i.findtext('pubDate') for i in etree.fromstring(f.read_bytes()).iter('item')]
    assert df.published.tolist() == [to_utc(x) for x in raw]
    assert str(df.published.dt.tz) == 'UTC'

def test_malformed_files(fix):
    e = fix/'feed_edge_cases'
    with pytest.raises(SourceError, match='nothing recoverable') as ex: parse_feed((e/'feedparser_aaa_illformed.xml').read_bytes())
    assert ex.value.health == 'broken'
    d = parse_feed((e/'feedparser_bozo_linenoise.xml').read_bytes())
    assert len(d) == 1 and d.attrs['feed']['note']
    big = parse_feed((e/'feedparser_large_atom_feed_that_needs_css_sanitisation.xml').read_bytes())
    assert len(big) == 15 and not big.summary_html.str.contains('<style|style=', regex=True).any()

def test_hostile_summary_is_harmless():
    df = parse_feed((DATA/'hostile.rss').read_bytes(), url='https://evil.example.org/feed.xml')
    assert len(df) == 2  # the second item repeats guid p1: merged
    html = df.summary_html[0]
    for bad in ('javascript', 'JaVaScRiPt', 'onmouseover', 'onerror', '<script', '<iframe', 'alert'):
        assert bad not in html, bad
    assert df.url[0] == 'https://evil.example.org/posts/1'
    assert 'src="https://evil.example.org/x.png"' in html
    assert df.links_to[0] == ['arxiv:2306.00001']
    assert df.published[0] == pd.Timestamp('2025-06-10 10:00', tz='UTC')
    assert pd.isna(df.published[1]) and df.extra[1]['date_missing'] is True
    assert 'alert' not in df.summary[0] and 'See this and our paper.' in df.summary[0]

def test_json_feed():
    df = read_feed(DATA/'jsonfeed.json', source='json')
    assert df.url.tolist() == ['https://json.example.org/posts/one', 'https://json.example.org/posts/two']
    assert df.links_to[0] == ['openreview:abcXYZ'] and 'script' not in df.summary_html[0]
    assert df.published[0] == pd.Timestamp('2025-01-02 08:04:05', tz='UTC') and df.extra[1]['date_missing']
    with pytest.raises(SourceError, match='not a JSON Feed'): parse_feed(b'{"hello": 1}')

def test_extract_links_blurbs_on_real_post(fix):
    import feedparser
    f = fix/'blog_feeds'/'lilianweng_tag_reinforcement-learning.xml'
    e = feedparser.parse(f.read_bytes()).entries[0]
    html = e.get('content', [{}])[0].get('value') or e.summary
    links = extract_links(html)
    want = list(dict.fromkeys(re.findall(r'arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})', html)))
    assert [l['key'] for l in links if l['key'].startswith('arxiv:')] == [f'arxiv:{w}' for w in want]
    assert all(l['blurb'] and len(l['blurb']) <= 400 for l in links)

def test_read_feed_http_conditional_and_errors(fix, server, http):
    f = fix/'blog_feeds'/'colah_rss_2019.xml'
    url = server.add('/rss.xml', f)
    a = read_feed(url, http=http)
    b = read_feed_result(url, http=http)
    assert len(a) == len(b.items) == len(_expected(f))
    assert b.outcome.from_cache and server.log[-1]['status'] == 304
    server.add('/down.xml', b'', status=503)
    with pytest.raises(SourceError) as ex: read_feed(server.url('/down.xml'), http=http)
    assert ex.value.health == 'broken'   # a 5xx from a server that answered
    server.add('/trunc.xml', f, faults=[{'truncate': 0.5}] * 5)
    with pytest.raises(SourceError): read_feed(server.url('/trunc.xml'), http=http)

def test_discover_feeds(fix, server, http):
    server.add('/index.xml', fix/'blog_feeds'/'lilianweng_index_2026.xml')
    server.add('/', '<html><head><link rel="alternate" type="application/atom+xml" href="index.xml" title="T"></head></html>', ctype='text/html')
    server.add('/nolink/', '<html><head></head><body>x</body></html>', ctype='text/html')
    server.add('/feed', fix/'blog_feeds'/'colah_rss_2019.xml')  # the usual paths are tried at the site root
    assert discover_feeds(server.url('/'), http=http)[0]['url'] == server.url('/index.xml')
    assert discover_feeds(server.url('/nolink/'), http=http) == [dict(url=server.url('/feed'), title=None, type='guessed')]

# --- the lxml fast path against feedparser ---------------------------------------------------------------------------------
FAST_FOLDERS = ('blog_feeds', 'blog_feeds_2026', 'newsletter_feeds_derived', 'feed_edge_cases', 'reddit', 'hackernews')

def _via_feedparser(monkeypatch, b, **kw):
    from mlnews_nb import feeds
    with monkeypatch.context() as m:
        m.setattr(feeds, '_fast_parse', lambda *a, **k: None)
        return feeds.parse_feed(b, **kw)

def _well_formed(fix):
    out = []
    for f in sorted(committed_only(fix, FAST_FOLDERS)):
        try: etree.fromstring(f.read_bytes()); out.append(f)
        except etree.XMLSyntaxError: pass
    return out

def test_fast_path_gives_feedparsers_items(fix, monkeypatch):
    "Titles, links, dates, authors, guids, categories and cited papers agree on every well-formed capture (and the RSS 1.0 one)"
    files = [*_well_formed(fix), DATA/'rss10.rdf', *sorted((DATA.parent/'social').glob('*.rss'))]
    assert len(files) >= AT_LEAST
    fast_ones = 0
    for f in files:
        b = f.read_bytes()
        url = 'https://feeds.example.org/dir/feed.xml'  # as read_feed passes it: relative links and ids resolve against it
        a, s = parse_feed(b, url=url, source='x'), _via_feedparser(monkeypatch, b, url=url, source='x')
        assert s.attrs['feed']['parser'] == 'feedparser'
        fast_ones += a.attrs['feed']['parser'] == 'lxml'
        assert len(a) == len(s), f.name
        for c in ('key', 'title', 'url', 'authors', 'categories', 'links_to'): assert a[c].tolist() == s[c].tolist(), (f.name, c)
        for c in ('published', 'updated'): pd.testing.assert_series_equal(a[c], s[c], check_names=False, obj=f'{f.name} {c}')
        assert [x.get('guid') for x in a.extra] == [x.get('guid') for x in s.extra], f.name
        assert [x.get('date_missing') for x in a.extra] == [x.get('date_missing') for x in s.extra], f.name
        for k in ('title', 'link', 'format', 'entries'): assert a.attrs['feed'][k] == s.attrs['feed'][k], (f.name, k)
    # the two feedparser-corpus files with Windows-1252 points / double-encoded UTF-8 go to feedparser (it repairs them)
    assert fast_ones == len(files) - 2

def test_fast_path_without_url_matches_except_leaky_base(fix, monkeypatch):
    "Without a URL too; feedparser lets a content element's relative xml:base leak onto the <id> after it (reddit's Atom): ids differ there only"
    for f in _well_formed(fix):
        b = f.read_bytes()
        a, s = parse_feed(b, source='x'), _via_feedparser(monkeypatch, b, source='x')
        for c in ('title', 'url', 'authors', 'published'): assert a[c].tolist() == s[c].tolist() or a[c].equals(s[c]), (f.name, c)
        ga, gs = [x.get('guid') for x in a.extra], [x.get('guid') for x in s.extra]
        if f.name == 'rss-parser_reddit_home.atom.xml': assert gs == ['/' + g for g in ga] and ga[0] == 't3_42tizy'
        else: assert ga == gs, f.name

def test_rss10_values_from_the_file():
    df = parse_feed((DATA/'rss10.rdf').read_bytes(), source='lab')
    assert df.attrs['feed']['parser'] == 'lxml' and df.attrs['feed']['format'] == 'rss10'
    assert df.attrs['feed']['title'] == 'Lab notes & papers'
    assert df.url.tolist() == ['https://lab.example.org/blog/posts/sparse-attention', 'https://lab.example.org/blog/posts/no-date']
    assert df.authors.tolist() == [['Ada Lovelace'], ['Grace Hopper']]
    assert df.published[0] == pd.Timestamp('2025-03-01 10:30', tz='UTC') and pd.isna(df.published[1]) and df.extra[1]['date_missing']
    assert df.links_to[0] == ['arxiv:2004.05150', 'openreview:Abc123'] and df.extra[0]['has_content']
    assert df.summary[1] == 'Plain text, café and “quotes”.' and df.categories[0] == ['attention']

def test_fallbacks_keep_feedparser(fix):
    e = fix/'feed_edge_cases'
    for n in ('feedparser_bozo_linenoise.xml', 'feedparser_demoronize-1.xml', 'feedparser_double-encoded-html.xml'):
        assert parse_feed((e/n).read_bytes()).attrs['feed']['parser'] == 'feedparser', n
    assert parse_feed((e/'feedparser_demoronize-1.xml').read_bytes()).summary[0] == 'don\u2019t'   # feedparser's cp1252 repair kept
    assert ord(parse_feed((e/'feedparser_double-encoded-html.xml').read_bytes()).summary[0]) == 8230
    raw = (fix/'blog_feeds'/'colah_rss_2019.xml').read_bytes()
    assert parse_feed(raw, headers={'Content-Type': 'text/html'}).attrs['feed']['parser'] == 'feedparser'   # feedparser notes it
    assert parse_feed(raw, headers={'Content-Type': 'application/rss+xml; charset=iso-8859-1'}).attrs['feed']['parser'] == 'feedparser'
    body = raw.split(b'?>', 1)[1]
    used = body.replace(b'<title>', b'<title>&x;', 1)
    assert parse_feed(b'<!DOCTYPE rss [<!ENTITY x "y">]>' + used).attrs['feed']['parser'] == 'feedparser'   # an entity in use: feedparser's rules
    assert parse_feed(b'<!DOCTYPE rss [<!ENTITY x "y">]>' + body).attrs['feed']['parser'] == 'lxml'   # declared, never used: nothing to repair

def test_frame_is_what_to_items_makes(fix, monkeypatch):
    "The column-wise frame builder gives exactly core.to_items' frame on every capture, both paths"
    from mlnews_nb import feeds
    from mlnews_nb.core import to_items
    seen, orig = [], feeds._rows
    monkeypatch.setattr(feeds, '_rows', lambda recs, *, info=None, **kw: seen.append(([dict(r) for r in recs], kw)) or orig(recs, info=info, **kw))
    for f in [*_well_formed(fix), fix/'feed_edge_cases'/'feedparser_bozo_linenoise.xml', DATA/'hostile.rss', DATA/'jsonfeed.json']:
        seen.clear(); df = feeds.parse_feed(f.read_bytes(), url='https://feeds.example.org/f.xml')
        if not seen: assert len(df) == 0; continue
        recs, kw = seen[-1]
        ref = to_items(recs, **kw).drop_duplicates('key', ignore_index=True)
        pd.testing.assert_frame_equal(df.drop(columns='fetched_at'), ref.drop(columns='fetched_at'), obj=f.name)
