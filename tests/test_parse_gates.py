"""Two shortcuts of the feed parse (stop 23), each held to the path it skips:

- `feeds._fast_parse` takes CDATA sections out before the XML parse only where they are long (`_CD_SPAN` bytes of document
  a section): a feed of short CDATA titles is parsed as it came. `test_recs_cdata.py` holds the default to the document read
  as it came; here the scan is forced on (`_CD_SPAN = 0`) so that every capture and every hand-written variant of that file
  still goes through it (its variants are small documents, which the default no longer scans), and forced off.
- `core.sanitize_html` gives a text back as it is, without nh3, when `core._as_is` says nh3 would (no tag, no character
  reference, nothing the HTML parser or serializer rewrites). Held to nh3's prepared cleaner on every text `parse_feed` hands
  the sanitizer from every capture, and on seeded random strings built from the characters that matter (markup, references,
  CR, no-break space, BOM, noncharacters, astral and private-use points): generated here because the captures hold few."""
import random
import pandas as pd
import pytest
import mlnews_nb.core as C
import mlnews_nb.feeds as F
from test_recs_cdata import VARIANTS, _captures, _read, _same_both_ways
from test_core_sanitize_fast import _feed_inputs

@pytest.mark.parametrize('span', [0, 10**12])
def test_captures_read_the_same_whether_the_scan_runs_or_not(fix, monkeypatch, span):
    caps, used = _captures(fix), 0
    for p in caps:
        b = p.read_bytes()
        ref = _read(b, 'https://example.org/feed/')
        with monkeypatch.context() as m:
            m.setattr(F, '_CD_SPAN', span)
            got = _read(b, 'https://example.org/feed/')
            used += span == 0 and F._cdata_out(b) is not None and F._fast_parse(b) is not None
        assert (got[0] is None) == (ref[0] is None), (p, got[1], ref[1])
        if got[0] is not None: pd.testing.assert_frame_equal(got[0], ref[0])
        assert got[1] == ref[1], p
    assert len(caps) > 100 and (span or used >= 10), (len(caps), used)

@pytest.mark.parametrize('name', list(VARIANTS))
def test_variants_read_the_same_through_the_scan(name, monkeypatch):
    monkeypatch.setattr(F, '_CD_SPAN', 0)
    calls = []
    scan = F._cdata_out
    monkeypatch.setattr(F, '_cdata_out', lambda b: calls.append(1) or scan(b))
    got = _read(VARIANTS[name])
    monkeypatch.setattr(F, '_cdata_out', lambda b: None)
    ref = _read(VARIANTS[name])
    assert (got[0] is None) == (ref[0] is None) and got[1] == ref[1], (got[1], ref[1])
    if got[0] is not None: pd.testing.assert_frame_equal(got[0], ref[0])
    # the scan was asked (but where feedparser reads the feed: mojibake bytes)
    assert calls or b'<![CDATA[' not in VARIANTS[name] or F._c1(VARIANTS[name])

def test_short_sections_are_not_scanned(monkeypatch):
    "The default skips the scan on a small feed of short sections, and reads it as the scan does"
    calls = []
    scan = F._cdata_out
    monkeypatch.setattr(F, '_cdata_out', lambda b: calls.append(1) or scan(b))
    b = VARIANTS['plain']
    df = F.parse_feed(b, source='s')
    assert not calls and df.title.tolist() == ['A title', 'Second']
    big = b.replace(b'<![CDATA[<p>Body', b'<![CDATA[<p>' + b'long body ' * 2000 + b'Body')
    assert F.parse_feed(big, source='s').summary[0].startswith('long body') and calls

def _plain_strings(n:int, seed:int) -> list[str]:
    rnd = random.Random(seed)
    pool = ([chr(i) for i in range(1, 0x250)] + [chr(i) for i in range(0x2000, 0x2070)]
            + ['\ufeff', '\u200b', '\ufffd', '\U0001f600', '\U000e0001', '\ue000', '\ufdd0', '\uffff', '\ufffe', '\x85',
               '\U0010ffff', '&amp;', '&lt;', '<b>', '</p>', '<!--', '\r\n', '\xa0', ' ', '\n', '\t', '\x0c', '\x0b'])
    return [''.join(rnd.choice(pool) for _ in range(rnd.randint(0, 40))) for _ in range(n)]

def test_as_is_texts_are_what_nh3_gives(fix, monkeypatch):
    C.sanitize_html('x')   # the prepared cleaner
    texts = [s for s, _ in _feed_inputs(fix, monkeypatch) if isinstance(s, str)] + _plain_strings(60000, 23)
    texts = [C.clean_text(s) for s in texts]
    plain = [s for s in texts if C._as_is(s)]
    # both kinds are there: texts passed by and texts nh3 changes
    assert len(plain) > 20000 and sum(C._CLEANER(s) != s for s in texts[:5000]) > 100, len(plain)
    for s in plain: assert C._CLEANER(s) == s, repr(s[:200])
    # a leading BOM is one thing nh3 drops
    assert not C._as_is('\ufeffx') and C._CLEANER('\ufeffx') == 'x' and C.sanitize_html('\ufeffx') == 'x'

def test_plain_relative_paths_join_as_urljoin():
    "`core._PLAIN_REL`: the base's directory and the path is `urljoin`'s answer, on seeded paths and odd bases"
    from urllib.parse import urljoin
    rnd = random.Random(5)
    bases = ['https://example.org/blog/post/', 'http://a.b/c?d#e', 'https://x.org', 'https://x.org/a/b',
             'https://x.org/a//b/../c/./d', 'https://x.org/a;p?q', 'HTTPS://X.ORG/P', 'https://x.org/..',
             'https://u:p@h:8080/a/b/', 'https://h/a/b/..', 'https://h/%2e%2e/x', 'https://exa mple.org/']
    atoms = ['a', 'img', 'x.png', '.', '..', '/', './', '../', '-', '_', '~', '%20', '.hidden', 'a.b', '!', "'", '(', '=',
             '@', '+', ',', '$', '*', '\u00e9', ':', '?', '#', ';', ' ', '&', '\t']
    hit = 0
    for _ in range(60000):
        v, b = ''.join(rnd.choice(atoms) for _ in range(rnd.randint(1, 7))), rnd.choice(bases)
        if (p := C._PLAIN_REL(v)) is None: continue
        hit += 1
        assert urljoin(b, '_')[:-1] + p[1] == urljoin(b, v), (b, v)
    assert hit > 10000 and C._PLAIN_REL('../x') is None and C._PLAIN_REL('a//b') is None, hit

def test_sanitize_with_odd_bases_is_the_general_one():
    ("The rewrite's shortcuts (plain paths joined by hand, no second scan when no relative link can be left) give "
     "the HTML of the general code (`_general`), on seeded markup under several bases")
    from test_core_sanitize_fast import _general, _random, _answer, BASES
    rnd = random.Random(7)
    bases = [b for b in BASES if b] + ['https://x.org/a//b/../c/', 'http://h/p;x?q#f', 'https://h']
    extra = ['<a href= "x">y</a>', '<img src ="a/b.png">', '<a href="a/b" title="src=x">t</a>', '<a href="a/b">z</a><a href=c>',
             '<a href="./img/x.png">i</a><a href="../u">', '<a href="img/x.png">i</a> href = "q"', "<a href='a/b'>"]
    for s in _random(6000, 8) + extra * 20:
        b = rnd.choice(bases)
        assert _answer(C.sanitize_html, s, b) == _answer(_general, s, b), (s, b)
