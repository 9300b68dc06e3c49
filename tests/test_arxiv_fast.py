"""The arXiv parse path of stop 24 gives the frames the code before it gave, on every arXiv capture and beyond.

The reference below is `arxiv.py` as it was before (stop 23), frozen here: the API page through `_result_record` (a dict
per result, two calls of core's id regexes each) and `_paper_frame` (`pd.array` per column, `utc_series` on the
dates); the announcement feed a field at a time (`root.iter(tag)` per field, `_aligned`), `_DESC` over the whole
description, `' '.join(s.split())` on every abstract. The new path reads the entry id in one match, builds the columns
straight from the `arxiv.Result`s, converts aware datetimes by integer arithmetic and strings straight into pyarrow, and
reads a feed's items in one pass over their children.

Inputs: every arXiv API capture (the recorded bodies, the JSON recordings' bodies, the 2016 pages), their results
concatenated with overlaps (what `arxiv_search` de-duplicates and sorts), the bench's 2,000-entry page and 2,000-item
feed, every announcement feed (the real captures and the hand-written ones of tests/data/arxiv_rss), and seeded random
edits of the real feeds: hand-written because the cases the fast paths must refuse (odd whitespace, an "and" between
authors, markup in an abstract, missing or repeated fields, odd ids) are rare in the captures."""
import json, random, re, sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
import numpy as np, pandas as pd, pytest
import arxiv as _arxiv

import mlnews_nb.arxiv as X
from mlnews_nb.core import (arxiv_id, arxiv_version, empty_items, ITEM_DTYPES, normalize_doi, item_key, utc_series,
                            html_to_text, SourceError)

ROOT = Path(__file__).parents[1]
RSS_DIR = ROOT/'tests'/'data'/'arxiv_rss'

# ---- the reference: arxiv.py's parse path before stop 24, frozen ----
_A, _AX, _DC = X._A, X._AX, X._DC
_OLD_DESC = re.compile(r'^\s*arXiv:(\S+)\s+Announce Type:\s*([\w-]+)\s*(?:Abstract:\s*)?(.*)$', re.S)
_OLD_AUTHORS = re.compile(r',\s*(?:and\s+)?|\s+and\s+')
_OLD_VID = re.compile(r'(\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)?(?:\.[a-z]{2})?/\d{7})v(\d+)', re.I)

def _old_result_record(r):
    aid = arxiv_id(r.entry_id)
    return dict(title=' '.join(r.title.split()), url=f'https://arxiv.org/abs/{aid}',
                authors=[a.name for a in r.authors],
                published=r.published, updated=r.updated, summary=' '.join((r.summary or '').split()),
                arxiv_id=aid, version=arxiv_version(r.entry_id), doi=r.doi or None, year=r.published.year
                if r.published else None, categories=list(r.categories),
                extra=dict(primary_category=r.primary_category, comment=r.comment, journal_ref=r.journal_ref,
                           pdf_url=r.pdf_url))

def _old_aligned(items, els, vals, many=False, up=1):
    parents = [e.getparent() for e in els] if up == 1 else [e.getparent().getparent() for e in els]
    if not many and parents == items: return vals
    pos = {it: i for i, it in enumerate(items)}
    out = [[] for _ in items] if many else [None] * len(items)
    for p, v in zip(parents, vals):
        i = pos.get(p)
        if i is None: continue
        if many: out[i].append(v)
        elif v is not None: out[i] = v
    return out

def _old_dates(*cols):
    n = [len(c) for c in cols]
    parsed = utc_series([v for c in cols for v in c]).array
    return [parsed[sum(n[:i]):sum(n[:i+1])] for i in range(len(cols))]

