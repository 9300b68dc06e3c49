"""Feeds on the captures added in 2026 (Substack, OpenAI and DeepMind 2026, YouTube, Reddit Atom), and the defects of issue 11
(one bad item never costs its source, Reddit's HTML, external entities, hostile residue, autodiscovery under a sub-path).

Expected values are read from the capture files with plain lxml. Where a test needs an input no capture holds (a year-3026 date,
a `javascript:` link, raw HTML inside an RSS description, a comment listing), it is made from a real capture by one stated edit,
or written by hand when noted."""
import html, json, re
from pathlib import Path
import pytest, pandas as pd
from lxml import etree
from mlnews_nb.core import SourceError, MLNewsError, check_items, to_utc
from mlnews_nb.feeds import parse_feed, read_feed, discover_feeds

ATOM, MEDIA = '{http://www.w3.org/2005/Atom}', '{http://search.yahoo.com/mrss/}'
DC, CONTENT = '{http://purl.org/dc/elements/1.1/}', '{http://purl.org/rss/1.0/modules/content/}'

def _rss(path): return etree.fromstring(path.read_bytes()).findall('channel/item')

# --- the new real captures ---------------------------------------------------------------------------------------------------
def test_substack_newsletter(fix):
    f = fix/'newsletter_feeds'/'scout-cpu_interconnects_substack_feed_2026-08.xml'
    items = _rss(f)
    df = check_items(parse_feed(f.read_bytes(), url='https://www.interconnects.ai/feed', source='interconnects', kind='newsletter'))
    assert df.attrs['feed']['parser'] == 'lxml' and df.attrs['feed']['title'] == 'Interconnects AI'
    assert len(df) == len(items) == 20
    assert df.title.tolist() == [i.findtext('title').strip() for i in items]
    assert df.url.tolist() == [i.findtext('link') for i in items]
    assert df.authors.tolist() == [[c.text for c in i.findall(f'{DC}creator')] for i in items]
    assert df.published.tolist() == [to_utc(i.findtext('pubDate')) for i in items]
    assert df.summary.tolist() == [' '.join(html.unescape(i.findtext('description')).split()) for i in items]   # the subtitle, not the 25 KB post
    assert all(x.get('has_content') for x in df.extra)                                          # content:encoded is there, noted
    cited = {k for i in items for k in re.findall(r'arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})', i.findtext(f'{CONTENT}encoded') or '')}
    assert {k.removeprefix('arxiv:') for ks in df.links_to for k in ks if k.startswith('arxiv:')} == cited

@pytest.mark.parametrize('name', ['listeningpost_openai-news_2026-08-20_trimmed6.xml', 'listeningpost_deepmind_2026-08-20_trimmed6.xml'])
def test_openai_and_deepmind_2026(fix, name):
    f = fix/'blog_feeds_2026'/name
    items, ch = _rss(f), etree.fromstring(f.read_bytes()).find('channel')
    df = check_items(parse_feed(f.read_bytes(), url='https://example.org/rss.xml', source='lab'))
    assert len(df) == len(items) == 6
    assert df.url.tolist() == [i.findtext('link') for i in items]
    assert df.title.tolist() == [i.findtext('title') for i in items]
    assert df.published.tolist() == [to_utc(i.findtext('pubDate')) for i in items]
    assert df.attrs['feed']['link'] == ch.findtext('link')   # DeepMind's self link points to example.com: the channel link is the site
    empty = [not (i.findtext('description') or '').strip() for i in items]
    assert [s == '' for s in df.summary] == empty

def test_youtube_channel_feed(fix):
    f = fix/'youtube'/'yt_channel_DigitalFoundry_2025-01.xml'
    es = etree.fromstring(f.read_bytes()).findall(f'{ATOM}entry')
    df = check_items(parse_feed(f.read_bytes(), source='digitalfoundry', kind='video'))
    assert len(df) == len(es) == 15 and df.kind.eq('video').all()
    assert df.url.tolist() == [e.find(f'{ATOM}link').get('href') for e in es]
    assert df.title.tolist() == [e.findtext(f'{ATOM}title') for e in es]
    assert df.authors.tolist() == [[e.findtext(f'{ATOM}author/{ATOM}name')] for e in es]
    assert df.published.tolist() == [to_utc(e.findtext(f'{ATOM}published')) for e in es]
    assert df.updated.tolist() == [to_utc(e.findtext(f'{ATOM}updated')) for e in es]
    desc = [' '.join((e.findtext(f'{MEDIA}group/{MEDIA}description') or '').split()) for e in es]
    assert df.summary.tolist() == desc and any(desc)   # the video's description comes from media:group
    assert [x['guid'] for x in df.extra] == [e.findtext(f'{ATOM}id') for e in es]

