"""arXiv sources that must not lie: the real 2024+ announcement feeds (shared/fixtures/arxiv_rss), arXiv's error feed for a
misspelled category (hand-written from the feed service's code: tests/data/arxiv_rss/error_cs.LGG.rss), empty and stale
feeds derived from the real capture, and the one API parser (the `arxiv` package's) with the internals we drive."""
import json, re, xml.etree.ElementTree as ET
from pathlib import Path
import pandas as pd, pytest
from mlnews_nb.core import SourceError, check_items
from mlnews_nb.arxiv import (arxiv_listing, arxiv_listing_result, parse_listing, parse_api_page, listing_health, listing_state, judge_listing, JsonState,
                             LISTING_STATE, ArxivClient, ARXIV_API)

RSS_DIR = Path(__file__).parent/'data'/'arxiv_rss'
NS = {'arxiv': 'http://arxiv.org/schemas/atom', 'dc': 'http://purl.org/dc/elements/1.1/'}

def real(fix, name='rss_quant-ph_2025-04-28.xml'): return fix/'arxiv_rss'/name

def file_facts(p):
    "Every item's facts and the channel's, read with the stdlib parser"
    ch = ET.parse(p).getroot().find('channel')
    items = []
    for it in ch.findall('item'):
        aid, v = re.fullmatch(r'oai:arXiv\.org:(.+)v(\d+)', it.findtext('guid')).groups()
        items.append(dict(arxiv_id=aid, version=int(v), type=it.findtext('arxiv:announce_type', namespaces=NS),
                          authors=[a.strip() for a in re.split(r',\s*(?:and\s+)?|\s+and\s+', it.findtext('dc:creator', namespaces=NS) or '') if a.strip()],
                          categories=[c.text for c in it.findall('category')], guid=it.findtext('guid'),
                          day=pd.Timestamp(it.findtext('pubDate')).tz_convert('UTC'), title=' '.join(it.findtext('title').split())))
    return dict(built=ch.findtext('lastBuildDate'), day=ch.findtext('pubDate'), skip=[d.text for d in ch.findall('skipDays/day')]), items

@pytest.mark.parametrize('name', ['rss_quant-ph_2025-04-28.xml', 'rss_all_archives_combined_2024-11-28.xml'])
def test_real_announcement_feeds(fix, name):
    chan, want = file_facts(real(fix, name))
    df, info = parse_listing(real(fix, name).read_bytes())
    check_items(df)
    assert len(df) == len(want) and len(want) in (81, 1504)
    assert df.arxiv_id.tolist() == [w['arxiv_id'] for w in want] and df.version.tolist() == [w['version'] for w in want]
    assert df.extra.str['announce_type'].tolist() == [w['type'] for w in want]
    assert df.authors.tolist() == [w['authors'] for w in want] and df.categories.tolist() == [w['categories'] for w in want]
    assert df.title.tolist() == [w['title'] for w in want]
    assert df.updated.tolist() == [w['day'] for w in want]
    assert df.published.isna().tolist() == [w['type'].startswith('replace') for w in want]
    assert (info['built'], info['day'], info['skip_days']) == (chan['built'], chan['day'], chan['skip'])
    assert not df.summary.str.contains('Announce Type').any() and df.summary.str.len().min() > 0
    if 'quant-ph' in name: assert set(df.extra.str['announce_type']) == {'new', 'cross', 'replace', 'replace-cross'}

def test_real_feed_health_ok_then_unchanged_then_stale(fix):
    "The real Monday feed: ok; again the same day: unchanged; again the next afternoon with the same build date: stale"
    df, info = parse_listing(real(fix).read_bytes())
    g = [x['guid'] for x in df.extra]
    assert listing_health(g, info, None) == ('ok', f'{len(g)} announcements')
    prev = listing_state(g, info, None, 'ok', now='2025-04-28T06:00Z')
    word, msg = listing_health(g, info, prev, now='2025-04-28T18:00Z')
    assert word == 'unchanged' and str(len(g)) in msg
    word, msg = listing_health(g, info, prev, now='2025-04-29T18:00Z')   # Tuesday: a new build was due at midnight ET
    assert word == 'stale' and 'still says it was built Mon 2025-04-28 00:00 ET' in msg and 'due Tue 2025-04-29 00:00 ET' in msg
    assert listing_state(g, info, prev, 'stale') is None   # a stale answer does not replace the last good batch