def _old_paper_frame(cols, *, source, year_from_published=False):
    n = len(cols['title'])
    if not n: return empty_items()
    aid, url, doi = cols['arxiv_id'], cols['url'], [normalize_doi(d) if d else None for d in cols.get('doi', [None]*n)]
    key = ['arxiv:' + a if a else None for a in aid]
    if None in key:
        key = [k or item_key(dict(doi=d, url=u, title=t)) for k, d, u, t in zip(key, doi, url, cols['title'])]
    strs = dict(key=key, source=[source]*n, kind=['paper']*n, doi=doi)
    out, dates = {}, dict(zip(('published', 'updated'), _old_dates(cols['published'], cols['updated'])))
    for c, t in ITEM_DTYPES.items():
        if t == 'str': out[c] = pd.array(strs[c] if c in strs else cols.get(c, [None]*n), dtype='str')
        elif c in dates: out[c] = dates[c]
        elif c == 'fetched_at': out[c] = pd.array(np.full(n, pd.Timestamp.now(tz='UTC').as_unit('ns').asm8), dtype=t)
        elif c == 'year' and year_from_published: out[c] = pd.array(out['published'].year, dtype='Int64')
        elif t == 'Int64': out[c] = pd.array(cols.get(c, [None]*n), dtype='Int64')
        elif c == 'extra': out[c] = pd.Series(cols['extra'], dtype=object)
        else:
            out[c] = pd.Series([v if all(v) else [x for x in v if x] for v in cols[c]] if c in cols
                               else [[] for _ in range(n)], dtype=object)
    return pd.DataFrame(out, copy=False)

def _old_records_frame(recs, source='arxiv'):
    return _old_paper_frame({k: [r[k] for r in recs] for k in recs[0]}, source=source) if recs else empty_items()

def _old_parse_api_page(body, source='arxiv', url='arxiv-api-page'):
    X._check_api_page(body, url)
    feed = _arxiv._feed.parse(body)
    if feed.malformed: raise SourceError(url, f'not an arXiv API Atom page ({feed.error})', None, 'broken')
    return _old_records_frame([_old_result_record(r) for r in feed.results], source)

def _old_dedup_sort(recs, sort):
    best = {}
    for r in recs:
        if r['arxiv_id'] not in best or (r['version'] or 0) > (best[r['arxiv_id']]['version'] or 0):
            best[r['arxiv_id']] = r
    out = list(best.values())
    if sort != 'relevance':
        col = 'published' if sort == 'submitted' else 'updated'
        out.sort(key=lambda r: r[col], reverse=True)
    return out

def _old_split_authors(s):
    if not s: return []
    return [a for a in (x.strip() for x in (s.split(',') if 'and' not in s else _OLD_AUTHORS.split(s))) if a]

def _old_col(chan, items, *tags):
    els = list(chan.iter(*tags))
    return _old_aligned(items, els, [(e.text or '').strip() or None for e in els])

