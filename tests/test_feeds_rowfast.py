"""The row-level shortcuts of stop 25 give what the code before them gave, on every capture's values and fuzzed ones:
`core.link_key` naming no work on a plain host without `urlsplit`, `core.arxiv_id` answering an ASCII URL without 'arxiv'
before its case-blind regex, `feeds._terms` (category terms read once when none repeats), `feeds._c1`'s `find`s before its regex and
`feeds._no_ctrl`'s type check. Each reference is the code as it was, kept here frozen."""
import random, re
from pathlib import Path
from urllib.parse import urlsplit
import pytest
from lxml import etree
import mlnews_nb.core as C
import mlnews_nb.feeds as F
from mlnews_nb.testserver import fixtures_dir

FOLDERS = ('blog_feeds', 'blog_feeds_2026', 'newsletter_feeds', 'newsletter_feeds_derived', 'feed_edge_cases', 'reddit',
           'hackernews')

@pytest.fixture(scope='module')
def fix() -> Path: return fixtures_dir()

def _captures(fix):
    return [p for d in FOLDERS for p in sorted((fix/d).glob('*.xml'))]

def _urls(fix) -> list[str]:
    "Every href and link of the captures, and fuzzed URLs around the shortcuts' edges (case, escapes, user, port, spaces)"
    urls = set()
    for p in _captures(fix):
        t = p.read_text('utf-8', 'replace')
        urls.update(re.findall(r'href=(?:"|&quot;|&#34;)([^"&]*)', t))
        urls.update(re.findall(r'<link>([^<]*)</link>', t))
    rnd = random.Random(25)
    hosts = ['arxiv.org', 'ARXIV.org', 'www.arxiv.org', 'export.arxiv.org', 'arxiv.org.evil.com', 'xarxiv.org',
             'github.com', 'GitHub.com', 'www.github.com', 'gist.github.com', 'hf.co', 'huggingface.co', 'HF.CO',
             'doi.org', 'dx.doi.org', 'openreview.net', 'api.openreview.net', 'example.com', 'blog.google', 'a_b.org',
             'arx\u0131v.org', 'ARX\u0130V.org', 'arxiv.org:443', 'u:p@arxiv.org', 'arxiv.org@x.com', '[::1]', '',
             'ex%61mple.com', 'arx%69v.org', 'git\nhub.com', 'arx\tiv.org', 'www.', 'WWW.DOI.ORG', 'xn--d1acufc.xn--p1ai',
             '\u00e9xample.com', 'hf.co.', 'a-b.c']
    paths = ['', '/', '/abs/2101.00001', '/abs/2101.00001v3', '/pdf/2101.00001.pdf', '/papers/2305.18290',
             '/forum?id=AbC', '/10.1145/3442188', '/karpathy/nanoGPT', '/arxiv/2101.00001', '?q=arxiv', '#arxiv',
             '/%61bs/2101.00001', '/abs/hep-th/9901001', '/x y', '/\u00e9']
    for _ in range(30_000):
        urls.add(rnd.choice(['https://'] * 8 + ['http://', 'HTTPS://', ' https://', 'ftp://', '', '//'])
                 + rnd.choice(hosts) + rnd.choice(paths) + rnd.choice([''] * 10 + [' ', '\n', '\t', '%2F', '.', '#x']))
    return sorted(urls)

def test_plain_host_is_urlsplits(fix):
    "Where `_PLAIN_HOST` reads a host, it is `urlsplit`'s; `link_key` gives what its general code gives on every URL"
    urls, read = _urls(fix), 0
    for u in urls:
        if m := C._PLAIN_HOST(u):
            read += 1
            assert m[1].lower() == (urlsplit(u.strip()).hostname or ''), u
    assert len(urls) > 10_000 and read > 3_000 and len(urls) - read > 5_000, (len(urls), read)
    general = lambda u, code: _answer(C.link_key, u, code=code)
    fast = {(u, c): general(u, c) for u in urls for c in (False, True)}
    plain, C._PLAIN_HOST = C._PLAIN_HOST, lambda u: None   # the general code alone
    try: assert all(general(u, c) == k for (u, c), k in fast.items())
    finally: C._PLAIN_HOST = plain
    assert sum(k is not None and not k.startswith('ValueError') for k in fast.values()) > 2_000

def _answer(f, *a, **k):
    try: return f(*a, **k)
    except ValueError as e: return f'ValueError: {e}'

def _old_arxiv_match(s):
    s = C.unquote(str(s)).strip()
    if '://' in s or s.startswith(('arxiv.org', 'www.arxiv')):
        m = C._ARXIV_URL.search(s)
        if not m: return None
        s = m.group(1)
    return C._ARXIV_RE.search(s)

