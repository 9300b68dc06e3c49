"""`feeds.extract_links`' prefilter and `core.link_key`'s fast path (stop 22) give the links the code before them gave.

`_old_extract_links` and `_old_link_key` below are the two as they were before (stop 21), kept here frozen as the
reference: lower-case the text, look for a paper host anywhere, then for an `href` naming one, and parse; `link_key`
through `urlsplit` for every URL. The new prefilter answers "no link" without a parse in two more cases (no `=` in the
text; a long text whose every `href` is read exactly and names no work), and `link_key` reads the usual shapes of a
work's URL in one match.

The inputs: every summary and content of every feed-like capture (with the entry's link, and with no base, an arXiv
base, a newsletter base and a Hugging Face base; with and without `code`), every string of the JSON and YAML captures
that may hold a link (Reddit, HN, Mastodon, Bluesky, Hugging Face daily papers...), what `parse_feed` hands
`extract_links`, and seeded random markup built from hand-written pieces (mixed-case `HREF`, unquoted and
space-padded values, character references, `/../` paths, user info, ports, brackets, control characters, an `href`
inside another's value, long lists of model links): hand-written because hostile markup is what the two ways must
agree on."""
import html, json, random, re, sys
from pathlib import Path
from urllib.parse import urlsplit, parse_qs, urljoin
import feedparser, pytest
from lxml import etree
import mlnews_nb.core as C
import mlnews_nb.feeds as F
from conftest import CAPTURES

# ---- the reference: extract_links and link_key before stop 22, frozen ----
def _old_link_key(url, *, code=False):
    if not url or not isinstance(url, str): return None
    u = urlsplit(url.strip())
    host, path = (u.hostname or '').lower().removeprefix('www.'), u.path
    if host.endswith('arxiv.org'): return f'arxiv:{a}' if (a := C.arxiv_id(url)) else None
    if host in ('huggingface.co', 'hf.co') and (m := re.match(r'/papers/(\d{4}\.\d{4,5})', path)):
        return f'arxiv:{m.group(1)}'
    if host.endswith('openreview.net') and (i := parse_qs(u.query).get('id')): return f'openreview:{i[0]}'
    if host in ('doi.org', 'dx.doi.org') and (d := C.normalize_doi(path.lstrip('/'))): return f'doi:{d}'
    if code and host == 'github.com' and (m := re.match(r'/([\w.-]+)/([\w.-]+)',
                                                        path)) and m.group(1) not in ('orgs', 'topics', 'sponsors'):
        return f'url:https://github.com/{m.group(1).lower()}/{m.group(2).lower().removesuffix(".git")}'
    return None

_BLOCKS = ('p', 'li', 'blockquote', 'td', 'dd', 'figcaption', 'h1', 'h2', 'h3', 'h4', 'div', 'body')
_HP = etree.HTMLParser(encoding='utf-8', collect_ids=False)
_FULL_HTML = re.compile(r'^\s*<(?:html|!doctype)', re.I).match
_string = etree.XPath('string()', smart_strings=False)

def _old_fragment(s):
    doc = etree.fromstring((s if _FULL_HTML(s) else f'<html><body>{s}</body></html>').encode('utf-8'), _HP)
    if doc is None: raise etree.ParserError('Document is empty')
    bodies = [e for e in doc if e.tag == 'body']
    if len(bodies) != 1: raise ValueError(f'{len(bodies)} bodies')
    return bodies[0]

def _old_blurb(a, max_len=400):
    el = a.getparent()
    while el is not None and el.tag not in _BLOCKS: el = el.getparent()
    text = ' '.join(_string(el if el is not None else a).split())
    if len(text) <= max_len: return text
    anchor = ' '.join(_string(a).split())
    sents = re.split(r'(?<=[.!?])\s+(?=[A-Z0-9“"(\[])', text)
    hit = next((s for s in sents if anchor and anchor in s), sents[0])
    return hit if len(hit) <= max_len else hit[:max_len-1].rstrip() + '…'

