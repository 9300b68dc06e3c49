"arxiv_bulk: the captured snapshot head and OAI-PMH pages into Parquet and the item contract; OAI faults over the local server."
import json, re, xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
import pandas as pd, pyarrow.parquet as pq, pytest
from mlnews_nb.core import SourceError, check_items
from mlnews_nb.bulk import (snapshot_to_parquet, parse_oai, oai_pages, oai_to_parquet, arxiv_bulk, bulk_sql, monthly_counts,
                            bulk_parquet)

def snap_recs(fix):
    return [json.loads(l) for l in (fix/'arxiv_metadata/kaggle_snapshot_head200_wanng-ide.jsonl').open(encoding='utf-8')]

def test_snapshot_values_from_file(fix, tmp_path):
    p = snapshot_to_parquet(fix/'arxiv_metadata/kaggle_snapshot_head200_wanng-ide.jsonl', tmp_path/'s.parquet', threads=2)
    t = pq.read_table(p).to_pandas()
    recs = snap_recs(fix)
    assert t.arxiv_id.tolist() == [r['id'] for r in recs]
    assert t.version.tolist() == [int(r['versions'][-1]['version'][1:]) for r in recs]
    assert t.published.tolist() == [pd.Timestamp(parsedate_to_datetime(r['versions'][0]['created'])) for r in recs]
    assert t.updated.tolist() == [pd.Timestamp(parsedate_to_datetime(r['versions'][-1]['created'])) for r in recs]
    assert [list(c) for c in t.categories] == [r['categories'].split() for r in recs]
    assert t.title.tolist() == [' '.join(r['title'].split()) for r in recs]
    assert sum('\n' in r['title'] for r in recs) > 10   # the file really has newlines in titles
    assert t.n_versions.tolist() == [len(r['versions']) for r in recs] and [d if isinstance(d, str) else None for d in t.doi] == [r.get('doi') for r in recs]
    assert t.update_date.astype(str).tolist() == [r['update_date'] for r in recs]
    assert t.authors_parsed.map(lambda a: [list(x) for x in a]).tolist() == [r['authors_parsed'] for r in recs]

def test_snapshot_layout_is_the_oai_layout(fix, tmp_path):
    "DuckDB writes the snapshot in the layout the OAI writer uses (timestamps in microseconds rather than seconds)"
    import pyarrow as pa
    from mlnews_nb.bulk import _layout
    got = pq.read_schema(snapshot_to_parquet(fix/'arxiv_metadata/kaggle_snapshot_head200_wanng-ide.jsonl', tmp_path/'s.parquet'))
    assert got.names == _layout().names
    for f in _layout():
        g = got.field(f.name).type
        assert g == f.type or (pa.types.is_timestamp(f.type) and pa.types.is_timestamp(g) and g.tz == f.type.tz == 'UTC'), f.name

def test_empty_snapshot_and_spill_folder_cleaned(tmp_path):
    src = tmp_path/'empty.jsonl'; src.write_text('')
    p = snapshot_to_parquet(src, tmp_path/'e.parquet')
    assert pq.read_metadata(p).num_rows == 0 and sorted(f.name for f in tmp_path.iterdir()) == ['e.parquet', 'empty.jsonl']
    with pytest.raises(FileNotFoundError): snapshot_to_parquet(tmp_path/'nope.jsonl', tmp_path/'n.parquet')

def test_snapshot_into_items(fix, tmp_path):
    df = check_items(arxiv_bulk(fix/'arxiv_metadata/kaggle_snapshot_head200_wanng-ide.jsonl', out=tmp_path/'s.parquet', progress=False))
    recs = {r['id']: r for r in snap_recs(fix)}
    assert len(df) == 200 and set(df.arxiv_id) == set(recs) and (df.source == 'arxiv_bulk').all()
    assert df.published.is_monotonic_decreasing and str(df.published.dt.tz) == 'UTC'
    for row in df.itertuples():
        r = recs[row.arxiv_id]
        assert row.authors == [' '.join(x for x in (a[1], a[0], a[2]) if x) for a in r['authors_parsed']]
        assert row.categories == r['categories'].split() and row.version == len(r['versions'])
    a = df.set_index('arxiv_id')
    assert 'C. Balázs' in a.loc['0704.0001'].authors     # "C. Bal\\'azs" in the raw authors string
    assert '\\' not in a.loc['0704.0001'].title

def test_snapshot_filters(fix, tmp_path):
    src = fix/'arxiv_metadata/kaggle_snapshot_head200_wanng-ide.jsonl'
    recs = snap_recs(fix)
    df = arxiv_bulk(src, categories='math.CO', out=tmp_path/'s.parquet', progress=False)
    assert sorted(df.arxiv_id) == sorted(r['id'] for r in recs if 'math.CO' in r['categories'].split())
    df = arxiv_bulk(src, since='2007-04-02', until='2007-04-02 23:59', out=tmp_path/'s.parquet', progress=False)
    want = [r['id'] for r in recs if parsedate_to_datetime(r['versions'][0]['created']).strftime('%Y-%m-%d') == '2007-04-02']
    assert sorted(df.arxiv_id) == sorted(want) and len(want) > 0
    assert len(arxiv_bulk(src, limit=7, out=tmp_path/'s.parquet', progress=False)) == 7

