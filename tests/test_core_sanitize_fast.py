"""`core.sanitize_html`'s fast path (stop 21: two C scans for a relative link, a text whose relative link the Python rewrite
cannot reach sent straight to nh3's `rewrite_with_base`, one `urljoin` per distinct value) gives the HTML the general code gave:
`_general` below is `sanitize_html` as it was before (stop 20, kept here frozen as the reference: scan every `href`/`src` from
Python, rewrite every quoted relative value, scan again, and only then let nh3 rewrite the text if a relative link is left).

The inputs: every summary and content `parse_feed` hands `sanitize_html` from every feed-like capture (with the entries' base
URLs, and with a page URL for the feed), hand-written edge cases (unquoted, protocol-relative, `javascript:`, entity-encoded,
`#frag`, brackets, non-ASCII hosts, values holding `src=`, malformed bases), and seeded random markup built from those pieces:
hand-written because hostile markup is what the two paths must agree on."""
import html, random, re
from pathlib import Path
from urllib.parse import urljoin, urlsplit
import numpy as np
import nh3, pytest
import mlnews_nb.core as C
import mlnews_nb.feeds as F
from conftest import CAPTURES

_ATTR = r'(?:h(?<!\wh)ref|s(?<!\ws)rc)'
_RELATIVE = re.compile(_ATTR + r'''\s*=\s*["\']?\s*(?![a-zA-Z][a-zA-Z0-9+.\-]*:|#|["\'>])''')
_REL_ATTR = re.compile('(' + _ATTR + r'''\s*=\s*)(["\'])(?![a-zA-Z][a-zA-Z0-9+.\-]*:|#)([^"\'<>]*)\2''')

def _general(s, base_url=None) -> str:
    "sanitize_html before the fast path (stop 20), with the plain regex scans"
    if s is None or (isinstance(s, float) and np.isnan(s)) or s == '': return ''
    kw = dict(tags=C._ALLOWED_TAGS, attributes=C._ALLOWED_ATTRS, clean_content_tags=C._NO_CONTENT,
              url_schemes={'http', 'https', 'mailto'}, link_rel='noopener noreferrer nofollow', strip_comments=True)
    s = C.clean_text(str(s))
    try:
        if base_url and _RELATIVE.search(s) and urlsplit(base_url).scheme in ('http', 'https'):
            absolute = lambda m: html.escape(urljoin(base_url, html.unescape(m.group(3))))
            s2 = _REL_ATTR.sub(lambda m: m.group(1) + m.group(2) + absolute(m) + m.group(2), s)
            if _RELATIVE.search(s2): return nh3.clean(s, url_relative=('rewrite_with_base', base_url), **kw)
            s = s2
    except ValueError: pass
    return nh3.clean(s, **kw)

EXT = ('.xml', '.json', '.rdf', '.atom', '.rss')
TEXTS = ['<a href=foo>x</a>', '<a href=/foo>x</a>', "<a href='rel/a b'>x</a>", '<a href="//cdn.x/y">x</a>',
         '<a href="javascript:alert(1)">x</a>', '<a href="&#106;avascript:alert(1)">x</a>', '<a href="a&amp;b=1">x</a>',
         '<a href="#frag">x</a>', '<a href=" rel">x</a>', '<a href="">x</a>', '<img src="i.png" alt=y>', '<img src=i.png>',
         '<a HREF="up/x">x</a>', '<a href = "sp/x">x</a>', '<a data-href="d/x" href="ok">x</a>', 'no links here',
         '<a href="?q=1">x</a>', '<a href="../u">x</a>', '<a href="mailto:a@b">x</a>', '<a href="%zz">x</a>',
         '<a href="http://ok/x">y</a><a href="rel">z</a>', '<a href="a"b">x</a>', '<a href="&lt;x&gt;">x</a>',
         '<a href=un>x</a><a href="q">y</a>', '<a href="//[x">y</a><a href=un>z</a>', '<a href="//[x">y</a>',
         '<a href="//h\u2100/x">y</a><a href=u>z</a>', '<a href="a href=b">x</a>', '<a href="x src=" src="z">y</a>',
         '<a href="x?src=foo">y</a>', '<a href="&#91;x">y</a><img src=i>', '<a href="  javascript:alert(1)">x</a>',
         '<img src="a.png"><img src="a.png"><img src=b.png>', '<a href=\'x"y\'>z</a>', '<a href="\u00e9t\u00e9">x</a>',
         '<script>href="x"</script><a href=y>z</a>', '<!-- <a href="c"> --><a href="d">e</a>', 'href=', '<a href="x>y</a>']
BASES = ['https://example.org/blog/post/', 'http://a.b/c?d#e', 'ftp://x/y', 'not a url', '', None, 'https://[::1',
         'https://exa mple.org/', 'https://\u4f8b\u3048.jp/p/', 'HTTPS://X.ORG/P', '//proto.rel/x', 'https://h:99999/x']

def _feed_inputs(fix, monkeypatch) -> list[tuple]:
    "Every (text, base) `parse_feed` hands `sanitize_html`, from every feed-like capture"
    seen, caps, got = set(), [], []
    for root in (Path(fix), CAPTURES.parent):
        for p in sorted(root.rglob('*')):
            if p.suffix in EXT and p.is_file() and (r := p.resolve()) not in seen: seen.add(r); caps.append(p)
    monkeypatch.setattr(F, 'sanitize_html', lambda s, b=None, clean=False: got.append((s, b)) or '')
    for i, p in enumerate(caps):
        try: F.parse_feed(p.read_bytes(), url=f'https://example.org/feeds/c{i}{p.suffix}', source='x')
        except C.SourceError: pass
    monkeypatch.undo()
    return list(dict.fromkeys(got))

def _random(n:int, seed:int) -> list[str]:
    rnd = random.Random(seed)
    vals = ['x', '/', '//', '[', ']', '#', 'javascript:', '&amp;', '&#91;', '?', '\u00e9', 'http://h/', '..', ' ', 'src=',
            'href=', '"', "'", '\u2100']
    def attr():
        v = ''.join(rnd.choice(vals) for _ in range(rnd.randint(0, 4))); q = rnd.choice(['"', '"', "'", ''])
        return f'<{rnd.choice(["a", "img"])} {rnd.choice(["href", "src", "data-src"])}{rnd.choice(["=", " = "])}{q}{v}{q}>t</a>'
    return [''.join(attr() if rnd.random() < .6 else rnd.choice(['text ', '<p>', ' href ', '=']) for _ in range(rnd.randint(1, 8)))
            for _ in range(n)]

def _answer(f, s, b):
    try: return f(s, b)
    except Exception as e: return type(e).__name__

def test_fast_path_is_the_general_one(fix, monkeypatch):
    ins = _feed_inputs(fix, monkeypatch)
    assert len(ins) > 1000, len(ins)
    ins += [(t, b) for t in TEXTS for b in BASES] + [(t, 'https://example.org/a/b') for t in _random(4000, 21)]
    # each way of the fast path is taken (straight to nh3; rewritten in Python) and texts with no relative link
    rel = [(s, b) for s, b in ins if s and b and C._has_relative(C.clean_text(s))]
    kept = sum(C._kept_relative(s, C._rel_attrs(s)) for s, _ in rel)
    assert kept > 50 and len(rel) - kept > 50 and len(ins) - len(rel) > 1000, (kept, len(rel), len(ins))
    for s, b in ins: assert _answer(C.sanitize_html, s, b) == _answer(_general, s, b), (s[:300] if s else s, b)