def test_build_date_frozen_over_a_weekend_is_judged_by_announcement_days(fix):
    "Friday's build seen again on Sunday is not stale (no build due on skip days); seen again on Monday afternoon it is"
    body = real(fix).read_text().replace('Mon, 28 Apr 2025 04:00:00 +0000', 'Fri, 25 Apr 2025 04:00:00 +0000')
    df, info = parse_listing(body.encode())
    g = [x['guid'] for x in df.extra]
    prev = listing_state(g, info, None, 'ok', now='2025-04-25T06:00Z')
    assert listing_health(g, info, prev, now='2025-04-27T18:00Z')[0] == 'unchanged'
    assert listing_health(g, info, prev, now='2025-04-28T18:00Z')[0] == 'stale'

def test_build_date_going_back_is_stale(fix):
    df, info = parse_listing(real(fix).read_bytes())
    g = [x['guid'] for x in df.extra]
    word, msg = listing_health(g, info, dict(ids=g, built='Tue, 29 Apr 2025 04:00:00 +0000'), now='2025-04-29T06:00Z')
    assert word == 'stale' and 'before the build seen at the last fetch' in msg

def test_empty_weekday_feed_says_only_what_is_known(fix):
    "The real Monday feed with its items removed: quiet, with the day, the build date and both explanations, no guess as fact"
    body = re.sub(r'<item>.*</item>', '', real(fix).read_text(), flags=re.S)
    df, info = parse_listing(body.encode())
    word, msg = listing_health([], info, None)
    assert len(df) == 0 and word == 'quiet'
    assert 'Mon 2025-04-28' in msg and 'built Mon 2025-04-28 00:00 ET' in msg and 'Monday is not one of its skipDays' in msg
    assert 'Sun-Thu at 20:00 ET' in msg and 'holiday' in msg and 'fault' in msg and '?' not in msg

def test_empty_weekend_feed_is_quiet_by_skipdays():
    _, info = parse_listing((RSS_DIR/'cs.LG_2024-02-10_weekend.rss').read_bytes())
    word, msg = listing_health([], info, None)
    assert word == 'quiet' and 'lists Saturday in skipDays' in msg

def test_error_feed_is_broken_with_arxivs_words(server, http, tmp_path):
    body = (RSS_DIR/'error_cs.LGG.rss').read_bytes()
    desc = ET.fromstring(body).findtext('channel/description')
    with pytest.raises(SourceError) as e: parse_listing(body)
    assert e.value.health == 'broken' and desc in str(e.value) and 'Feed error for query' in str(e.value)
    server.add('/rss/cs.LGG', body, ctype='application/rss+xml')   # arXiv serves it as a feed: through the fetcher too
    with pytest.raises(SourceError) as e: arxiv_listing('cs.LGG', http=http, base=server.base, state_path=tmp_path/'s.json')
    assert e.value.health == 'broken' and "Bad subject class 'LGG'" in str(e.value)
    assert not (tmp_path/'s.json').exists()

def test_listing_stale_through_the_fetcher(fix, server, http, tmp_path):
    server.add('/rss/quant-ph', real(fix), ctype='application/rss+xml')
    first = arxiv_listing_result('quant-ph', http=http, base=server.base, state_path=tmp_path/'s.json').outcome
    again = arxiv_listing_result('quant-ph', http=http, base=server.base, state_path=tmp_path/'s.json').outcome   # years later
    assert first.health == 'ok' and again.health == 'stale'