_HINTS = ('arxiv', 'openreview', 'doi.org', 'huggingface.co', 'hf.co')
_HREF = re.compile(r'href\s*=\s*["\']?\s*[^"\'>\s]*(?:%s)' % '|'.join(re.escape(h) for h in _HINTS))
_HREF_CODE = re.compile(r'href\s*=\s*["\']?\s*[^"\'>\s]*(?:%s)' % '|'.join(re.escape(h) for h in (*_HINTS, 'github')))

def _old_join(base, u):
    if not (base and u) or u.startswith(('https://', 'http://')) and '/.' not in u: return u
    try: return urljoin(base, u)
    except ValueError: return u

def _old_extract_links(html, *, base_url=None, code=False):
    if not html or not str(html).strip(): return []
    hints = (*_HINTS, 'github') if code else _HINTS
    s = str(html)
    low, blow = s.lower(), (base_url or '').lower()
    if not any(h in low or h in blow for h in hints): return []
    check_all = any(h in blow for h in hints)
    if not check_all and not (_HREF_CODE if code else _HREF).search(low): return []
    try: root = _old_fragment(C.clean_text(s))
    except Exception: return []
    out, seen = [], set()
    for a in root.iter('a'):
        href = (a.get('href') or '').strip()
        hl = href.lower()
        if not href or not check_all and not any(h in hl for h in hints): continue
        url = _old_join(base_url, href)
        try: k = _old_link_key(url, code=code)
        except ValueError: k = None
        if not k or k in seen: continue
        seen.add(k)
        out.append(dict(key=k, url=url, text=' '.join(_string(a).split()), blurb=_old_blurb(a)))
    return out

# ---- the inputs ----
FEEDS = ('.xml', '.rdf', '.atom', '.rss', '.opml')
DATA = ('.json', '.jsonl', '.yml', '.yaml')
BASES = [None, 'https://arxiv.org/list/cs.LG/recent', 'https://news.example.org/issue-1/',
         'https://huggingface.co/blog/p']

def _files(fix) -> list[Path]:
    seen, out = set(), []
    for root in (Path(fix), CAPTURES.parent):
        for p in sorted(root.rglob('*')):
            if p.is_file() and (p.suffix in FEEDS + DATA or 'json' in p.name) and (r := p.resolve()) not in seen:
                seen.add(r); out.append(p)
    return out

def _strings(o, out:list):
    if isinstance(o, dict): [_strings(v, out) for v in o.values()]
    elif isinstance(o, list): [_strings(v, out) for v in o]
    elif isinstance(o, str) and '=' in o: out.append(o)

_TEXTS = {}

def _capture_texts(fix, monkeypatch) -> list[tuple]:
    ("(text, base) pairs: every entry's summary, content and both, every string of the data captures, what parse_feed "
     "hands on")
    if str(fix) in _TEXTS: return _TEXTS[str(fix)]   # read once for the tests of this file
    got = _TEXTS.setdefault(str(fix), {})
    def add(t, b):
        if isinstance(t, str) and t: got[(t, b)] = None
    files = _files(fix)
    for p in files:
        b = p.read_bytes()
        if p.suffix in FEEDS:
            for e in feedparser.parse(b).entries:
                s, link = e.get('summary'), e.get('link')
                cs = [c.get('value') for c in e.get('content', []) if c.get('value')]
                add(s, link); [add(c, link) for c in cs]
                if s and cs and cs[0] != s: add(f'{s}\n{cs[0]}', link)
        else:
            out = []
            try:
                if p.suffix == '.jsonl': [_strings(json.loads(l), out) for l in b.decode().splitlines() if l.strip()]
                elif p.suffix in ('.yml', '.yaml'):
                    yaml = pytest.importorskip('yaml'); _strings(yaml.safe_load(b), out)
                else: _strings(json.loads(b), out)
            except (ValueError, UnicodeDecodeError): continue   # not JSON after all (a cassette of another kind)
            for s in out: add(s, None); add(html.unescape(s), None)   # Reddit's selftext_html is escaped HTML
    handed = []
    monkeypatch.setattr(F, 'extract_links', lambda h, base_url=None, code=False: handed.append((h, base_url)) or [])
    for i, p in enumerate(f for f in files if f.suffix in FEEDS):
        try: F.parse_feed(p.read_bytes(), url=f'https://example.org/feeds/c{i}.xml', source='x')
        except C.SourceError: pass
    monkeypatch.undo()
    for h, b in handed: add(h, b)
    _TEXTS[str(fix)] = list(got)
    return _TEXTS[str(fix)]

