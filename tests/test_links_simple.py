"""`feeds.extract_links` reads a fragment of text, line breaks and plain links without a parse (stop 24,
`_simple_links`): it must give the links the lxml parse gives. The reference is `_old_extract_links` of
tests/test_links_fast.py (the code before stop 22, frozen there), run on every capture's texts (the `fix` fixture and the captures next to the tests) and
on seeded random fragments built from hand-written pieces: text with and without the whitespace libxml2 may drop
(between two tags, inside a link), line breaks in their spellings, links to papers, models, code and relative paths,
character references, other tags, attributes and quotes, non-characters, long texts that need the sentence a link sits
in. Hand-written because the fragments at the edge of what the fast path takes are what the two ways must agree on."""
import random
import pytest
import mlnews_nb.feeds as F
from test_links_fast import _old_extract_links, _capture_texts, _answer

HREFS = ['https://arxiv.org/abs/2001.08361', 'https://arxiv.org/abs/2001.08361v2',
         'https://huggingface.co/papers/2305.18290', 'https://hf.co/papers/2305.18290',
         'https://github.com/karpathy/nanoGPT', 'https://huggingface.co/Qwen/Qwen3-8B',
         '/papers/2305.18290', 'papers/2305.18290', '../abs/2001.08361', '//arxiv.org/abs/2001.08361', '',
         'https://openreview.net/forum?id=XyZ123', 'https://doi.org/10.1145/3442188', 'https://doi.org/10.1000/X.Y.',
         'https://example.com/?u=arxiv', 'https://arxiv.org/x/../abs/2001.08361', 'https://ArXiv.org/abs/2001.08361',
         'https://arxiv.org/abs/2001.08361#x', "https://arxiv.org/abs/2001.08361'", 'https://arxiv.org/abs/2001.08361`',
         'https://arxiv.org/abs/2001.08361 x', 'https://arxiv.org/abs/2001.08361&amp;', 'https://[::1]/arxiv',
         'https://arxiv.org/abs/\u00e9t\u00e9', 'https://arxiv.org/abs/2001.08361>']
TEXTS = ['While textual frequency has been validated. ', 'We propose a novel direction in ...', 'Upvotes: 498',
         '\U0001f517 ', ' ', '  \n ', '\t', '\xa0', 'a > b ', 'Scaling laws. Kaplan et al. fit power laws! ', '\r\n',
         '\u00c9t\u00e9 ', 'K\u0130 ', '\ufffe', 'x\uffff', '&amp; ', '&nbsp;', '&#x41;', ']]> ', '\x85', '\u2003',
         'It works (see below). ' * 12, '"Quoted." [1] ', '<p>', '</p>', '<b>bold</b>', '<!-- c -->', '<div>', '</a>',
         '<br>', '<br/>', '<br />', '<BR>', '<br/ >', '<hr>', '<img src="x.png">']

def _link(rnd) -> str:
    h, t = rnd.choice(HREFS), rnd.choice(['paper', 'Hugging Face', '', ' ', 'the  PDF\n', 'GitHub', '\u00e9t\u00e9',
                                          'a <b>b</b>', 'x &amp; y', 'Scaling laws.'])
    return rnd.choice([f'<a href="{h}">{t}</a>'] * 6 + [f"<a href='{h}'>{t}</a>", f'<a href={h}>{t}</a>',
                                                         f'<A HREF="{h}">{t}</A>', f'<a title="x" href="{h}">{t}</a>',
                                                         f'<a  href="{h}">{t}</a>', f'<a href="{h}" >{t}</a>'])

def _fragments(n:int, seed:int) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        k = rnd.randint(1, 12)
        # mostly pieces the fast path takes (text, br, plain links), now and then one it must refuse
        safe = [p for p in TEXTS if '<' not in p and '&' not in p and '\ufffe' not in p and '\uffff' not in p]
        safe += ['<br>', '<br/>', '<br />']
        out.append(''.join(_link(rnd) if rnd.random() < .35 else rnd.choice(safe if rnd.random() < .85 else TEXTS)
                           for _ in range(k)))
    return out

def test_simple_links_are_the_parsed_ones(fix, monkeypatch):
    took = []
    simple = F._simple_links
    monkeypatch.setattr(F, '_simple_links', lambda *a: took.append(r := simple(*a)) or r)
    ins = [(t, b) for t, b in _capture_texts(fix, monkeypatch) if '<a' in t and len(t) < 20_000]
    monkeypatch.setattr(F, '_simple_links', lambda *a: took.append(r := simple(*a)) or r)   # `_capture_texts` undid it
    found = 0
    for t, b in ins:
        for base in (b, 'https://huggingface.co/papers'):
            want = _answer(_old_extract_links, t, base_url=base)
            assert _answer(F.extract_links, t, base_url=base) == want, (t[:300], base)
            found += bool(want)
    for t in _fragments(10_000, 24):
        for base in (None, 'https://huggingface.co/papers/', 'https://news.example.org/a/b'):
            for code in (False, True):
                want = _answer(_old_extract_links, t, base_url=base, code=code)
                assert _answer(F.extract_links, t, base_url=base, code=code) == want, (t, base, code)
                found += bool(want)
    # both ways taken: fragments answered without a parse (with links found), and fragments sent on to the parse
    fast = [r for r in took if r is not None]
    assert len(fast) > 2_000 and sum(map(bool, fast)) > 1_500 and len(took) - len(fast) > 10_000 and found > 10_000, (
        len(fast), sum(map(bool, fast)), len(took), found)

def test_simple_links_refuse_what_the_parser_reads():
    "What the fast path leaves to the parse: references, other tags and attributes, blank text between tags"
    u = 'https://arxiv.org/abs/2001.08361'
    for s in [f'a <a href="{u}">x</a> &amp; b', f'<p><a href="{u}">x</a>', f'a <a href="{u}">x</a> <br>',
              f'<a href="{u}"> </a>', f"<a href='{u}'>x</a>", f'a <a title=t href="{u}">x</a>',
              f'a\ufffe<a href="{u}">x</a>', 'no link at all']:
        assert F._simple_links(s, None, False, False, F._HINTS) is None, s
    hf = 'https://huggingface.co/papers/2305.18290'
    got = F._simple_links(f'Abstract ...<br/>\U0001f517 <a href="{hf}">Hugging Face</a>', None, False, False, F._HINTS)
    want = dict(key='arxiv:2305.18290', url=hf, text='Hugging Face', blurb='Abstract ...\U0001f517 Hugging Face')
    assert got == [want]