def test_monthly_counts(fix, tmp_path):
    p = snapshot_to_parquet(fix/'arxiv_metadata/kaggle_snapshot_head200_wanng-ide.jsonl', tmp_path/'s.parquet')
    mc = monthly_counts(p)
    want = pd.Series([(parsedate_to_datetime(r['versions'][0]['created']).strftime('%Y-%m-01'), c) for r in snap_recs(fix) for c in r['categories'].split()]).value_counts()
    got = {(str(m)[:10], c): n for m, c, n in mc.itertuples(index=False)}
    assert got == {k: v for k, v in want.items()}

def test_conversion_is_cached_and_redone_when_source_is_newer(fix, tmp_path):
    src = tmp_path/'snap.jsonl'
    lines = (fix/'arxiv_metadata/kaggle_snapshot_head200_wanng-ide.jsonl').read_text(encoding='utf-8').splitlines()
    src.write_text('\n'.join(lines[:10]) + '\n', encoding='utf-8')
    out = bulk_parquet(src, progress=False)
    assert pq.read_metadata(out).num_rows == 10
    import os, time
    src.write_text('\n'.join(lines[:20]) + '\n', encoding='utf-8'); os.utime(src, (time.time() + 5, time.time() + 5))
    assert pq.read_metadata(bulk_parquet(src, progress=False)).num_rows == 20

def test_bad_snapshot_loses_nothing(fix, tmp_path):
    good = snapshot_to_parquet(fix/'arxiv_metadata/kaggle_snapshot_head200_wanng-ide.jsonl', tmp_path/'s.parquet')
    before = good.read_bytes()
    bad = tmp_path/'bad.jsonl'; bad.write_text('{"id": "0704.0001"}\n{"id": \n')
    with pytest.raises(SourceError, match='not JSON lines') as e: snapshot_to_parquet(bad, good)
    assert e.value.health == 'broken' and good.read_bytes() == before and not list(tmp_path.glob('*.part'))

# --- OAI-PMH --------------------------------------------------------------------------------------------------------

O, RAW = '{http://www.openarchives.org/OAI/2.0/}', '{http://arxiv.org/OAI/arXivRaw/}'

def test_oai_page_values_from_file(fix):
    p = fix/'arxiv_oai/ListRecordsResponse.xml'
    recs, tok, size = parse_oai(p.read_bytes())
    root = ET.parse(p).getroot()
    raws = list(root.iter(RAW + 'arXivRaw'))
    assert [r['arxiv_id'] for r in recs] == [x.findtext(RAW + 'id') for x in raws]
    for r, x in zip(recs, raws):
        vs = x.findall(RAW + 'version')
        assert r['version'] == int(vs[-1].get('version')[1:]) and r['n_versions'] == len(vs)
        assert r['published'] == pd.Timestamp(parsedate_to_datetime(vs[0].findtext(RAW + 'date')))
        assert r['categories'] == x.findtext(RAW + 'categories').split()
        assert r['title'] == ' '.join(x.findtext(RAW + 'title').split())
    t = root.find(f'.//{O}resumptionToken')
    assert (tok, size) == (t.text, int(t.get('completeListSize')))

@pytest.mark.parametrize('name,code', [('ErrorResponseBadArgument.xml', 'badArgument'), ('ErrorResponseBadResumptionToken.xml', 'badResumptionToken'),
                                       ('ErrorResponseBadVerb.xml', 'badVerb')])
def test_oai_protocol_errors(fix, name, code):
    assert ET.parse(fix/'arxiv_oai'/name).getroot().find(O + 'error').get('code') == code
    with pytest.raises(SourceError, match=code) as e: parse_oai((fix/'arxiv_oai'/name).read_bytes())
    assert e.value.health == 'broken'

def test_oai_id_does_not_exist_and_not_xml():
    body = b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="idDoesNotExist">oai:arXiv.org:9999.99999</error></OAI-PMH>'
    with pytest.raises(SourceError, match='idDoesNotExist.*no such identifier'): parse_oai(body)
    with pytest.raises(SourceError, match='not XML'): parse_oai(b'<html>')
    with pytest.raises(SourceError, match='not an OAI-PMH'): parse_oai(b'<html/>')

def test_no_records_match_is_empty_not_error(fix):
    assert parse_oai((fix/'arxiv_oai/ErrorResponseNoRecordsMatch.xml').read_bytes()) == ([], None, 0)