def test_arxiv_id_shortcut_answers_as_the_regex(fix):
    "`arxiv_id` and `arxiv_version` with the URL shortcut give what the regex alone gave, on captured and fuzzed URLs"
    odd = ['https://arxıv.org/abs/2101.00001', 'https://arXİv.org/abs/2101.00001v2', 'https://ARXIV.org/abs/2101.00001',
           'https://e.org/%61rxiv.org/abs/2101.00001', 'https://e.org/2101.00001', 'arxiv.org/abs/2101.00001v3']
    urls = _urls(fix) + odd
    old = lambda u: ((m := _old_arxiv_match(u)) and m.group('id'), m and m.group('v'))
    new = lambda u: (C.arxiv_id(u), C.arxiv_version(u))
    got = [(new(u), old(u)) for u in urls]
    assert all((a, None if v is None else int(v)) == n for n, (a, v) in got), [u for u, (n, o) in zip(urls, got)
                                                                              if n != (o[0], o[1] and int(o[1]))]
    shortcut = sum(u.isascii() and '://' in C.unquote(u) and 'arxiv' not in C.unquote(u).lower() for u in urls)
    found = sum(n[0] is not None for n, _ in got)
    assert shortcut > 2_000 and found > 100, (shortcut, found)
    assert [C.arxiv_id(u) for u in odd] == ['2101.00001', '2101.00001', '2101.00001', '2101.00001', None, '2101.00001']

def _old_uniq_atom(cats):
    return F._uniq(((c.get('term') or '').strip(), c.get('scheme'), c.get('label')) for c in cats
                   if (c.get('term') or '').strip())

def _old_uniq_rss(cats):
    return F._uniq((t.strip(), e.get('domain')) for e in cats if (t := F._text(e)) and t.strip())

def test_terms_are_uniq(fix):
    "Category terms: the distinct ones as they are, a repeated one through `_uniq` (its scheme, label or domain)"
    rnd = random.Random(3)
    terms, attrs = ['AI', 'AI ', ' ', '', 'ML', 'ai', 'x'], [None, 'a', 'b']
    for _ in range(5_000):
        atom = etree.Element('entry')
        for _ in range(rnd.randint(0, 6)):
            c = etree.SubElement(atom, 'category')
            if (t := rnd.choice(terms + [None])) is not None: c.set('term', t)
            for a in ('scheme', 'label'):
                if (v := rnd.choice(attrs)) is not None: c.set(a, v)
        cats = list(atom)
        found = [(t, c) for c in cats if (t := (c.get('term') or '').strip())]
        assert F._terms(found, ('scheme', 'label')) == _old_uniq_atom(cats)
        for c in cats:
            c.text = c.get('term'); c.attrib.pop('scheme', None)
            if (v := c.attrib.pop('label', None)) is not None: c.set('domain', v)
        found = [(t, e) for e in cats if (t := (F._text(e) or '').strip())]
        assert F._terms(found, ('domain',)) == _old_uniq_rss(cats)
    for p in _captures(fix):   # and every capture's frames, item by item, as the identity tests hold them
        try: raw = F._fast_parse(p.read_bytes())
        except Exception: continue
        if raw:
            for r in raw[0]: assert isinstance(r['tags'], list)

def _old_c1(b):
    return any(h in b and r.search(b) for h, r in zip((b'\xc2', b'&#'), F._C1))

def test_c1_is_the_old_one(fix):
    rnd = random.Random(11)
    toks = [b'a', b'&#', b'&#1', b'&#12', b'&#128;', b'&#129;', b'&#130;', b'&#159;', b'&#160;', b'&#x8', b'&#x80;',
            b'&#X9f;', b'&#x9G;', b'&#34;', b'&#39;', b'\xc2', b'\xc2\x80', b'\xc2\xa0', b';', b'&amp;#128;', b'x']
    bs = [p.read_bytes() for p in _captures(fix)]
    bs += [b''.join(rnd.choice(toks) for _ in range(rnd.randint(0, 12))) for _ in range(20_000)]
    hits = [_old_c1(b) for b in bs]
    assert [bool(F._c1(b)) for b in bs] == [bool(h) for h in hits]
    assert 1_000 < sum(map(bool, hits)) < len(bs) - 1_000

def _old_no_ctrl(texts, xml=False):
    if not all(type(x) is str or x is None for x in texts): return False
    s = ''.join([x for x in texts if x is not None])
    return '\x7f' not in s if xml else C.clean_text(s) is s

class _S(str): pass

