"arxiv_search and arxiv_listing against the local server: real API captures, hand-written announcement feeds, faults."
import json, re, xml.etree.ElementTree as ET
from pathlib import Path
import pandas as pd, pytest
from mlnews_nb.core import SourceError, check_items, to_items
from mlnews_nb.arxiv import (arxiv_search, arxiv_listing, arxiv_listing_result, parse_api_page, parse_listing, QueryTooBroad,
                             ANNOUNCE_TYPES, listing_health, listing_state, judge_listing, JsonState)

A = '{http://www.w3.org/2005/Atom}'
OS = '{http://a9.com/-/spec/opensearch/1.1/}'
RSS_DIR = Path(__file__).parent/'data'/'arxiv_rss'

def file_entries(p):
    "Ids, versions, dates, authors and categories read straight from an Atom file with the stdlib parser"
    out = []
    for e in ET.parse(p).getroot().iter(A + 'entry'):
        m = re.search(r'abs/(.+)v(\d+)$', e.findtext(A + 'id'))
        out.append(dict(arxiv_id=m.group(1), version=int(m.group(2)), published=pd.Timestamp(e.findtext(A + 'published')),
                        updated=pd.Timestamp(e.findtext(A + 'updated')),
                        authors=[a.findtext(A + 'name') for a in e.findall(A + 'author')],
                        categories=[c.get('term') for c in e.findall(A + 'category')]))
    return out

def api_files(fix):
    return sorted(p for p in (fix/'arxiv_api/recorded_body').glob('*.xml') if 'id_abc' not in p.name) + sorted((fix/'arxiv_api/raw2016').glob('*.xml'))

def test_every_api_capture_parses(fix):
    n = 0
    for p in api_files(fix):
        df = check_items(parse_api_page(p.read_bytes()))
        want = file_entries(p)
        assert len(df) == len(want), p.name
        for row, w in zip(df.itertuples(), want):
            assert (row.arxiv_id, row.version) == (w['arxiv_id'], w['version']), p.name
            assert row.key == f"arxiv:{w['arxiv_id']}"
            assert row.published == w['published'] and row.updated == w['updated'] and str(row.published.tz) == 'UTC'
            assert row.authors == w['authors'] and row.categories == w['categories']
            assert '\n' not in row.title and row.source == 'arxiv' and row.kind == 'paper'
        n += len(df)
    assert n > 150

def test_api_page_is_what_the_arxiv_package_and_to_items_make(fix):
    "Our column-wise lxml parse against an independent path: the arxiv package's own parser, our records, core.to_items"
    from arxiv import _feed
    from test_arxiv_fast import _old_result_record as _result_record   # a record a result, as main had it
    for p in api_files(fix):
        b = p.read_bytes()
        want = to_items([_result_record(r) for r in _feed.parse(b).results], source='arxiv', kind='paper')
        got = parse_api_page(b)
        pd.testing.assert_frame_equal(got.drop(columns='fetched_at'), want.drop(columns='fetched_at'), obj=p.name)
        assert got.fetched_at.notna().all() and str(got.fetched_at.dtype) == 'datetime64[ns, UTC]'

def test_api_error_feed_is_a_source_error(fix):
    with pytest.raises(SourceError, match='incorrect id format for abc') as e:
        parse_api_page((fix/'arxiv_api/recorded_body/id_abc_s0_m100_b79c8dcf6bc3.xml').read_bytes())
    assert e.value.health == 'broken'
    with pytest.raises(SourceError, match='not an arXiv API Atom page'): parse_api_page(b'<feed><entry>')
    with pytest.raises(SourceError, match='root <rss>'): parse_api_page(b'<rss/>')

def test_old_style_id_and_2016_format(fix):
    df = parse_api_page((fix/'arxiv_api/recorded_body/id_astro-ph_0601001_s0_m100_3150dca9dc76.xml').read_bytes())
    assert df.arxiv_id.tolist() == ['astro-ph/0601001'] and df.key[0] == 'arxiv:astro-ph/0601001'

@pytest.fixture
def api(server, fix, http):
    server.add_urls(fix/'URLS.tsv', hosts=('export.arxiv.org',))
    return server

def search(api, http, q='testing', **kw):
    kw = dict(dict(max_results=20, page_size=10, sort='relevance', delay=0), **kw)
    return arxiv_search(q, http=http, base=api.url('/api/query'), **kw)

def route(api, start):
    "The server's route key of the recorded 'testing' page with 10 results from `start`"
    return next(k for k in api.routes if k.endswith(f'&start={start}') and 'max_results=10&' in k and 'search_query=testing' in k)