def _old_listing_columns(chan, atom):
    item = _A + 'entry' if atom else 'item'
    items = chan.findall(item)
    col = lambda *tags: _old_col(chan, items, *tags)
    guid, desc = col(_A + 'id' if atom else 'guid'), col(_A + 'summary' if atom else 'description')
    day = col(_A + 'published' if atom else 'pubDate')
    if atom and None in day: day = [d or u for d, u in zip(day, col(_A + 'updated'))]
    ctag = _A + 'category' if atom else 'category'
    cels = list(chan.iter(ctag))
    cats = _old_aligned(items, cels, [(c.get('term') or (c.text or '').strip()) or None for c in cels], many=True)
    if atom:
        aels = list(chan.iter(_A + 'name'))
        authors = _old_aligned(items, aels, [(e.text or '').strip() for e in aels], many=True, up=2)
    else: authors = [_old_split_authors(c) for c in col(_DC + 'creator')]
    announce = col(_AX + 'announce_type')
    jref = col(_AX + 'journal_reference', _AX + 'journal_ref')
    lic = col(_A + 'rights', _DC + 'rights') if atom else col(_DC + 'rights')
    aids, vers, kinds, summ, pub = [], [], [], [], []
    for g, d, k, dy in zip(guid, desc, announce, day):
        d = d or ''
        m = _OLD_DESC.match(d)
        vid, kind, abstract = (m.group(1), m.group(2), m.group(3)) if m else ((g or '').rsplit(':', 1)[-1], None, d)
        kind = k or kind
        if v := _OLD_VID.fullmatch(vid): aids.append(v.group(1)); vers.append(int(v.group(2)))
        else: aids.append(arxiv_id(vid)); vers.append(arxiv_version(vid))
        kinds.append(kind)
        summ.append(html_to_text(abstract) if '<' in abstract or '&' in abstract else ' '.join(abstract.split()))
        pub.append(None if kind and kind.startswith('replace') else dy)
    comment = col(_AX + 'comment')
    return dict(title=[' '.join(t.split()) if t else None for t in col(_A + 'title' if atom else 'title')],
                url=[f'https://arxiv.org/abs/{a}' if a else None for a in aids], authors=authors, published=pub,
                updated=day, summary=summ, arxiv_id=aids, version=vers, doi=col(_AX + 'DOI'), categories=cats,
                extra=[dict(announce_type=k, comment=c, guid=g or '', journal_ref=j, license=l)
                       for k, c, g, j, l in zip(kinds, comment, guid, jref, lic)])

def _old_parse_listing(body, url='arxiv-listing', source='arxiv_listing'):
    chan, atom, info = X._listing_channel(body, url)   # the XML and feed checks are shared: the columns are frozen
    return _old_paper_frame(_old_listing_columns(chan, atom), source=source), info

# ---- the comparisons ----
def same(got, want, what):
    pd.testing.assert_frame_equal(got.drop(columns='fetched_at'), want.drop(columns='fetched_at'), obj=str(what))
    assert str(got.fetched_at.dtype) == 'datetime64[ns, UTC]' and got.fetched_at.notna().all()

def outcome(f, *a):
    "The frame (and facts) `f` gives, or the type and message of what it raises"
    try: return 'ok', f(*a)
    except Exception as e: return 'raised', (type(e), str(e))

def _bench():
    sys.path.insert(0, str(ROOT/'bench'))
    import bench_arxiv_parse as B
    return B

def api_bodies(fix):
    "Every API capture: the recorded bodies, the JSON recordings' bodies, the 2016 pages"
    out = [(p.name, p.read_bytes()) for p in sorted((fix/'arxiv_api').glob('*/*.xml'))]
    out += [(p.name, json.loads(p.read_text())['body'].encode())
            for p in sorted((fix/'arxiv_api/recorded').glob('*.json'))]
    assert len(out) >= 38
    return out

def test_api_pages_as_before(fix):
    "Every API capture and the bench's 2,000-entry page give the frame (or the error) they gave"
    bodies = api_bodies(fix) + [('bench page', _bench().api_page(2000))]
    n = 0
    for name, b in bodies:
        (kg, got), (kw, want) = outcome(X.parse_api_page, b), outcome(_old_parse_api_page, b)
        assert kg == kw, name
        if kg == 'raised': assert got == want, name; continue
        same(got, want, name); n += len(got)
    assert n > 2000

def test_search_results_as_before(fix):
    "What `arxiv_search` makes of its results (overlapping pages: de-duplicated, sorted) is what it made"
    api = fix/'arxiv_api'
    pages = sorted((api/'recorded_body').glob('q_testing*.xml')) + sorted((api/'raw2016').glob('*.xml'))
    results = [r for p in pages for r in _arxiv._feed.parse(p.read_bytes()).results]
    assert len({r.entry_id for r in results}) < len(results)   # overlaps to de-duplicate
    for r in results[::7]: r.entry_id = r.entry_id.replace('v1', 'v3')   # newer versions later in the list
    for sort in ('relevance', 'submitted', 'updated'):
        got = X._results_frame(X._dedup_sort(results, sort)[:150])
        want = _old_records_frame(_old_dedup_sort([_old_result_record(r) for r in results], sort)[:150])
        same(got, want, sort)

