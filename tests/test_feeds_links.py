"""The works a feed entry cites and their blurbs, on every path of `parse_feed`.

The feeds here are hand-written (not captured from a service): no capture has an entry whose only HTML is its content with a
paper link outside any block element, the case where the summary and the content, being one text, were read twice and the
link's blurb came out doubled. Expected blurbs are read from the feed's own HTML with lxml, not typed in."""
import pytest
from lxml import html as lhtml
from mlnews_nb.feeds import parse_feed, read_feed, extract_links

ARXIV = 'https://arxiv.org/abs/2001.08361'
# a link that is not inside a block element: its blurb is the whole fragment's text
LOOSE = f'See <a href="{ARXIV}">this paper</a> on scaling.'
# a link inside a paragraph, and a second work in a list item
BLOCKS = (f'<p>Scaling laws get a rethink: <a href="{ARXIV}">Kaplan et al.</a></p>'
          '<ul><li>DPO: <a href="https://huggingface.co/papers/2305.18290">paper page</a></li></ul>')

def _esc(s): return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')

def _rss(body_of_item:str, broken:bool=False) -> bytes:
    "An RSS 2.0 feed with one item; `broken` leaves a tag open so that lxml refuses it and feedparser reads it"
    tail = '<category>x' if broken else ''
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f'<channel><title>t</title><link>https://news.example.org/</link><item><title>Issue 1</title>'
            f'<link>https://news.example.org/1</link><guid>https://news.example.org/1</guid>'
            f'<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate>{body_of_item}{tail}</item></channel></rss>').encode()

def _atom(body_of_entry:str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
            '<link href="https://news.example.org/"/><id>urn:t</id><updated>2026-03-02T10:00:00Z</updated>'
            '<entry><title>Issue 1</title><link href="https://news.example.org/1"/><id>urn:1</id>'
            f'<updated>2026-03-02T10:00:00Z</updated>{body_of_entry}</entry></feed>').encode()

def _fragment_text(s:str) -> str:
    "What a blurb of a link outside any block is: the fragment's text, whitespace collapsed"
    return ' '.join(lhtml.fragment_fromstring(s, create_parent='div').text_content().split())

CASES = {
    'rss content only': (_rss(f'<content:encoded>{_esc(LOOSE)}</content:encoded>'), 'lxml'),
    'rss summary equal to content': (_rss(f'<description>{_esc(LOOSE)}</description>'
                                          f'<content:encoded>{_esc(LOOSE)}</content:encoded>'), 'lxml'),
    'atom content only': (_atom(f'<content type="html">{_esc(LOOSE)}</content>'), 'lxml'),
    'feedparser, content only': (_rss(f'<content:encoded>{_esc(LOOSE)}</content:encoded>', broken=True), 'feedparser'),
}

@pytest.mark.parametrize('name', list(CASES))
def test_a_loose_link_gets_its_blurb_once(name):
    content, parser = CASES[name]
    df = parse_feed(content, source='hand')
    assert df.attrs['feed']['parser'] == parser
    assert df.links_to[0] == ['arxiv:2001.08361']
    blurb = df.extra[0]['blurbs']['arxiv:2001.08361']
    assert blurb == _fragment_text(LOOSE), blurb
    assert blurb.count('this paper') == 1

def test_summary_and_different_content_both_cited():
    "A short summary and a longer content that differ: the works of both, the summary's first, each blurb from its own text"
    summ = f'<p>Short: <a href="{ARXIV}">scaling</a>.</p>'
    df = parse_feed(_rss(f'<description>{_esc(summ)}</description><content:encoded>{_esc(BLOCKS)}</content:encoded>'),
                    source='hand')
    assert df.links_to[0] == ['arxiv:2001.08361', 'arxiv:2305.18290']
    assert df.extra[0]['blurbs'] == {'arxiv:2001.08361': _fragment_text(summ),
                                     'arxiv:2305.18290': 'DPO: paper page'}
    assert df.extra[0]['has_content'] is True

def test_blurbs_match_extract_links_over_http(server):
    "Over HTTP, a content-only entry cites what `extract_links` finds in its content alone"
    for html in (LOOSE, BLOCKS):
        url = server.add('/feed.xml', _rss(f'<content:encoded>{_esc(html)}</content:encoded>'),
                         ctype='application/rss+xml')
        df = read_feed(url, source='hand')
        want = extract_links(html, base_url='https://news.example.org/1')
        assert df.links_to[0] == [l['key'] for l in want]
        assert df.extra[0]['blurbs'] == {l['key']: l['blurb'] for l in want}

@pytest.mark.parametrize('quote', ['"', "'"])
def test_an_href_with_spaces_before_the_address_is_cited(quote):
    "Hand-written: spaces inside the quote before the address (browsers and lxml strip them) hid the only paper link"
    spaced = f'See <a href={quote}  {ARXIV}{quote}>this paper</a> on scaling.'
    got = extract_links(spaced)
    assert [d['url'] for d in got] == [ARXIV], got
    assert [d['key'] for d in got] == [d['key'] for d in extract_links(LOOSE)]
    df = parse_feed(_rss(f'<description>{_esc(spaced)}</description>'), source='hand')
    assert df.links_to[0] == ['arxiv:2001.08361']
