"""The fast path takes a feed's CDATA sections out before the XML parse (`feeds._cdata_out`: libxml2 reads a section one
character at a time) and puts each one's content back where a text is read. Held here to the document read as it came
(`_cdata_out` replaced by one that declines): the same frame, `attrs['feed']` and error for every capture, and for
hand-written variants of a real item (hand-written because no capture has a control character, bad UTF-8, U+FFFF or a
comment around a section inside CDATA, the cases where the parser refuses or reads what the scan must not misread)."""
import pytest, pandas as pd
import mlnews_nb.feeds as F
from mlnews_nb.core import SourceError
from conftest import CAPTURES

EXT = ('.xml', '.rdf', '.atom', '.rss')

def _captures(fix):
    seen, out = set(), []
    for root in (fix, CAPTURES.parent):
        for p in sorted(root.rglob('*')):
            if p.suffix in EXT and p.is_file() and (r := p.resolve()) not in seen: seen.add(r); out.append(p)
    return out

def _read(b:bytes, url=None):
    try:
        df = F.parse_feed(b, url=url, source='s')
        return df.drop(columns='fetched_at'), dict(df.attrs['feed'])
    except SourceError as e: return None, (e.message, e.health)

def _same_both_ways(b:bytes, monkeypatch, url='https://example.org/feed/'):
    got = _read(b, url)
    with monkeypatch.context() as m:
        m.setattr(F, '_cdata_out', lambda content: None)
        ref = _read(b, url)
    assert (got[0] is None) == (ref[0] is None), (got[1], ref[1])
    if got[0] is not None: pd.testing.assert_frame_equal(got[0], ref[0])
    assert got[1] == ref[1]
    return got

def test_every_capture_reads_the_same_without_the_scan(fix, monkeypatch):
    caps = _captures(fix)
    used = 0
    for p in caps:
        b = p.read_bytes()
        used += F._cdata_out(b) is not None and F._fast_parse(b) is not None
        _same_both_ways(b, monkeypatch)
    assert len(caps) > 100 and used >= 10, (len(caps), used)   # the scan is exercised on real feeds

ITEM = ('<item><title>{t}</title><link>https://example.org/p/1</link><guid>g1</guid>'
        '<pubDate>Thu, 06 Aug 2020 00:00:00 GMT</pubDate><description>{d}</description>{x}</item>')
SECOND = ('<item><title><![CDATA[Second]]></title><link>https://example.org/p/2</link>'
          '<description><![CDATA[<p>two <a href="https://arxiv.org/abs/2001.08361">paper</a></p>]]></description></item>')

def _feed(t='<![CDATA[A title]]>', d='<![CDATA[<p>Body &amp; <b>bold</b></p>]]>', x='', head='', decl='UTF-8',
          chan='<![CDATA[Chan]]>') -> bytes:
    s = (f'<?xml version="1.0" encoding="{decl}"?>{head}<rss version="2.0"><channel><title>{chan}</title>'
         f'<link>https://example.org/</link>{ITEM.format(t=t, d=d, x=x)}{SECOND}</channel></rss>')
    return s.encode('utf-8', 'surrogatepass')