# longer than `_READ_FIRST`: the href scan is taken
PAD = '<p>' + 'Plain words about models and data, nothing linked. ' * 45 + '</p>'
HOSTS = ['https://huggingface.co/Qwen/Qwen3-8B', 'https://huggingface.co/papers/2305.18290',
         'https://hf.co/papers/2305.18290', 'https://www.huggingface.co/papers/2305.18290',
         'https://huggingface.co/x/../papers/2305.18290', 'https://huggingface.co/&#112;apers/2305.18290',
         'https://huggingface.co/papers', 'https://hf.co/datasets/a/b', 'https://arxiv.org/abs/2001.08361v2',
         'http://arxiv.org/pdf/2001.08361.pdf', 'https://ArXiv.org/abs/2001.08361',
         'https://&#97;rxiv.org/abs/2001.08361', 'https://ar&#120;iv.org/abs/2001.08361',
         'https://notarxiv.org/abs/2001.08361', 'https://openreview.net/forum?id=XyZ123',
         'https://openreview.net/forum?id=a&amp;b', 'https://doi.org/10.1145/3442188',
         'https://dx.doi.org/10.1000/X.Y.', 'https://github.com/karpathy/nanoGPT', 'https://example.com/x?u=arxiv',
         'https://x.example.com@arxiv.org/abs/2001.08361', 'https://arxiv.org@x.example.com/',
         'https://arxiv.org:443/abs/2001.08361', 'https://[::1]/arxiv', 'https://a%2Farxiv.org/',
         'HTTPS://HUGGINGFACE.CO/PAPERS/2305.18290', '/abs/2001.08361', 'papers/2305.18290',
         '../arxiv.org/abs/2001.08361', '//arxiv.org/abs/2001.08361', 'arxiv.org/abs/2001.08361',
         'https://www.interconnects.ai/p/x?utm_source=substack&utm_medium=email', 'https://example.com/&#x61;rxiv',
         'https://huggingface.co/\u00e9t\u00e9', 'https://hug\x01gingface.co/papers/2305.18290',
         'https://example.com/a b arxiv', 'https://arxiv.org/abs/2001.08361 ', '\u00a0https://arxiv.org/abs/2001.08361',
         'javascript:arxiv', '#arxiv', 'https://example.com/href=https://arxiv.org/abs/2001.08361',
         'https://doi.org/10.1145/3442188&#x29;']

def _random(n:int, seed:int) -> list[str]:
    rnd = random.Random(seed)
    names = ['href', 'HREF', 'Href', 'hReF', 'data-href', 'src', 'href ', 'hr\x00ef']
    def link():
        q = rnd.choice(['"', '"', "'", '', '" ', "' "])
        v = rnd.choice(HOSTS) + rnd.choice(['', '', '"', "'", '>', ' x', '<b>', '=', '`', '\t', '&amp;', '\u2003'])
        close = q.strip()
        tag, name, eq = rnd.choice(['a', 'a', 'link', 'a/']), rnd.choice(names), rnd.choice(['=', ' = ', '=\n'])
        rest, text = rnd.choice(['>', ' >', ' title=x>', '']), rnd.choice(['paper', 'the <em>PDF</em>', ''])
        return f'<{tag} {name}{eq}{q}{v}{close}{rest}{text}</a>'
    bits = [PAD, PAD, '<p>', '</p>', '<li>', 'text ', '<!-- <a href="https://arxiv.org/abs/1"> -->', '&amp; ', 'href=',
            '<div>Scaling. Laws! ', '\u00c9t\u00e9 ', 'K\u0130 ', '<a href="a<a/href=https://arxiv.org/abs/2001.08361"']
    return [''.join(link() if rnd.random() < .5 else rnd.choice(bits) for _ in range(rnd.randint(1, 10)))
            for _ in range(n)]