def test_search_pages_through_recorded_answers(api, http, fix):
    df = check_items(search(api, http))
    rb = fix/'arxiv_api/recorded_body'
    want = file_entries(rb/'q_testing_s0_m10_bc5a6c384fe9.xml') + file_entries(rb/'q_testing_s10_m10_34e56e15aaac.xml')
    assert df.arxiv_id.tolist() == [w['arxiv_id'] for w in want]
    assert df.version.tolist() == [w['version'] for w in want]
    assert df.published.tolist() == [w['published'] for w in want]
    assert [p['path'] for p in api.log][1].endswith('start=10&max_results=10')

def test_overlapping_pages_are_deduplicated(api, http, fix):
    rb = fix/'arxiv_api/recorded_body'
    pages = {'0': rb/'q_testing_s0_m10_bc5a6c384fe9.xml', '10': rb/'q_testing_s5_m10_c0e94a259d4a.xml'}  # second page overlaps by 5
    api.add('/api/query', handler=lambda q: (200, {'Content-Type': 'application/atom+xml'}, pages[q['start']].read_bytes()))
    df = search(api, http, 'anything')
    a, b = file_entries(pages['0']), file_entries(pages['10'])
    union = list(dict.fromkeys([w['arxiv_id'] for w in a + b]))
    assert len(set(w['arxiv_id'] for w in a) & set(w['arxiv_id'] for w in b)) == 5
    assert df.arxiv_id.tolist() == union[:20] and df.key.is_unique

def test_client_side_sort(api, http, fix):
    body = (fix/'arxiv_api/recorded_body/q_testing_s0_m10_bc5a6c384fe9.xml').read_bytes()
    api.add('/api/query', handler=lambda q: (200, {}, body))
    df = search(api, http, 'anything', max_results=10, sort='submitted')
    want = sorted(file_entries(fix/'arxiv_api/recorded_body/q_testing_s0_m10_bc5a6c384fe9.xml'), key=lambda w: w['published'], reverse=True)
    assert df.published.tolist() == [w['published'] for w in want]
    assert 'sortBy=submittedDate' in api.log[0]['path']

def test_three_seconds_between_calls(api, http):
    search(api, http, delay=3.0)
    assert len(http.slept) == 1 and 2.5 < http.slept[0] <= 3.0   # second page waited for the gate
    assert api.max_overlap('/api') == 1

def test_sporadic_empty_page_is_retried(api, http, fix):
    empty = (fix/'arxiv_api/recorded_body/id_0000.0000_s0_m100_8b51d9633a68.xml').read_bytes()
    api.routes[route(api, 10)].faults = [dict(body=empty)]
    df = search(api, http)
    assert len(df) == 20
    assert sum('start=10' in e['path'] for e in api.log) == 2

def test_persistent_empty_page_is_a_clear_error(api, http, fix):
    empty = (fix/'arxiv_api/recorded_body/id_0000.0000_s0_m100_8b51d9633a68.xml').read_bytes()
    api.routes[route(api, 10)].faults = [dict(body=empty)] * 5
    with pytest.raises(SourceError, match='empty page') as e: search(api, http, num_retries=2)
    assert e.value.health == 'broken'

def test_persistent_429_is_blocked(api, http):
    api.add('/api/query', b'Rate exceeded.', status=429)
    with pytest.raises(SourceError, match='rate-limiting') as e: search(api, http, 'anything')
    assert (e.value.status, e.value.health) == (429, 'blocked')
    import time
    for _ in range(100):   # the server logs a request just after answering it: give the last entry a moment
        if len(api.log) >= http.retries + 1: break
        time.sleep(0.01)
    assert len(api.log) == http.retries + 1

def test_503_retry_after_is_honoured(api, http):
    api.routes[route(api, 0)].faults = [dict(status=503, headers={'Retry-After': '7'})]
    assert len(search(api, http)) == 20
    assert 7.0 in http.slept

def test_bad_request_is_an_error(server, http, fix):
    server.add('/api/query', fix/'arxiv_api/recorded_body/id_abc_s0_m100_b79c8dcf6bc3.xml', status=400)
    with pytest.raises(SourceError, match='HTTP 400'): arxiv_search('id:abc', http=http, base=server.url('/api/query'), delay=0)

def lookup(api, http, ids):
    return arxiv_search(id_list=ids, http=http, base=api.url('/api/query'), delay=0)