VARIANTS = {
    'plain': _feed(),
    'crlf and lone cr': _feed(d='<![CDATA[line\r\none\rtwo\r\n]]>'),
    'control char': _feed(d='<![CDATA[bad \x01 char]]>'),
    'del and c1 (allowed)': _feed(d='<![CDATA[del \x7f c1 \u0085 ok]]>'),
    'u+ffff': _feed(d='<![CDATA[not a char \uffff]]>'),
    'u+fffe in title': _feed(t='<![CDATA[x\ufffe]]>'),
    'empty section': _feed(t='<![CDATA[]]>'),
    'adjacent sections': _feed(t='<![CDATA[a]]><![CDATA[b]]>'),
    'mixed with text and entities': _feed(t='one &amp; <![CDATA[<two> & ]]> three &lt; <![CDATA[four]]>'),
    'whitespace around': _feed(t='  <![CDATA[  padded  ]]>  '),
    'bracket before end': _feed(d='<![CDATA[a]b]]c]]]>'),
    'section markers in text': _feed(d='<![CDATA[<![CDATA[ nested start]]>'),
    'comment holding a section': _feed(x='<!-- <![CDATA[ --><category>c</category>'),
    'comment holding an end': _feed(x='<!-- ]]> -->'),
    'section holding a comment': _feed(d='<![CDATA[<!-- not a comment --> <?not a pi?>]]>'),
    'pi holding a section': _feed(head='<?xml-stylesheet href="a.xsl" <![CDATA[ ?>'),
    'unclosed comment': _feed(x='<!-- <![CDATA[x]]>'),
    'unclosed section': _feed(x='<category><![CDATA[never closed</category>'),
    'section in a raw html description': _feed(d='<p>raw <b><![CDATA[inside <i>markup</i>]]></b></p>'),
    'section as an attribute': _feed(x='<category domain="<![CDATA[x]]>">c</category>'),
    'doctype': _feed(head='<!DOCTYPE rss [<!ENTITY e "<![CDATA[ent]]>">]>'),
    'doctype and entity used': _feed(head='<!DOCTYPE rss [<!ENTITY e "ent">]>', t='&e; <![CDATA[t]]>'),
    'us-ascii, ascii section': _feed(decl='us-ascii'),
    'us-ascii, other bytes in a section': _feed(decl='us-ascii', d='<![CDATA[caf\u00e9]]>'),
    'latin-1 declared': _feed(decl='ISO-8859-1', d='<![CDATA[caf\u00e9]]>'),
    'private-use text like a mark': _feed(t='&#xE000;0&#xE001; <![CDATA[x]]>', chan='\ue0000\ue001'),
    'section in the channel title only': _feed(t='plain', d='plain', chan='<![CDATA[<b>Chan</b> &amp;]]>'),
    'section in a guid and link': _feed(x='<comments><![CDATA[ https://example.org/c ]]></comments>',
                                        t='<![CDATA[ t ]]>').replace(b'<link>https://example.org/p/1</link>',
                                                                     b'<link><![CDATA[ /p/rel ]]></link>'),
}

@pytest.mark.parametrize('name', list(VARIANTS))
def test_hand_written_variants_read_the_same(name, monkeypatch):
    _same_both_ways(VARIANTS[name], monkeypatch)

def test_bad_utf8_in_a_section_reads_the_same(monkeypatch):
    b = _feed(d='<![CDATA[X]]>').replace(b'<![CDATA[X]]>', b'<![CDATA[\xff\xfe bad \xed\xa0\x80]]>')
    assert F._cdata_out(b) is None   # declined: the parser refuses these bytes
    _same_both_ways(b, monkeypatch)

def test_atom_sections_read_the_same(monkeypatch):
    b = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title><![CDATA[F]]></title>'
         '<entry><id>urn:1</id><title type="html"><![CDATA[<b>T</b>]]></title><link href="https://example.org/1"/>'
         '<updated>2020-08-06T00:00:00Z</updated><summary type="html"><![CDATA[<p>s</p>]]></summary>'
         '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p><![CDATA[x < y]]></p></div></content>'
         '</entry></feed>').encode()
    df, _ = _same_both_ways(b, monkeypatch)
    assert df.title.tolist() == ['T']

def test_the_scan_is_what_reads_the_sections():
    "The variants above can tell the two readings apart: with the marks left in, the texts differ"
    b = VARIANTS['mixed with text and entities']
    out = F._cdata_out(b)
    assert out is not None and len(out[2]) == 6 and out[1].encode() in out[0] and b'<two>' not in out[0]
    t = F.parse_feed(b, source='s').title[0]
    assert t.startswith('one &') and t.endswith('three < four') and '\ue000' not in t, t
    assert F._cdata_out(VARIANTS['control char']) is None and F._cdata_out(VARIANTS['doctype']) is None
