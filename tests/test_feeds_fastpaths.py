"""`feed_date`'s fast path for the usual RFC 822 shape ('Thu, 06 Aug 2020 00:00:00 +0000', `_RFC822_USUAL`) reads every
date as the general pattern `_RFC822` does: on every date string of the captures and on fuzzed strings (seeded, built here
from the pieces the two patterns part on: day and month names in other cases, one-digit and non-ASCII digits, years and
times out of range, zones by name and by offset), because odd input is where a shortcut and the general rule part."""
import random, re
import mlnews_nb.feeds as F
from conftest import committed_only

FOLDERS = ('blog_feeds', 'blog_feeds_2026', 'newsletter_feeds', 'newsletter_feeds_derived', 'feed_edge_cases', 'reddit',
           'hackernews', 'arxiv_rss', 'hf_daily_papers')

def _captures(fix): return [p.read_bytes().decode('utf-8', 'replace') for p in committed_only(fix, FOLDERS)]

def _dates(fix):
    ds = {m.group(1) for t in _captures(fix) for m in re.finditer(
        r'<(?:pubDate|published|updated|dc:date|lastBuildDate|date|issued|modified)>([^<]{0,80})<', t)}
    rnd = random.Random(822)
    parts = [['Mon', 'Thu', 'Sun', 'Xyz', 'mon', 'THU'], ['00', '01', '29', '31', '32', '99', '1', '٠٢'],
             ['Jan', 'Feb', 'Aug', 'Dec', 'Foo', 'JAN', 'aug'], ['0001', '1899', '1900', '2024', '2262', '2263', '9999', '24'],
             ['00:00:00', '23:59:59', '24:00:00', '12:60:00', '00:00:60', '7:05:00'],
             ['+0000', '-0000', '+1400', '-2359', '+9999', 'GMT', 'UT', 'EST', '+00:00', 'gmt', '']]
    for _ in range(20000):
        p = [rnd.choice(x) for x in parts]
        ds.add(f'{p[0]}, {p[1]} {p[2]} {p[3]} {p[4]} {p[5]}'.strip() if rnd.random() < 0.9 else ' '.join(p))
    return sorted(ds)

def test_usual_rfc822_reads_as_rfc822(fix, monkeypatch):
    ds = _dates(fix)
    fast = [F.feed_date(s) for s in ds]
    usual = sum(bool(F._RFC822_USUAL.fullmatch(s.strip())) for s in ds)
    assert usual > 2000 and sum(d is not None for d in fast) > 2000   # the shape is common, and read
    monkeypatch.setattr(F, '_RFC822_USUAL', re.compile(r'(?!)'))   # every string through `_RFC822`
    assert fast == [F.feed_date(s) for s in ds]