def test_id_lookup(api, http, fix):
    rb = fix/'arxiv_api/recorded_body'
    df = check_items(lookup(api, http, ['1707.08567']))
    w = file_entries(rb/'id_1707.08567_s0_m100_6a1afebfc6a3.xml')[0]
    assert (df.arxiv_id[0], df.version[0], df.published[0], df.authors[0]) == (w['arxiv_id'], w['version'], w['published'], w['authors'])
    assert df.attrs['missing'] == []
    assert 'id_list=1707.08567' in api.log[-1]['path'] and 'max_results=100' in api.log[-1]['path']

def test_id_lookup_old_style_ids(api, http, fix):
    rb = fix/'arxiv_api/recorded_body'
    df = lookup(api, http, ['astro-ph/0601001'])
    w = file_entries(rb/'id_astro-ph_0601001_s0_m100_3150dca9dc76.xml')[0]
    assert (df.key[0], df.version[0], df.categories[0]) == ('arxiv:astro-ph/0601001', w['version'], w['categories'])
    df = lookup(api, http, ['quant-ph/0201082v1'])   # a versioned old-style id: that version
    w = file_entries(rb/'id_quant-ph_0201082v1_s0_m100_86989fe779ef.xml')[0]
    assert (df.arxiv_id[0], df.version[0], df.updated[0]) == ('quant-ph/0201082', 1, w['updated']) and df.attrs['missing'] == []

def test_id_lookup_missing_ids_are_reported(api, http, fix, caplog):
    df = check_items(lookup(api, http, ['0808.05394']))
    assert len(df) == 0 and df.attrs['missing'] == ['0808.05394'] and '0808.05394' in caplog.text
    df = lookup(api, http, ['0808.05394', '1707.08567'])
    want = file_entries(fix/'arxiv_api/recorded_body/id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.xml')
    assert df.arxiv_id.tolist() == [w['arxiv_id'] for w in want] == ['1707.08567']
    assert df.attrs['missing'] == ['0808.05394']

def test_id_lookup_malformed_id_is_a_clear_error(api, http):
    with pytest.raises(SourceError, match="HTTP 400.*'abc' is not an arXiv id") as e: lookup(api, http, ['abc'])
    assert e.value.status == 400 and e.value.health == 'broken'
    with pytest.raises(ValueError, match='id_list is empty'): lookup(api, http, [])

def _feed_with_total(fix, total):
    body = (fix/'arxiv_api/recorded_body/q_testing_s0_m10_bc5a6c384fe9.xml').read_bytes()
    return re.sub(rb'<opensearch:totalResults>\d+<', f'<opensearch:totalResults>{total}<'.encode(), body)

def test_over_the_ceiling_without_window_is_refused(server, http, fix):
    server.add('/api/query', handler=lambda q: (200, {}, _feed_with_total(fix, 214881)))
    with pytest.raises(QueryTooBroad, match=r'214,881 papers.*since=/until='): arxiv_search('testing', max_results=None, http=http, base=server.url('/api/query'), delay=0)
    assert len(server.log) == 1   # one small probe, no paging

def test_over_the_ceiling_with_window_is_split(server, http, fix):
    def handler(q):
        m = re.search(r'submittedDate:\[(\d{12}) TO (\d{12})\]', q['search_query'])
        a, b = (pd.Timestamp(pd.to_datetime(x, format='%Y%m%d%H%M')) for x in m.groups())
        days = (b - a) / pd.Timedelta(days=1)
        if q['start'] != '0': return 200, {}, _feed_with_total(fix, 0)
        return 200, {}, _feed_with_total(fix, 10 if days <= 40 else 50_000)   # more than 40 days: over the ceiling
    server.add('/api/query', handler=handler)
    df = arxiv_search('testing', since='2024-01-01', until='2024-06-30', max_results=None, http=http, base=server.url('/api/query'), delay=0)
    from urllib.parse import urlsplit, parse_qs
    reqs = [parse_qs(urlsplit(e['path']).query) for e in server.log]
    pages = [r for r in reqs if r['max_results'] != ['1']]
    wins = [re.search(r'\[(\d{12}) TO (\d{12})\]', r['search_query'][0]).groups() for r in pages]
    assert len(wins) == 8 and wins[0][0] == '202401010000' and wins[-1][1] == '202406302359'
    for (a, b), (c, d) in zip(wins, wins[1:]):   # contiguous, each at most 40 days
        assert pd.Timestamp(c) - pd.Timestamp(b) == pd.Timedelta(minutes=1)
    assert all(pd.Timestamp(b) - pd.Timestamp(a) <= pd.Timedelta(days=40) for a, b in wins)
    assert len(df) == 10 and df.key.is_unique   # the stand-in serves the same ten papers in every window

def test_bad_sort_and_empty_query():
    with pytest.raises(ValueError, match='sort must be'): arxiv_search('x', sort='newest')
    with pytest.raises(ValueError, match='empty search'): arxiv_search('')