def _pages(fix):
    p1 = (fix/'arxiv_oai/ListRecordsResponse.xml').read_bytes()
    p2 = re.sub(rb'<resumptionToken[^>]*>[^<]*</resumptionToken>', b'<resumptionToken cursor="6" completeListSize="12"></resumptionToken>',
                p1.replace(b'<id>0704.', b'<id>0705.'))
    return {None: p1, '726959|1001': p2}

def test_harvest_follows_tokens_and_retry_after(server, http, fix, tmp_path):
    pages = _pages(fix)
    server.add('/oai', handler=lambda q: (200, {'Content-Type': 'text/xml'}, pages[q.get('resumptionToken')]),
               faults=[dict(status=503, headers={'Retry-After': '11'})])
    out = oai_to_parquet(oai_pages(server.url('/oai'), http=http, since='2014-10-01'), tmp_path/'h.parquet', progress=False)
    ids = pq.read_table(out).column('arxiv_id').to_pylist()
    assert len(ids) == 12 and len(set(ids)) == 12 and sum(i.startswith('0705.') for i in ids) == 6
    assert http.slept == [11.0]
    q = [e['path'] for e in server.log]
    assert 'metadataPrefix=arXivRaw' in q[0] and 'from=2014-10-01' in q[0]
    assert 'resumptionToken=726959%7C1001' in q[-1] and 'metadataPrefix' not in q[-1]
    df = check_items(arxiv_bulk(out, progress=False))
    assert len(df) == 12

def test_harvest_bad_token_midway(server, http, fix):
    pages = _pages(fix)
    bad = (fix/'arxiv_oai/ErrorResponseBadResumptionToken.xml').read_bytes()
    server.add('/oai', handler=lambda q: (200, {}, bad if q.get('resumptionToken') else pages[None]))
    got = []
    with pytest.raises(SourceError, match='restart the harvest'):
        for recs in oai_pages(server.url('/oai'), http=http): got.append(recs)
    assert len(got) == 1 and len(got[0]) == 6    # the first page was delivered before the error: nothing lost

def test_harvest_persistent_503_is_unreachable(server, http):
    server.add('/oai', b'', status=503, headers={'Retry-After': '2'})
    with pytest.raises(SourceError) as e: list(oai_pages(server.url('/oai'), http=http))
    assert (e.value.status, e.value.health) == (503, 'blocked')   # a 503 with Retry-After: the server asks us to wait (issue 11 §3)

def test_saved_oai_pages_as_bulk_source(fix, tmp_path):
    df = arxiv_bulk(fix/'arxiv_oai/ListRecordsResponse.xml', out=tmp_path/'o.parquet', progress=False)
    assert sorted(df.arxiv_id) == sorted(r.findtext(RAW + 'id') for r in ET.parse(fix/'arxiv_oai/ListRecordsResponse.xml').getroot().iter(RAW + 'arXivRaw'))
    assert df.set_index('arxiv_id').loc['0704.0471'].authors == ['D.V. Shetty', 'S.J. Yennello', 'G.A. Souliotis']

def test_bulk_sql(fix, tmp_path):
    p = snapshot_to_parquet(fix/'arxiv_metadata/kaggle_snapshot_head200_wanng-ide.jsonl', tmp_path/'s.parquet')
    n = bulk_sql('SELECT count(*) AS n FROM papers WHERE doi IS NOT NULL', p).n[0]
    assert n == sum(1 for r in snap_recs(fix) if r['doi'])

def test_oai_arxiv_and_dc_formats_unreadable_date_keeps_the_record():
    "Hand-written arXiv and oai_dc records (no capture of these formats): dates via core.to_utc; one that does not parse is left empty"
    body = b'''<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>
<record><header><identifier>oai:arXiv.org:0704.0001</identifier></header><metadata>
<arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>0704.0001</id><created>2007-04-02</created><updated>not a date</updated>
<authors><author><keyname>Balazs</keyname><forenames>C.</forenames></author></authors><title>A title</title><categories>hep-ph</categories></arXiv>
</metadata></record>
<record><header><identifier>oai:arXiv.org:0704.0002</identifier></header><metadata>
<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T</dc:title>
<dc:creator>Doe, J.</dc:creator><dc:date>2007-04-03</dc:date><dc:date>garbage</dc:date><dc:date>2007-04-01</dc:date>
<dc:identifier>http://arxiv.org/abs/0704.0002</dc:identifier></oai_dc:dc></metadata></record>
</ListRecords></OAI-PMH>'''
    recs, _, _ = parse_oai(body)
    assert [r['arxiv_id'] for r in recs] == ['0704.0001', '0704.0002']
    assert recs[0]['published'] == pd.Timestamp('2007-04-02', tz='UTC') and recs[0]['updated'] is None
    assert (recs[1]['published'], recs[1]['updated']) == (pd.Timestamp('2007-04-01', tz='UTC'), pd.Timestamp('2007-04-03', tz='UTC'))
    from mlnews_nb.bulk import _rows_table
    assert _rows_table(recs).column('updated').to_pylist()[0] is None   # pyarrow takes the row (a NaT would stop the harvest)