def test_reddit_atom_keeps_author_html_and_links(fix):
    from mlnews_nb.community import _reddit_from_feed
    f = fix/'reddit'/'atom'/'reddit_r_homelab_new_2023-07-23.xml'
    es = etree.fromstring(f.read_bytes()).findall(f'{ATOM}entry')
    df = check_items(_reddit_from_feed(parse_feed(f.read_bytes(), source='r/homelab', kind='discussion'), 'homelab'))
    assert len(df) == len(es) == 25
    assert df.key.tolist() == ['reddit:' + e.findtext(f'{ATOM}id').removeprefix('t3_') for e in es]
    assert df.authors.tolist() == [[e.findtext(f'{ATOM}author/{ATOM}name')] for e in es]
    assert df.summary_html.str.contains('<a href=').all()            # the HTML survives, sanitized
    assert not df.summary_html.str.contains('<!--|class=', regex=True).any()
    posted = [re.search(r'<a href="([^"]+)">\[link\]</a>', html.unescape(e.findtext(f'{ATOM}content'))).group(1) for e in es]
    from urllib.parse import urljoin   # one post links a Reddit path: made absolute against the post's own page
    assert [x['link_url'] for x in df.extra] == [urljoin(e.find(f'{ATOM}link').get('href'), p) for e, p in zip(es, posted)]

# --- issue 11 §5: Reddit's description HTML survives the fast path --------------------------------------------------------------
def _raw_html_descriptions(b:bytes) -> bytes:
    "The real Reddit RSS capture with each description's escaped HTML written as raw elements (the shape issue 11 met)"
    return re.sub(rb'<description>(.*?)</description>', lambda m: b'<description>' + html.unescape(m.group(1).decode()).encode() + b'</description>', b, flags=re.S)

def test_reddit_rss_description_html_survives(fix):
    from mlnews_nb.community import _reddit_from_feed
    f = fix/'reddit'/'rss-parser_reddit_front.rss.xml'
    b = _raw_html_descriptions(f.read_bytes())
    etree.fromstring(b)   # still well-formed: the fast path reads it
    items = etree.fromstring(f.read_bytes()).findall('channel/item')
    want_link = [re.search(r'<a href="([^"]+)">\[link\]</a>', i.findtext('description')).group(1) for i in items]
    want_author = [re.search(r'submitted by <a href="[^"]*/user/([^"/]+)"', i.findtext('description')).group(1) for i in items]
    for body in (b, f.read_bytes()):   # raw HTML elements, and the escaped HTML of the capture itself
        df = parse_feed(body, source='reddit', kind='discussion')
        assert df.attrs['feed']['parser'] == 'lxml'
        assert df.summary_html.str.contains('<a href="https://www.reddit.com/user/').all(), df.summary_html[0][:300]
        r = _reddit_from_feed(df, 'front')
        assert [x['link_url'] for x in r.extra] == want_link              # the posted link, 24 of 24
        assert [x['submitter'] for x in r.extra] == want_author            # the submitter, 24 of 24 (issue 14: not an author)
        self_post = ['reddit.com/r/' in l for l in want_link]               # only a self post is written by its submitter
        assert r.authors.tolist() == [[a] if s else [] for a, s in zip(want_author, self_post)]

def test_reddit_comment_listing_says_what_it_got():
    "Hand-written: no capture holds a t1 (comment) listing; the shape is Reddit's documented Listing with t1 children"
    from mlnews_nb.community import _reddit_listing
    d = {'kind': 'Listing', 'data': {'after': None, 'children': [
        {'kind': 't1', 'data': {'id': 'c1', 'body': 'nice paper', 'author': 'a', 'link_id': 't3_x', 'created_utc': 1700000000}},
        {'kind': 't1', 'data': {'id': 'c2', 'body': 'agreed', 'author': 'b', 'link_id': 't3_x', 'created_utc': 1700000100}}]}}
    with pytest.raises(SourceError, match=r'2 comments \(t1\)') as e: _reddit_listing(d, 'r/x')
    assert e.value.health == 'broken'

# --- issue 11 §4: one bad item never costs its source -------------------------------------------------------------------------
def test_a_year_3026_date_costs_only_that_date(fix):
    "A real capture with one pubDate moved to year 3026 (the edit is the only change)"
    f = fix/'newsletter_feeds_derived'/'leontloveless_deepmind-blog.xml'
    raw = f.read_bytes()
    spans = list(re.finditer(rb'<pubDate>(.*?)</pubDate>', raw)); dates = [m.group(1) for m in spans]
    bad = re.sub(rb'\b20\d\d\b', b'3026', dates[3], count=1)
    assert bad != dates[3]
    b = raw[:spans[3].start(1)] + bad + raw[spans[3].end(1):]   # the fourth item's date, and only it
    good = parse_feed(raw, source='dm'); df = parse_feed(b, source='dm')
    assert len(df) == len(good) == len(dates)
    assert pd.isna(df.published[3]) and df.extra[3]['date_missing'] and df.extra[3]['date_unreadable'] == bad.decode()
    assert df.drop(index=3).published.tolist() == good.drop(index=3).published.tolist()
    assert df.drop(columns=['published', 'extra', 'fetched_at']).equals(good.drop(columns=['published', 'extra', 'fetched_at']))
    via_fp = parse_feed(b.replace(b'<channel>', b'<channel><bad>', 1), source='dm')   # not well-formed: the feedparser path, same rule
    assert via_fp.attrs['feed']['parser'] == 'feedparser' and pd.isna(via_fp.published[3]) and via_fp.extra[3]['date_missing']
    assert via_fp.published.notna().sum() == len(dates) - 1