# --- announcement feeds -------------------------------------------------------------------------------------------

R = {'arxiv': '{http://arxiv.org/schemas/atom}', 'dc': '{http://purl.org/dc/elements/1.1/}'}

def rss_items(p):
    out = []
    for it in ET.parse(p).getroot().iter('item'):
        guid = it.findtext('guid').split(':', 2)[-1]
        aid, v = re.match(r'(.+)v(\d+)$', guid).groups()
        out.append(dict(arxiv_id=aid, version=int(v), announce=it.findtext(R['arxiv'] + 'announce_type'),
                        authors=[a.strip() for a in it.findtext(R['dc'] + 'creator').split(',')],
                        categories=[c.text for c in it.findall('category')], doi=it.findtext(R['arxiv'] + 'DOI'),
                        license=it.findtext(R['dc'] + 'rights'), day=pd.Timestamp(it.findtext('pubDate')).tz_convert('UTC'),
                        comment=it.findtext(R['arxiv'] + 'comment'), jref=it.findtext(R['arxiv'] + 'journal_reference')))
    return out

@pytest.fixture
def rss(server):
    def serve(name, fmt='rss'): server.add(f'/{fmt}/cs.LG', RSS_DIR/name, ctype=f'application/{fmt}+xml')
    return serve

def listing(server, http, tmp_path, **kw):
    return arxiv_listing('cs.LG', http=http, base=server.base, state_path=tmp_path/'state.json', **kw)

def outcome(server, http, tmp_path, **kw):
    "The items and the fetch outcome (health word, message) of the listing"
    r = arxiv_listing_result('cs.LG', http=http, base=server.base, state_path=tmp_path/'state.json', **kw)
    return r.items, r.outcome

@pytest.mark.parametrize('name', ['cs.LG_2024-02-05.rss', 'cs.LG_2024-02-05.atom', 'cs.LG_2024-02-06_repeat.rss'])
def test_listing_frame_is_what_to_items_makes(name):
    "The column-wise frame against core.to_items on the same rows"
    from lxml import etree
    from mlnews_nb.arxiv import _listing_columns
    body = (RSS_DIR/name).read_bytes()
    got, info = parse_listing(body)
    root = etree.fromstring(body); atom = root.tag.endswith('feed')
    cols = _listing_columns(root if atom else root.find('channel'), atom)
    want = to_items([dict(zip(cols, row)) for row in zip(*cols.values())], source='arxiv_listing', kind='paper')
    pd.testing.assert_frame_equal(check_items(got).drop(columns='fetched_at'), want.drop(columns='fetched_at'))

def test_listing_odd_items():
    "Items missing optional fields, two values of one, a channel <category>: values stay with their own item"
    body = (RSS_DIR/'cs.LG_2024-02-05.rss').read_text().replace('<language>', '<category>cs</category><language>', 1)
    body = body.replace('<arxiv:comment>12 pages, 3 figures</arxiv:comment>', '<arxiv:comment>12 pages</arxiv:comment><arxiv:comment>3 figures</arxiv:comment>')
    body = body.replace('<title>A Vision Transformer for Galaxy Morphology</title>', '')
    df, _ = parse_listing(body.encode())
    want = rss_items(RSS_DIR/'cs.LG_2024-02-05.rss')
    assert df.categories.tolist() == [w['categories'] for w in want]
    assert df.extra.str['comment'].tolist() == ['3 figures'] + [w['comment'] for w in want[1:]]
    assert df.title.isna().tolist() == [False, True, False, False] and df.key.tolist() == [f"arxiv:{w['arxiv_id']}" for w in want]

@pytest.mark.parametrize('fmt,name', [('rss', 'cs.LG_2024-02-05.rss'), ('atom', 'cs.LG_2024-02-05.atom')])
def test_listing_values_from_file(server, http, tmp_path, rss, fmt, name):
    rss(name, fmt)
    df, h = outcome(server, http, tmp_path, announce=ANNOUNCE_TYPES, fmt=fmt); check_items(df)
    want = rss_items(RSS_DIR/'cs.LG_2024-02-05.rss')   # the Atom twin carries the same announcements
    assert sorted(w['announce'] for w in want) == sorted(ANNOUNCE_TYPES)
    assert df.arxiv_id.tolist() == [w['arxiv_id'] for w in want]
    assert df.version.tolist() == [w['version'] for w in want]
    assert df.extra.str['announce_type'].tolist() == [w['announce'] for w in want]
    assert df.authors.tolist() == [w['authors'] for w in want]
    assert df.categories.tolist() == [w['categories'] for w in want]
    assert [d if isinstance(d, str) else None for d in df.doi] == [w['doi'] for w in want]
    assert df.extra.str['license'].tolist() == [w['license'] for w in want]
    assert df.extra.str['comment'].tolist() == [w['comment'] for w in want]
    assert df.extra.str['journal_ref'].tolist() == [w['jref'] for w in want]
    assert df.updated.tolist() == [w['day'] for w in want]
    assert df.published.isna().tolist() == [w['announce'].startswith('replace') for w in want]
    assert (df.source == 'arxiv_listing').all() and h.health == 'ok'
    assert '<i>' not in df.summary[1] and 'citizen-science' in df.summary[1]

