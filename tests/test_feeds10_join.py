"""`feeds._join`'s shortcuts (`core.join_url`) (a URI whose scheme `urljoin` does not resolve given back as it is; a plain relative path joined
to an http(s) base as the base's folder and the path) answer as `urljoin` does: on every id, guid, link and href of the
captures against the captures' own kinds of base and odd ones (a `tag:` base, a file URL, a bad IPv6 literal, a userinfo and
port, dot segments), and on fuzzed values (seeded, built here from what the shortcuts part on: schemes in both cases, colons,
dots, slashes, queries, fragments, tabs and newlines, non-ASCII letters), because odd input is where a shortcut and the
general rule part."""
import random, re
from urllib.parse import urljoin
import mlnews_nb.feeds as F, mlnews_nb.core as C
from urllib.parse import uses_relative
from conftest import committed_only

FOLDERS = ('blog_feeds', 'blog_feeds_2026', 'newsletter_feeds', 'newsletter_feeds_derived', 'feed_edge_cases', 'reddit',
           'hackernews', 'arxiv_rss', 'hf_daily_papers')
BASES = [None, '', 'https://example.org/blog/post/', 'http://a.b/c?d#e', 'https://x.org', 'https://x.org/a/b',
         'https://x.org/a//b/../c/./d', 'https://x.org/a;p?q', 'HTTPS://X.ORG/P', 'https://x.org/..',
         'https://u:p@h:8080/a/b/', 'https://h/a/b/..', 'https://h/%2e%2e/x', 'https://exa mple.org/', 'https://[::1/a',
         'http://[::1]/a/', 'https://h/a\tb/', 'tag:ai-news-direct.local,2025:huggingface_daily_papers', 'file:///a/b',
         'ftp://h/a/b', 'mailto:x@y.z', 'feed.xml', '/a/b/']

def _ref(base, u):
    "`_join` before its shortcuts, frozen: `urljoin`, and `u` as it is when either is missing or the pair does not parse"
    if not (base and u) or u.startswith(('https://', 'http://')) and '/.' not in u: return u
    try: return urljoin(base, u)
    except ValueError: return u

def _values(fix) -> list[str]:
    texts = [p.read_bytes().decode('utf-8', 'replace') for p in committed_only(fix, FOLDERS)]
    vs = {m.group(1) for t in texts for m in re.finditer(
        r'<(?:id|guid|link)(?:\s[^>]*)?>([^<]{1,300})<|\shref="([^"]{0,300})"', t) if m.group(1)}
    vs |= {m.group(1) for t in texts for m in re.finditer(r'\shref="([^"]{0,300})"', t)}
    rnd = random.Random(13)
    atoms = ['tag:', 'urn:uuid:', 'HTTP:', 'Https:', 'mailto:', 'http:', 'ftp:', 'svn+ssh:', 'a', 'Z9', '528ad5653c', '-', '+',
             '.', '..', './', '../', ':', '/', '//', '?q=1', '#f', ';p', '\t', '\n', ' ', '%2e', 'é', '[', ']', '@', '1:', 'x.png']
    vs |= {''.join(rnd.choice(atoms) for _ in range(rnd.randint(1, 6))) for _ in range(30000)}
    return sorted(vs)

def test_join_answers_as_urljoin(fix):
    vs = _values(fix)
    scheme = plain = 0
    for b in BASES:
        C._folder.cache_clear()
        for v in vs:
            assert F._join(b, v) == _ref(b, v), (b, v)
            if not b or v.startswith(('https://', 'http://')): continue
            if (m := C._SCHEME_AT(v)) is not None: scheme += m[0][:-1].lower() not in uses_relative
            else: plain += b.startswith(('https://', 'http://')) and C._PLAIN_REL(v) is not None
        # the folder remembered for the base answers the same the second time
        assert [F._join(b, v) for v in vs[:2000]] == [_ref(b, v) for v in vs[:2000]], b
    # both shortcuts were taken, many times, on every kind of base
    assert scheme > 20000 and plain > 5000, (scheme, plain)
