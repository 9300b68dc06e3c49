"""Blurbs keep every character of the post's text: `extract_links` hands its HTML parser UTF-8 bytes (not a str), so a
parser reading them in another encoding, or obeying a page's own `<meta charset>`, would garble them.

The fragments are hand-written (not captured): they gather in one place what captures hold only here and there
(accents, typographic quotes, CJK, an emoji outside the BMP, a full page declaring a legacy charset). Expected blurbs are
read from the same HTML by lxml.html from the str, the reading `extract_links` matched before it fed bytes."""
import pytest
from lxml import html as lhtml
from mlnews_nb.feeds import extract_links

ARXIV = 'https://arxiv.org/abs/2001.08361'
TEXT = 'Café “scaling” — 深層学習 😀 naïve'

def _expected(doc:str, block:str) -> str:
    "The text of the first `block` element of `doc`, as lxml.html reads the str, whitespace collapsed"
    root = lhtml.document_fromstring(doc) if doc.lstrip().lower().startswith(('<html', '<!doctype')) else \
        lhtml.fragment_fromstring(doc, create_parent='div')
    return ' '.join(root.xpath(f'//{block}')[0].text_content().split())

CASES = {
    'fragment': (f'<p>{TEXT}: <a href="{ARXIV}">the paper ✓</a></p>', 'p'),
    'page with a legacy meta charset': (f'<!doctype html><html><head><meta charset="iso-8859-1"></head><body>'
                                        f'<li>{TEXT} <a href="{ARXIV}">the paper ✓</a></li></body></html>', 'li'),
    'page with an http-equiv charset': ('<html><head><meta http-equiv="Content-Type" content="text/html; '
                                        f'charset=windows-1252"></head><body><p>{TEXT} <a href="{ARXIV}">x</a></p>'
                                        '</body></html>', 'p'),
}

@pytest.mark.parametrize('name', list(CASES))
def test_blurbs_keep_non_ascii_text(name):
    doc, block = CASES[name]
    links = extract_links(doc)
    assert [l['key'] for l in links] == ['arxiv:2001.08361']
    assert links[0]['blurb'] == _expected(doc, block), links[0]['blurb']
    assert TEXT in links[0]['blurb']