def test_listing_default_keeps_new_and_cross(server, http, tmp_path, rss):
    rss('cs.LG_2024-02-05.rss')
    df = listing(server, http, tmp_path)
    assert df.extra.str['announce_type'].tolist() == ['new', 'cross']

def test_listing_only_replacements_is_quiet_not_ok(server, http, tmp_path):
    server.add('/rss/cs.LG', (RSS_DIR/'cs.LG_2024-02-05.rss').read_text().replace('Announce Type: new', 'Announce Type: replace')
               .replace('>new<', '>replace<').replace('>cross<', '>replace<').replace('Announce Type: cross', 'Announce Type: replace'))
    df, h = outcome(server, http, tmp_path)
    assert len(df) == 0 and h.health == 'quiet' and 'none of type new/cross' in h.message

def test_weekend_is_quiet(server, http, tmp_path, rss):
    rss('cs.LG_2024-02-10_weekend.rss')
    df, h = outcome(server, http, tmp_path); check_items(df)
    assert len(df) == 0 and h.health == 'quiet' and 'no announcement' in h.message and 'Saturday' in h.message

def test_repeat_of_previous_batch_is_stale(server, http, tmp_path, rss):
    rss('cs.LG_2024-02-05.rss'); _, first = outcome(server, http, tmp_path)
    state = json.loads((tmp_path/'state.json').read_text())
    assert sorted(state[server.base + '/rss/cs.LG']['ids']) == sorted('oai:arXiv.org:' + f"{w['arxiv_id']}v{w['version']}" for w in rss_items(RSS_DIR/'cs.LG_2024-02-05.rss'))
    _, again = outcome(server, http, tmp_path)   # the same 2024 feed, fetched again today: its build date stopped advancing
    assert again.health == 'stale' and 'still says it was built Mon 2024-02-05' in again.message
    rss('cs.LG_2024-02-06_repeat.rss'); _, stale = outcome(server, http, tmp_path)
    assert stale.health == 'stale' and '4 of 4' in stale.message
    assert first.health == 'ok'
    assert [f.name for f in tmp_path.iterdir() if f.name.endswith('.tmp')] == []

def test_state_write_is_atomic(tmp_path, monkeypatch):
    p = tmp_path/'state.json'
    judge_listing('f', ['a'], dict(built='x'), state_path=p)
    before = p.read_text()
    import os
    monkeypatch.setattr(os, 'fsync', lambda fd: (_ for _ in ()).throw(OSError('disk full')))   # fails inside core.atomic_write
    with pytest.raises(OSError, match='disk full'): judge_listing('g', ['b'], dict(built='y'), state_path=p)
    assert p.read_text() == before and [f.name for f in tmp_path.iterdir()] == ['state.json']

def test_broken_feeds(server, http, tmp_path):
    server.add('/rss/cs.LG', b'<rss><channel><item>', ctype='application/rss+xml')
    with pytest.raises(SourceError, match='not XML') as e: listing(server, http, tmp_path)
    assert e.value.health == 'broken'
    server.add('/rss/cs.LG', b'<html><body>maintenance</body></html>', ctype='text/html')
    with pytest.raises(SourceError, match='not an RSS or Atom'): listing(server, http, tmp_path)
    server.add('/rss/cs.LG', b'', status=404)
    with pytest.raises(SourceError) as e: listing(server, http, tmp_path)
    assert e.value.health == 'moved'

def test_unknown_announce_type():
    with pytest.raises(ValueError, match='unknown announce'): arxiv_listing(announce=('brand-new',))

def test_combined_categories_url(server, http, tmp_path):
    server.add('/rss/cs.LG+stat.ML', RSS_DIR/'cs.LG_2024-02-05.rss')
    df = arxiv_listing(['cs.LG', 'stat.ML'], http=http, base=server.base, state_path=tmp_path/'s.json')
    assert len(df) == 2 and df.extra.str['feed'].unique().tolist() == ['cs.LG+stat.ML']