def test_state_keeper_is_the_store_interface(fix, tmp_path):
    "judge_listing keeps its state through get_state/set_state: a Store works as well as the JSON file"
    from mlnews_nb.store import Store
    df, info = parse_listing(real(fix).read_bytes())
    g = [x['guid'] for x in df.extra]
    for st in (Store(tmp_path/'s.sqlite'), JsonState(tmp_path/'s.json')):
        assert judge_listing('f', g, info, state=st, now='2025-04-28T06:00Z')['status'] == 'ok'
        assert st.get_state(LISTING_STATE, 'f')['ids'] == sorted(g)
        assert judge_listing('f', g, info, state=st, now='2025-04-28T07:00Z')['status'] == 'unchanged'
        assert judge_listing('f', g, info, state=st, now='2025-04-30T07:00Z')['status'] == 'stale'
    assert sorted(json.loads((tmp_path/'s.json').read_text())) == ['f']

# --- one API parser: the arxiv package's ---------------------------------------------------------------------------

def test_api_page_cut_short_is_broken(fix):
    "The arxiv package's parser recovers a cut page silently (fewer entries); parse_api_page refuses it"
    from arxiv import _feed
    page = (fix/'arxiv_api/recorded_body/q_testing_s0_m100_cfe7536492ca.xml').read_bytes()
    cut = page[:len(page) // 2]
    assert 0 < len(_feed.parse(cut).results) < 100 and not _feed.parse(cut).malformed
    with pytest.raises(SourceError, match='cut short') as e: parse_api_page(cut)
    assert e.value.health == 'broken'

def test_one_api_parser():
    "parse_api_page is the arxiv package's parse (no second Atom parser in the module)"
    import inspect, mlnews_nb.arxiv as m
    src = inspect.getsource(m.parse_api_page)
    assert '_arxiv._feed.parse' in src and not hasattr(m, '_api_columns')

def test_arxiv_package_pinned():
    import tomllib
    deps = tomllib.loads((Path(__file__).parents[1]/'pyproject.toml').read_text())['project']['dependencies']
    assert 'arxiv>=4,<5' in deps, 'pin the arxiv package to its major version: ArxivClient drives its private internals'

MOVED = ("the arxiv package's internals moved: mlnews_nb.arxiv.ArxivClient replaces arxiv.Client's private `_session` "
         "(called as _session.get(url, headers=...)) and its `query_url_format`, and parse_api_page calls arxiv._feed.parse; "
         "pyproject pins arxiv>=4,<5. Check the new release and adapt ArxivClient")

def test_arxiv_package_internals_we_drive(fix):
    import arxiv, importlib.metadata as md
    assert md.version('arxiv').split('.')[0] == '4', f"arxiv {md.version('arxiv')} installed: {MOVED}"
    assert isinstance(vars(arxiv.Client).get('query_url_format'), str), MOVED
    assert hasattr(arxiv.Client(), '_session'), MOVED
    assert callable(getattr(getattr(arxiv, '_feed', None), 'parse', None)), MOVED
    body = (fix/'arxiv_api/recorded_body/q_testing_s0_m10_bc5a6c384fe9.xml').read_bytes()
    calls = []
    class Session:   # stands in for our _HttpSession: the client must page through it, with URLs from query_url_format
        def get(self, url, headers=None, **kw):
            calls.append(url)
            return type('R', (), dict(status_code=200, content=body, headers={}, url=url))()
    from mlnews_nb.net import Http
    c = ArxivClient(Http(':memory:', policies={}), base='http://127.0.0.1:9/api/query', page_size=10, delay=0)
    c._session = Session()
    try: got = list(c.results(arxiv.Search(query='testing', max_results=10)))
    except Exception as e: raise AssertionError(f'{MOVED} ({e!r})') from e
    assert calls and calls[0].startswith('http://127.0.0.1:9/api/query?') and 'search_query=testing' in calls[0], MOVED
    assert len(got) == 10, MOVED