def test_no_ctrl_is_the_old_one():
    rnd = random.Random(4)
    vals = ['a', '', None, 'b\x7f', 'c\x01', _S('s'), 0, 1, b'x', 'd\ud800', 1.5, []]
    for _ in range(20_000):
        t = [rnd.choice(vals) for _ in range(rnd.randint(0, 5))]
        for xml in (False, True): assert F._no_ctrl(t, xml) == _old_no_ctrl(t, xml), (t, xml)

def test_ascii_lower_reads_as_lower():
    "`_ascii_lower` differs from `str.lower` only where neither href pattern looks: checked on every code point"
    import sys
    named = set('href' + ''.join(F._HINTS) + 'github' + '"\'>=')
    ws = re.compile(f'[{F._WS}]')
    for c in map(chr, range(128, sys.maxunicode + 1)):
        if c == '\u0130' or '\ud800' <= c <= '\udfff': continue
        low = c.lower()
        assert len(low) == 1 and low not in named and bool(ws.match(c)) == bool(ws.match(low)), hex(ord(c))
        assert F._ascii_lower(c) == c

def test_ascii_lower_finds_what_lower_finds(fix):
    "The href scans on `_ascii_lower(s)`: the same matches, at the same places, as on `s.lower()` (no U+0130)"
    rnd = random.Random(8)
    toks = ['HREF', 'href', 'Href', '=', ' ', '\u2003', '\xa0', '"', "'", '>', 'https://', 'ARXIV.org/abs/1', 'arxiv',
            'HF.CO', 'Hugging', 'github', '\u212a', '\u0131', 'ſ', '\u00c9', '\u00e9', 'Σ', '\ud800', 'a', '<a ', '/',
            'DOI.ORG', 'openReview']
    texts = [''.join(rnd.choice(toks) for _ in range(rnd.randint(1, 30))) for _ in range(20_000)]
    texts += [r['summary'] or '' for p in _captures(fix) if (got := _fast(p)) for r in got[0]]
    seen = 0
    for s in texts:
        if '\u0130' in s: continue
        low, al = s.lower(), F._ascii_lower(s)
        assert len(al) == len(s)
        for pat in (F._HREF, F._HREF_CODE, F._HREFS):
            # every group's place, and the quote (what `_keyless` reads of a match: the value is read from `s`)
            a = [(m.regs, m[1]) for m in pat.finditer(low)]
            assert a == [(m.regs, m[1]) for m in pat.finditer(al)], s
            seen += bool(a)
    assert seen > 2_000, seen

def _fast(p):
    try: return F._fast_parse(p.read_bytes())
    except Exception: return None

def test_xml_texts_need_no_cleaning(fix):
    "What the lxml fast path reads holds no control character but DEL: the sanitizer may skip its own look (`clean=True`)"
    n = 0
    for p in _captures(fix):
        if (got := _fast(p)) is None: continue
        for r in got[0]:
            for t in (r['summary'], r['content'], r['title']):
                if t: n += 1; assert '\x7f' in t or C.clean_text(t) is t, (p.name, t[:100])
    assert n > 500, n
    s = '<p>a\x7fb<a href="x">c</a></p>'   # DEL: `_records` leaves such a text to `sanitize_html`'s own look
    b = 'https://e.org/'
    assert C.sanitize_html(s, b) == C.sanitize_html(C.clean_text(s), b, clean=True) != C.sanitize_html(s, b, clean=True)

def test_arxiv_id_gives_its_answer_back(fix):
    "`_key` takes `arxiv_id(u)` as the id without reading it again: `arxiv_id` of its own answer is that answer"
    rnd = random.Random(6)
    toks = ['arXiv:', 'arxiv:', ' ', '2101.00001', '2101.123456', '0704.0001', 'v2', 'v', '.pdf', 'hep-th/9901001',
            'HEP-TH/9901001', 'math.AG/0601001', 'cs.lg/0101001', '/', 'https://arxiv.org/abs/', 'arxiv.org/pdf/', 'x',
            '%2F', '1234.5678', '9', '.', 'www.arxiv.org/abs/', '-', 'A', '\u00e9']
    num = lambda: rnd.choice([f'{rnd.randint(0, 9999):04d}.{rnd.randint(0, 99999):0{rnd.choice([4, 5, 6])}d}',
                              f'{rnd.choice(["hep-th", "math.AG", "Cs", "q-bio.NC"])}/{rnd.randint(0, 10**8):07d}'])
    texts = _urls(fix) + [''.join(rnd.choice(toks) if rnd.random() < .8 else num() for _ in range(rnd.randint(1, 8)))
                          for _ in range(30_000)]
    ids = [a for t in texts if (a := C.arxiv_id(t))]
    assert len(ids) > 5_000 and len(set(ids)) > 1_000, (len(ids), len(set(ids)))
    assert all(C.arxiv_id(a) == a for a in ids)