def listing_bodies(fix):
    out = [(p.name, p.read_bytes()) for p in sorted((fix/'arxiv_rss').glob('*.xml'))]
    out += [(p.name, p.read_bytes()) for p in sorted(RSS_DIR.glob('*')) if p.is_file()]
    assert len(out) >= 7
    return out + [('bench feed', _bench().rss_feed(2000))]

def test_listings_as_before(fix):
    "Every announcement feed (real, hand-written, the bench's) gives the frame and facts it gave"
    for name, b in listing_bodies(fix):
        (kg, got), (kw, want) = outcome(X.parse_listing, b), outcome(_old_parse_listing, b)
        assert kg == kw, name
        if kg == 'raised': assert got == want, name; continue
        same(got[0], want[0], name); assert got[1] == want[1], name

# seeded random edits of real feeds: what the fast paths must hand back to the general ones
_EDITS = [
    ('Abstract: ', ['Abstract:   ', 'Abstract: \n', 'Abstract: \t', 'Abstract: \xa0', 'Abstract: \u2009',
                    'Abstract: x  y ', 'Abstract: \u00e9t\u00e9 ', 'Abstract: a\tb ', 'Abstract: a\x7f ']),
    ('</description>', ['  </description>', '\n</description>', ' &amp; b</description>', ' a &lt; b</description>',
                        '\xa0</description>']),
    ('</dc:creator>', [' and Ann Lee</dc:creator>', ', and Bo</dc:creator>', ',and\tCy</dc:creator>',
                       ' and</dc:creator>', ' Sandra</dc:creator>', ', , Di</dc:creator>', ',Bo</dc:creator>',
                       ' ,Bo</dc:creator>', ', \u00c9mile Zola</dc:creator>', ',</dc:creator>', ',  Bo</dc:creator>']),
    ('<dc:creator>', ['<dc:creator>and ', '<dc:creator> Andrew and ', '<dc:creator></dc:creator><dc:creator>',
                      '<dc:creator>, ', '<dc:creator>Ann,and Bo, ']),
    ('<category>', ['<category term="x.Y">', '<category> ', '<category/><category>']),
    ('<title>', ['<title> ', '<title>A\n  B', '<title></title><title>']),
    ('Announce Type:', ['Announce  Type:', 'Announce\nType:', 'announce type:']),
    ('v1 Announce', ['v12 Announce', ' Announce', 'V1 Announce', 'v1x Announce', 'v1  Announce', 'v1\nAnnounce']),
    ('<arxiv:announce_type>', ['<arxiv:announce_type> ', '<arxiv:comment>c</arxiv:comment><arxiv:announce_type>',
                               '<!-- c --><arxiv:announce_type>']),
    ('</item>', ['<arxiv:comment>1</arxiv:comment><arxiv:comment>2</arxiv:comment></item>', '<guid/></item>',
                 '<arxiv:journal_ref>J</arxiv:journal_ref></item>', '<x><title>nested</title></x></item>']),
    ('<description>', ['<description/><description>', '<description>plain</description><x>']),
    ('<guid', ['<guid>oai:arXiv.org:hep-th/9901001v2</guid><guid']),
]

def first_items(s:str, k:int=12) -> str:
    "Feed `s` cut to its first `k` items (entries), still well-formed"
    tag = '<item>' if '<item>' in s else '<entry>'
    parts = s.split(tag)
    if len(parts) <= k + 1: return s
    head = tag.join(parts[:k + 1]).rsplit('</', 1)[0]   # up to the k-th item's closing tag
    return head + ('</item></channel></rss>' if tag == '<item>' else '</entry></feed>')

