"""One bad byte never costs more than its source: parse_feed over mutated real captures raises only the project's own errors.

Every real feed capture in the shared fixtures (blogs, newsletters, Reddit, Hacker News, YouTube, arXiv's RSS, feedparser's
corpus) is mutated with a fixed seed: bit flips, cuts, inserted random bytes and inserted hostile tokens (character references
past U+10FFFF, a year-3026 date, a broken IPv6 URL, a `javascript:` link, control characters, lone UTF-8 continuation bytes).
Large captures are trimmed to their first items first (a real prefix, closed), so thousands of cases run in seconds.
The assertion is that nothing but `MLNewsError` escapes, and that the last-resort guard in `parse_feed` ("parser fault")
never had to catch anything: each fault is handled where it happens.
"""
import random, re
from collections import Counter
import pytest
from mlnews_nb.core import MLNewsError, SourceError, check_items
from mlnews_nb.feeds import parse_feed, read_feed

FOLDERS = ('blog_feeds', 'blog_feeds_2026', 'newsletter_feeds', 'newsletter_feeds_derived', 'feed_edge_cases', 'reddit', 'reddit/atom',
           'hackernews', 'youtube', 'arxiv_rss')
TOKENS = [b'&#99999999;', b'&#x110000;', b'&#xD800;', b'&#0;', b'<pubDate>Mon, 01 Jan 3026 10:00:00 GMT</pubDate>', b'<published>3026-01-01T00:00:00Z</published>',
          b'<link>http://[::1/x</link>', b'<link href="http://[zz"/>', b'<link>javascript:alert(1)</link>', b'\x01\x02\x1b', b'\x80\xbf\xff',
          b'<![CDATA[', b']]>', b'<', b'&', b'<!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/passwd">]>', b'&e;', b'xml:base="http://[::1"',
          b'<updated>99999-99-99</updated>', b'<dc:date>0000-00-00</dc:date>', b'<title>' + b'T' * 3000 + b'</title>', b'\xef\xbb\xbf', b'\x00']

def _trim(b:bytes, keep:int=2) -> bytes:
    "A large capture cut after its first `keep` items and closed again: real bytes, small enough to mutate thousands of times"
    if len(b) < 6_000: return b
    for close, tail in ((b'</item>', b'</channel></rss>'), (b'</entry>', b'</feed>')):
        ends = [m.end() for m in re.finditer(re.escape(close), b)]
        if len(ends) > keep:
            root_close = b'</rdf:RDF>' if b'<rdf:RDF' in b[:2000] else tail
            return b[:ends[keep-1]] + root_close
    return b[:6_000]

def _shrink(b:bytes, at:int=800) -> bytes:
    "Long text runs and CDATA sections (whole articles) cut to their first `at` bytes, at a space: the markup around them stays real"
    cut = lambda s: s[:at].rsplit(b' ', 1)[0]
    b = re.sub(rb'<!\[CDATA\[(.*?)\]\]>', lambda m: b'<![CDATA[' + (cut(m.group(1)) if len(m.group(1)) > at else m.group(1)) + b']]>', b, flags=re.S)
    return re.sub(rb'>([^<]{%d,})<' % at, lambda m: b'>' + cut(m.group(1)) + b'<', b)

def _captures(fix):
    return [(p.name, _shrink(_trim(p.read_bytes()))) for d in FOLDERS for p in sorted((fix/d).glob('*.xml'))]

def _mutate(b:bytes, rng:random.Random) -> bytes:
    b = bytearray(b)
    for _ in range(rng.choice((1, 1, 2, 3))):
        op, i = rng.random(), rng.randrange(max(len(b), 1))
        if op < 0.3 and b: b[i] ^= 1 << rng.randrange(8)                                 # a bit flip
        elif op < 0.45: b = b[:i]                                                         # a cut
        elif op < 0.7: b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))   # random bytes
        else: b[i:i] = rng.choice(TOKENS)                                                 # a hostile token
    return bytes(b)

def test_mutated_captures_raise_only_our_errors(fix):
    caps = _captures(fix)
    assert len(caps) >= 30, [n for n,_ in caps]
    rng, outcomes, unhandled, guarded = random.Random(20261128), Counter(), [], []
    n = 0
    while n < 2000:
        for name, b in caps:
            m = _mutate(b, rng); n += 1
            try: check_items(parse_feed(m, url='https://feeds.example.org/f.xml', source='x')); outcomes['ok'] += 1
            except SourceError as e:
                outcomes[e.health] += 1
                if 'parser fault' in e.message: guarded.append((name, e.message))
            except MLNewsError: outcomes['other'] += 1
            except Exception as e: unhandled.append((name, f'{type(e).__name__}: {e}'[:200]))
    assert not unhandled, f'{len(unhandled)} unhandled of {n}: {unhandled[:5]}'
    assert not guarded, f'{len(guarded)} reached the last-resort guard: {guarded[:5]}'
    assert outcomes['ok'] > n // 3, outcomes   # most mutations still leave a readable feed: the items survive

def test_mutated_captures_over_http_and_from_files(fix, server, http, tmp_path):
    "read_feed, over loopback HTTP and from a path, on a few hundred of the same mutations"
    caps, rng, bad = _captures(fix), random.Random(7), []
    for k in range(300):
        name, b = caps[k % len(caps)]
        m = _mutate(b, rng)
        try:
            if k % 2: read_feed(server.add(f'/m{k}.xml', m, ctype='application/rss+xml'), http=http)
            else: (p := tmp_path/f'm{k}.xml').write_bytes(m); read_feed(p)
        except MLNewsError: pass
        except Exception as e: bad.append((name, f'{type(e).__name__}: {e}'[:200]))
    assert not bad, bad[:5]
