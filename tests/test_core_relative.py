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
    monkeypatch.setattr(C, '_rel_attrs', lambda s: list(C._REL_ATTR.finditer(s)))   # the values `_REL_ATTR.sub` rewrites
    assert new == [C.sanitize_html(s, b) for s in texts for b in bases]
