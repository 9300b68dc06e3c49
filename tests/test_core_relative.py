"""`core.sanitize_html` looks for relative links only where a literal `href` or `src` starts (`_has_relative`, `_sub_relative`):
the answers must be those of the plain regex scans (`_RELATIVE.search`, `_REL_ATTR.sub`) on every capture and on fuzzed strings
built from the pieces that matter (attribute names inside words, quotes, schemes, fragments, brackets); the fuzz is generated
here, seeded, because hostile markup is what the lookbehinds are for."""
import random
from pathlib import Path
import mlnews_nb.core as C
from conftest import committed_only

def _texts(fix):
    texts = [p.read_bytes().decode('utf-8', 'replace')
             for p in committed_only(fix, ('blog_feeds', 'blog_feeds_2026', 'newsletter_feeds', 'newsletter_feeds_derived',
                                           'feed_edge_cases', 'reddit', 'hackernews'))]
    rnd = random.Random(13)
    atoms = ['href', 'src', 'HREF', 'xhref', 'asrc', 'srcset', 'hrefsrc', '=', ' = ', '"', "'", '/a/b', 'http://x.org/', '#f',
             'mailto:x', '<', '>', 'a', ' ', '&amp;', '\n', 'h', 's', 'img ']
    texts += [''.join(rnd.choice(atoms) for _ in range(rnd.randint(1, 16))) for _ in range(5000)]
    return texts

def test_relative_scans_answer_as_the_regexes(fix):
    f = lambda m: m.group(1) + m.group(2) + 'ABS(' + m.group(3) + ')' + m.group(2)
    texts = _texts(fix)
    assert sum(bool(C._RELATIVE.search(s)) for s in texts) > 100   # the fuzz does hold relative links
    for s in texts:
        assert C._has_relative(s) == bool(C._RELATIVE.search(s)), s[:200]
        assert C._sub_relative(f, s) == C._REL_ATTR.sub(f, s), s[:200]

def test_sanitize_html_unchanged(fix, monkeypatch):
    "sanitize_html with the scans as the plain regexes gives the same HTML"
    texts, bases = _texts(fix)[:2500], [None, 'https://example.org/blog/post/', 'http://x.y/a?b=c#d']
    new = [C.sanitize_html(s, b) for s in texts for b in bases]
    monkeypatch.setattr(C, '_has_relative', lambda s: bool(C._RELATIVE.search(s)))
    monkeypatch.setattr(C, '_rel_attrs', lambda s, at=None: list(C._REL_ATTR.finditer(s)))   # what `_REL_ATTR.sub` rewrites
    assert new == [C.sanitize_html(s, b) for s in texts for b in bases]

def _old_kept_relative(s, ms):
    "`_kept_relative` before stop 25, frozen: the relative links' starts found by two `finditer` scans"
    if len(C._REL_HREF.findall(s)) + len(C._REL_SRC.findall(s)) == sum(1 for m in ms if C._RELATIVE.match(s, m.start())):
        return False
    starts = sorted(m.start() for p in (C._REL_HREF, C._REL_SRC) for m in p.finditer(s))
    spans = iter(ms); m = next(spans, None)
    for i in starts:
        while m is not None and m.end() <= i: m = next(spans, None)
        if m is None or i < m.start(): return True
    return False

def test_kept_relative_is_the_old_one(fix):
    "Relative links' starts read at `_at_attrs`' places: `_kept_relative` answers as its two scans did"
    texts, kept = _texts(fix), 0
    for s in texts:
        at = C._at_attrs(s); ms = C._rel_attrs(s, at)
        want = _old_kept_relative(s, ms)
        assert C._kept_relative(s, ms, at) == want == C._kept_relative(s, ms), s[:200]
        kept += want
    assert 100 < kept < len(texts) - 100, kept
