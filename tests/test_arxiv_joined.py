"""The announcement feed's column-at-a-time checks give what their one-value-at-a-time references give.

`_squash_all` (titles, abstracts), `_split_all` (authors) and `_few_dates` (a feed's dates) look at all values at once: the
ASCII values joined in slices of about `_SLICE` characters and checked with numpy, only the flagged ones (and the
non-ASCII ones) handed to `_squash`, `html_to_text` or `_split_authors`. Each is held here to that reference on seeded
random values built from the pieces that matter (every kind of whitespace, commas, ' and ', markup, NUL, non-ASCII), with
slices as small as a few characters so that values straddle every cut, and on the real feeds' columns."""
import random
import numpy as np, pandas as pd, pytest
from lxml import etree
import mlnews_nb.arxiv as X
from mlnews_nb.core import html_to_text, utc_series

PIECES = ['a', 'bc', 'Sandra', 'And', 'and', ' and ', ',and ', ' ', '  ', ',', ', ', ' ,', ',,', '\n', '\t', '\r',
          '\x0b', '\x0c', '\x1c', '\x1f', '\x7f', '\x00', '\xa0', '\u2009', '\u3000', '\x85', '\u200b', 'é', '<b>',
          '&amp;', '&', '<', 'x y']

def values(rng, k=None):
    "A random list of values: None, '' and strings of random pieces"
    k = rng.randint(0, 9) if k is None else k
    return [None if rng.random() < .08 else ''.join(rng.choice(PIECES) for _ in range(rng.randint(0, 9)))
            for _ in range(k)]

def squash_ref(v, html=False):
    if not v: return v
    return html_to_text(v) if html and ('<' in v or '&' in v) else X._squash(v)

@pytest.mark.parametrize('slice_', [1, 5, 64, 1 << 16])
def test_squash_all_is_squash_one_by_one(monkeypatch, slice_):
    monkeypatch.setattr(X, '_SLICE', slice_)
    rng = random.Random(slice_)
    for _ in range(1500):
        vals = values(rng)
        assert X._squash_all(vals) == [squash_ref(v) for v in vals], vals
        assert X._squash_all(vals, html=True) == [squash_ref(v, True) for v in vals], vals

@pytest.mark.parametrize('slice_', [1, 5, 64, 1 << 16])
def test_split_all_is_split_authors_one_by_one(monkeypatch, slice_):
    monkeypatch.setattr(X, '_SLICE', slice_)
    rng = random.Random(100 + slice_)
    for _ in range(1500):
        vals = values(rng)
        assert X._split_all(vals) == [X._split_authors(v) for v in vals], vals

def test_clean_values_take_the_fast_way(monkeypatch):
    "The fast answers are not the reference in disguise: clean values never reach `_squash` or `_split_authors`"
    calls = []
    monkeypatch.setattr(X, '_squash', lambda s: calls.append(s) or ' '.join(s.split()))
    monkeypatch.setattr(X, '_split_authors', lambda s: calls.append(s) or [])
    assert X._squash_all(['a b', None, 'c', '']) == ['a b', None, 'c', ''] and not calls
    assert X._split_all(['Ann Lee, Bo Li', 'Cy', None]) == [['Ann Lee', 'Bo Li'], ['Cy'], []] and not calls
    X._squash_all(['a  b', 'ok', ' x']); X._split_all(['A,B', 'Ann and Bo', 'C, D'])
    assert calls == ['a  b', ' x', 'A,B', 'Ann and Bo']

def test_real_feed_columns(fix):
    "Titles, abstracts and authors of the real feeds (and the bench's 2,000 items) as the references make them"
    bodies = [p.read_bytes() for p in sorted((fix/'arxiv_rss').glob('*.xml'))]
    for b in bodies:
        chan = etree.fromstring(b).find('channel')
        f, _ = X._item_fields(chan.findall('item'), {**X._RSS_FIELDS, **X._ARXIV_FIELDS}, 'category')
        abst = [d[X._HEAD.match(d).end():] for d in f['desc']]
        assert X._squash_all(f['title']) == [squash_ref(t) for t in f['title']]
        assert X._squash_all(abst, html=True) == [squash_ref(a, True) for a in abst]
        assert X._split_all(f['creator']) == [X._split_authors(c) for c in f['creator']]

def test_few_dates_are_utc_series():
    rng = random.Random(5)
    days = ['Thu, 28 Nov 2024 00:00:00 -0500', 'Mon, 28 Apr 2025 00:00:00 -0400', '2024-01-01', '', 'garbage',
            '1711929600', ' 2024-02-05T05:00:00Z ', None]
    for _ in range(200):
        vals = [rng.choice(days) for _ in range(rng.randint(0, 30))]
        got = X._few_dates(vals)
        assert got is not None
        pd.testing.assert_extension_array_equal(got, utc_series(vals).array)
    many = [f'2024-01-{d:02d}' for d in range(1, 25)]
    assert X._few_dates(many) is None and X._few_dates([1, 2]) is None and X._few_dates([[1]]) is None
    for g, w in zip(X._dates(many, days), [utc_series(many).array, utc_series(days).array]):
        pd.testing.assert_extension_array_equal(g, w)