KEYLESS = ['https://huggingface.co/Qwen/Qwen3-8B', 'https://huggingface.co/datasets/a/b?x=1&amp;y=2',
           'https://hf.co/spaces/s', 'https://www.interconnects.ai/p/x?utm_source=substack&utm_medium=email',
           'https://github.com/a/b', 'https://example.com/arxiv-notes', '/about', 'https://huggingface.co/papers',
           'https://arxiv.org/list/cs.LG']

def _lists(n:int, seed:int) -> list[str]:
    "Long posts linking models, not papers (a newsletter's list of open models), some with one link that names a work"
    rnd = random.Random(seed)
    def a(v):
        q = rnd.choice(['"', "'", ''])
        return f'<li><a href={q}{v}{q or " "}>{v[-9:]}</a></li>'
    return [PAD + ''.join(a(rnd.choice(KEYLESS)) for _ in range(rnd.randint(1, 12)))
            + (a(rnd.choice(HOSTS)) if rnd.random() < .5 else '') + rnd.choice(['', PAD]) for _ in range(n)]

def _answer(f, s, **kw):
    try: return f(s, **kw)
    except Exception as e: return type(e).__name__

def test_ws_class_is_backslash_s():
    "The prefilter's spelled-out whitespace is `\\s`, code point by code point"
    a, b = re.compile(r'\s'), re.compile(f'[{F._WS}]')
    assert all(bool(a.match(chr(i))) == bool(b.match(chr(i))) for i in range(sys.maxunicode + 1))

def test_extract_links_is_the_old_one(fix, monkeypatch):
    ins = _capture_texts(fix, monkeypatch)
    assert len(ins) > 20_000, len(ins)
    skipped, parsed = [], []
    cites, frag = F._cites_nothing, F._fragment
    monkeypatch.setattr(F, '_cites_nothing', lambda *a: skipped.append(r := cites(*a)) or r)
    monkeypatch.setattr(F, '_fragment', lambda s: parsed.append(1) or frag(s))
    found = 0
    for t, b in ins:
        for base in dict.fromkeys([b, *(BASES if '=' in t else ())]):   # no `=`: the fuzzed texts try the bases
            want = _answer(_old_extract_links, t, base_url=base)
            assert _answer(F.extract_links, t, base_url=base) == want, (t[:300], base)
            found += bool(want)
        want = _answer(_old_extract_links, t, base_url=b, code=True)
        assert _answer(F.extract_links, t, base_url=b, code=True) == want, (t[:300], b)
    rnd = _random(6000, 22) + _lists(3000, 23)
    for t in rnd:
        for base in (None, 'https://news.example.org/issue-1/', 'https://arxiv.org/list/cs.LG'):
            for code in (False, True):
                want = _answer(_old_extract_links, t, base_url=base, code=code)
                assert _answer(F.extract_links, t, base_url=base, code=code) == want, (t, base, code)
                found += bool(want)
    # every way was taken: texts skipped after the href scan, texts the scan sent to the parse, parses, links found
    assert sum(skipped) > 500 and len(skipped) - sum(skipped) > 2000 and len(parsed) > 5000 and found > 5000, (
        sum(skipped), len(skipped), len(parsed), found)