def test_bad_links_and_references_cost_nothing_else(fix):
    "Edits to a real capture: a javascript: link, a broken IPv6 link, a character reference past U+10FFFF, a surrogate reference"
    f = fix/'newsletter_feeds_derived'/'ati_the-batch.xml'
    raw = f.read_bytes(); links = re.findall(rb'<link>(.*?)</link>', raw)[1:]   # [0] is the channel's
    b = raw.replace(b'<link>' + links[0] + b'</link>', b'<link>javascript:alert(1)</link>', 1).replace(b'<link>' + links[1] + b'</link>', b'<link>http://[::1/x</link>', 1)
    good, df = parse_feed(raw, source='b'), check_items(parse_feed(b, url='https://www.deeplearning.ai/the-batch/feed', source='b'))
    assert len(df) == len(good)
    assert pd.isna(df.url[0]) and df.extra[0]['url_refused'] == 'javascript:alert(1)' and not df.key[0].startswith('url:javascript')
    assert pd.isna(df.url[1]) and df.extra[1]['url_refused'] == 'http://[::1/x'
    assert df.url[2:].tolist() == good.url[2:].tolist()
    for ref in (b'&#99999999;', b'&#xD800;', b'&#x110000;'):
        bad = raw.replace(b'</title>', ref + b'</title>', 2)   # not well-formed XML: feedparser reads it
        d = check_items(parse_feed(bad, source='b'))
        assert len(d) == len(good) and d.attrs['feed']['parser'] == 'feedparser'

def test_external_entity_declared_is_ok_and_never_resolved(fix, tmp_path):
    "A real capture with a DOCTYPE that declares an external entity (a local secret): parsed, entity never read"
    secret = tmp_path/'secret.txt'; secret.write_text('TOP-SECRET')
    raw = (fix/'blog_feeds'/'colah_rss_2019.xml').read_bytes()
    decl, body = raw.split(b'?>', 1)
    b = decl + b'?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://' + str(secret).encode() + b'">]>' + body
    df = parse_feed(b, source='colah')
    assert df.attrs['feed']['parser'] == 'lxml' and not df.attrs['feed']['bozo'] and df.attrs['feed']['problem'] is None
    assert len(df) == len(parse_feed(raw, source='colah'))
    used = decl + b'?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://' + str(secret).encode() + b'">]>' + body.replace(b'<title>', b'<title>&xxe;', 1)
    try: d2 = parse_feed(used, source='colah')
    except SourceError: d2 = None
    if d2 is not None: assert not any('TOP-SECRET' in str(v) for c in ('title', 'summary') for v in d2[c])

# --- issue 11 §6: hostile residue at the contract --------------------------------------------------------------------------
def test_control_characters_and_huge_titles(fix):
    "Edits to a real capture: control characters in a title and a description, and a 5 MB title"
    held = [p for p in (Path(fix, 'blog_feeds', 'colah_rss_2019.xml'),   # the real one where ../shared exists
                        Path(fix, 'blog_feeds_2026', 'listeningpost_deepmind_2026-08-20_trimmed6.xml')) if p.exists()]
    for f in held: _control_and_huge(f.read_bytes())

def _control_and_huge(raw):
    titles = re.findall(rb'<title>(.*?)</title>', raw)   # [0] is the channel's
    b = raw.replace(b'<title>' + titles[1] + b'</title>', b'<title>' + titles[1] + b'&#x1;&#x1b;\x08</title>', 1)
    b = b.replace(b'<title>' + titles[2] + b'</title>', b'<title>' + b'T' * 5_000_000 + b'</title>', 1)
    df = check_items(parse_feed(b, source='blog'))
    good = parse_feed(raw, source='blog')
    assert df.title[0] == good.title[0] and not re.search('[\x00-\x08\x0b-\x1f]', ''.join(df.title))
    assert len(df.title[1]) <= 1000 and df.extra[1]['title_cut'] == 5_000_000 and len(df.key[1]) <= 300

# --- issue 11 §5: autodiscovery under a sub-path ------------------------------------------------------------------------------
def test_discover_tries_the_pages_own_path(fix, server, http):
    server.add('/blog/index.xml', fix/'blog_feeds'/'lilianweng_index_2026.xml')
    server.add('/blog/', '<html><head><title>a blog under a sub-path</title></head><body>posts</body></html>', ctype='text/html')
    found = discover_feeds(server.url('/blog/'), http=http)
    assert found == [dict(url=server.url('/blog/index.xml'), title=None, type='guessed')]