def edited(s:str, rng:random.Random) -> str:
    "`s` with one to six random edits, each in one random item"
    tag = '<item>' if '<item>' in s else '<entry>'
    for _ in range(rng.randint(1, 6)):
        parts, (old, news) = s.split(tag), rng.choice(_EDITS)
        k = rng.randrange(1, len(parts)) if len(parts) > 1 else 0
        parts[k] = parts[k].replace(old, rng.choice(news), 1)
        s = tag.join(parts)
    return s

def test_edited_listings_as_before(fix):
    "Seeded random edits of the real feeds (and of the hand-written RSS and Atom ones) give what the old path gives"
    bodies = [first_items(b.decode('utf-8')) for _, b in listing_bodies(fix)[:-1]]
    rng, n = random.Random(24), 0
    for i in range(300):
        b = edited(rng.choice(bodies), rng).encode()
        (kg, got), (kw, want) = outcome(X.parse_listing, b), outcome(_old_parse_listing, b)
        assert kg == kw, i
        if kg == 'raised': assert got == want, i; continue
        same(got[0], want[0], i); assert got[1] == want[1], i; n += 1
    assert n > 200

# ---- the small pieces, against what they stand in for ----
AB = 'http://arxiv.org/abs/'
IDS = [AB + '2401.12345v2', 'https://arxiv.org/abs/hep-th/9901001v10', 'HTTP://ARXIV.ORG/ABS/2401.12345V3',
       AB + 'math.GT/0309136v1', AB + '2401.12345', AB + '2401.123456v1', f' {AB}2401.12345v2\n',
       AB + '2401.12345v2?x=1', AB + '2401%2E12345v2',
       'http://export.arxiv.org/abs/2401.12345v2', 'http://arxiv.org/api/errors#incorrect_id_format_for_abc',
       AB + '0704.0001v1', AB + 'cond-mat/0102536v1', 'https://arxiv.org/pdf/2401.12345v2',
       'http://arxiv.org/abs/2401.12345v2.pdf', 'arXiv:2401.12345v2', '2401.12345v2', '']

def test_id_version_is_cores():
    for s in IDS: assert X._id_version(s) == (arxiv_id(s), arxiv_version(s)), s

def test_squash_and_authors_are_the_general_ones():
    rng = random.Random(7)
    pieces = ['a', 'bc', ' ', '  ', '\n', '\t', '\xa0', '\u2009', '\u3000', '\x85', ',', 'and', 'And', 'Sandra',
              'x\u200b']
    for _ in range(3000):
        s = ''.join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert X._squash(s) == ' '.join(s.split()), repr(s)
        assert X._split_authors(s) == _old_split_authors(s), repr(s)

def test_columns_are_pandas_own():
    "Aware datetimes, strings and small ints become what `utc_series` and `pd.array` make of them"
    utc, est = timezone.utc, timezone(timedelta(hours=-5))
    cases = [[datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=utc), None, datetime(2024, 1, 2, tzinfo=est)],
             [datetime(1, 1, 1, tzinfo=utc), datetime(2024, 1, 1, tzinfo=utc)], [datetime(2024, 1, 1)],
             [pd.Timestamp('2024-01-01 00:00:00.000000001', tz='UTC')],
             ['2024-01-01', datetime(2024, 1, 1, tzinfo=utc)],
             [datetime(9999, 12, 31, tzinfo=utc)], [None, None]]
    for c in cases:
        for g, w in zip(X._dates(c, c[::-1]), _old_dates(c, c[::-1])): pd.testing.assert_extension_array_equal(g, w)
    for v in [['a', None, 'é'], [None, None], [1, 'a'], [float('nan'), 'b'], []]:
        pd.testing.assert_extension_array_equal(X._str_array(v), pd.array(v, dtype='str'))
    for v in [[1, None, 3], [None], [True, 2], [np.int64(3), None], [], [2**40], [5, 7]]:
        pd.testing.assert_extension_array_equal(X._int_array(v), pd.array(v, dtype='Int64'))