def _urls(fix, monkeypatch) -> list[str]:
    "Every href of the captures' texts, and shapes around the fast path's (versions, case, www, trailing characters)"
    urls = {html.unescape(m) for t, _ in _capture_texts(fix, monkeypatch) for m in re.findall(r'href="([^"]*)"', t)}
    rnd = random.Random(7)
    hosts = dict(arxiv=['arxiv.org', 'www.arxiv.org', 'export.arxiv.org', 'ARXIV.org', 'xarxiv.org',
                        'arxiv.org.evil.com'],
                 hf=['huggingface.co', 'hf.co', 'www.hf.co', 'www.huggingface.co', 'export.hf.co', 'huggingface.com'],
                 openreview=['openreview.net', 'www.openreview.net', 'api.openreview.net'],
                 doi=['doi.org', 'dx.doi.org', 'www.doi.org', 'www.dx.doi.org', 'doi.org.x'])
    for _ in range(20_000):
        i = f'{rnd.randint(0, 9999):04d}.{rnd.randint(0, 99999):0{rnd.choice([4, 5, 5, 5, 6])}d}'
        kind = rnd.choice(list(hosts))
        others = hosts[kind] if rnd.random() < .9 else hosts[rnd.choice(list(hosts))]
        host = hosts[kind][0] if rnd.random() < .5 else rnd.choice(others)
        path = rnd.choice(dict(
            arxiv=[f'/abs/{i}', f'/pdf/{i}', f'/pdf/{i}.pdf', f'/abs/{i}v{rnd.randint(0, 12)}', f'/html/{i}v1',
                   f'/abs/hep-th/{rnd.randint(0, 9999999):07d}', '/abs/', f'/src/{i}', f'/ABS/{i}',
                   f'/abs/{i}.pdf.pdf'],
            hf=[f'/papers/{i}', f'/papers/{i}v2', '/papers/', f'/Papers/{i}'],
            openreview=['/forum?id=' + rnd.choice(['AbC_1-2', 'x y', 'a%20b', '\u00e9', '', 'a+b', 'a&id=b']),
                        '/pdf?id=Zz9', '/forum?noteId=x'],
            doi=[f'/10.{rnd.randint(1, 10**10)}/Ab.C(1)' + rnd.choice(['', '.', '..', '/x', '%29', ' y']),
                 '/10.1/x', f'//10.{rnd.randint(1000, 99999)}/x'])[kind])
        urls.add(rnd.choice(['https://'] * 12 + ['http://', 'HTTPS://', ' https://', 'ftp://']) + host + path
                 + rnd.choice([''] * 16 + ['/', '#x', '?v=1', ' ', '\n', '.', 'v', '%2F']))
    return sorted(urls)

def test_link_key_is_the_old_one(fix, monkeypatch):
    urls = _urls(fix, monkeypatch)
    fast = sum(bool(C._WORK_URL(u)) for u in urls)
    assert len(urls) > 10_000 and fast > 1000 and len(urls) - fast > 3000, (len(urls), fast)
    for u in urls:
        for code in (False, True): assert _answer(C.link_key, u, code=code) == _answer(_old_link_key, u, code=code), u

def test_work_host_covers_link_key():
    "A host `_work_host` calls workless is one `link_key` names no work on, whatever the path; `_host` is urlsplit's host"
    netlocs = ['arxiv.org', 'export.arxiv.org', 'notarxiv.org', 'arxiv.org.x.com', 'huggingface.co', 'www.hf.co',
               'hf.co.uk', 'openreview.net', 'api.openreview.net', 'doi.org', 'dx.doi.org', 'www.dx.doi.org',
               'sub.doi.org', 'github.com', 'gist.github.com', 'example.com', 'u:p@arxiv.org', 'arxiv.org@example.com',
               'ARXIV.ORG:80', 'HF.CO', 'x\\@hf.co', 'www.', '', ':80', 'a@', 'WWW.GitHub.com']
    paths = ['/abs/2001.08361', '/papers/2305.18290', '/forum?id=X', '/10.1145/3442188', '/karpathy/nanoGPT', '/']
    for n in netlocs:
        assert F._host(n) == (urlsplit(f'https://{n}/').hostname or '').removeprefix('www.'), n
        for p in paths:
            if not F._work_host(F._host(n)):
                assert all(_old_link_key(f'https://{n}{p}', code=c) is None for c in (False, True)), (n, p)
    assert F._work_host('arxiv.org') and F._work_host('hf.co') and not F._work_host('example.com')

def test_sentences_are_the_split():
    "A blurb's sentences, cut one at a time, are `re.split`'s"
    rnd = random.Random(5)
    toks = ['a', 'B', '.', '!', '?', ' ', '  ', '\n', '“', '"', '(', '[', '1', 'x. Y', '\u00e9', '\u2003', '.\u2003A', '..']
    for t in (''.join(rnd.choice(toks) for _ in range(rnd.randint(0, 40))) for _ in range(20_000)):
        assert list(F._sentences(t)) == F._SENTENCE.split(t), t
