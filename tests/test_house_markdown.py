"""The two Markdown writers (`digest.digest_markdown`, `export.to_markdown`) share one escape and one link writer
(`core.md_escape`, `core.md_link`): rendered by a real CommonMark renderer, a hostile title stays text and a link goes
only to an http(s) URL. The rows are hand-written (no capture has titles like these; that is the point)."""
import pandas as pd, pytest
from markdown_it import MarkdownIt
from mlnews_nb.core import md_escape, md_link
from mlnews_nb.digest import digest_markdown
from mlnews_nb.export import to_markdown

HOSTILE = ['<script>alert(1)</script>', '[click](javascript:alert(1))', '*bold* _it_ `code`', '# heading', '- list',
           '1. ordered', '![img](https://evil.example/x.png)', 'a | b | c', '<img src=x onerror=alert(1)>']
URLS = ['https://arxiv.org/abs/2401.00001', 'javascript:alert(1)', 'data:text/html,<b>', '/relative', None,
        'https://en.wikipedia.org/wiki/A_(b)<x>']

def _render(md): return MarkdownIt().render(md)

def _digest_frame(title, url):
    return pd.DataFrame([dict(pick='interest', key='k', title=title, kind='paper', sources=['s'], minutes=15.0,
                              score=1.0, reason=title, url=url, state=None, what_changed=None)])

@pytest.mark.parametrize('title', HOSTILE)
@pytest.mark.parametrize('url', URLS)
def test_writers_keep_titles_as_text_and_links_web_only(title, url):
    for md in (digest_markdown(_digest_frame(title, url)), to_markdown(pd.DataFrame([dict(key='k', title=title, url=url)]))):
        html = _render(md)
        assert '<script' not in html and '<img' not in html
        links = MarkdownIt().parse(md)
        hrefs = [t.attrGet('href') for tok in links if tok.children for t in tok.children if t.type == 'link_open']
        if url and url.startswith('https://'): assert len(hrefs) == 1 and hrefs[0].startswith('https://')
        else: assert hrefs == []

def test_escaped_text_renders_back_to_itself():
    import html as h
    for s in HOSTILE + ['plain (parentheses) & C#', '2024. A year', '> quote', 'back\\slash ~strike~']:
        html = _render(md_escape(s))
        assert h.unescape(html.removeprefix('<p>').removesuffix('</p>\n')) == s, (s, html)

def test_link_destination_survives_parentheses():
    html = _render(md_link('Wiki', 'https://en.wikipedia.org/wiki/A_(b)'))
    assert 'href="https://en.wikipedia.org/wiki/A_%28b%29"' in html and '>Wiki</a>' in html

def test_both_writers_use_the_one_link_writer():
    import inspect, mlnews_nb.digest as D, mlnews_nb.export as E
    for f in (D.digest_markdown, E.to_markdown):
        src = inspect.getsource(f)
        assert 'md_link(' in src and 'safe_url(' not in src
