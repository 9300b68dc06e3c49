"Exports: round trips through files, formula injection, BibTeX escaping, import back; values checked against the capture file."
import io, json
import pandas as pd
import pytest
from mlnews_nb.core import to_items
from mlnews_nb.store import Store
from mlnews_nb.export import to_csv, to_bibtex, to_markdown, to_opml, import_csv, import_bibtex, read_bibtex, cli_export, EXPORT_COLS

@pytest.fixture
def store(fix):
    raw = json.loads((fix/'hf_daily_papers/daily_papers_2024-06-03.json').read_text())
    items = to_items([dict(arxiv_id=d['paper']['id'], title=d['paper']['title'], authors=[a['name'] for a in d['paper']['authors']],
                           published=d['publishedAt']) for d in raw], source='hf_daily', kind='paper')
    st = Store(':memory:'); st.add(items)
    ids = [d['paper']['id'] for d in raw]
    st.decide(f'arxiv:{ids[0]}', state='saved', note='=cmd|" /C calc"!A0 & 100% {fun}_', tags=['ssm'], rating=5)
    st.decide(f'arxiv:{ids[1]}', state='saved', note='+plain ümlaut – dash')
    st.mark(f'arxiv:{ids[2]}', 'later')
    return st, raw

def test_csv_round_trip_and_injection(store, tmp_path):
    st, raw = store
    p = tmp_path/'x.csv'
    assert cli_export(['--format', 'csv', '--bom', '-o', str(p)], store=st) == 0
    df = pd.read_csv(p, encoding='utf-8-sig', keep_default_na=False)
    assert list(df.columns) == EXPORT_COLS and len(df) == 2
    assert set(df.note) == {'\'=cmd|" /C calc"!A0 & 100% {fun}_', "'+plain ümlaut – dash"}      # defused
    first = raw[0]['paper']
    row = df.set_index('key').loc[f"arxiv:{first['id']}"]
    assert row.authors.split('; ') == [a['name'] for a in first['authors']]
    fresh = Store(':memory:')
    assert import_csv(p, fresh) == 2
    assert set(fresh.reading_list().note) == {'=cmd|" /C calc"!A0 & 100% {fun}_', '+plain ümlaut – dash'}
    assert fresh.reading_list().set_index('key').loc[f"arxiv:{first['id']}", 'rating'] == 5

def test_bibtex_escaping_and_import(store, tmp_path):
    st, raw = store
    bib = to_bibtex(st.reading_list(state=['saved', 'later']))
    assert bib.count('archivePrefix = {arXiv}') == 3 and f"eprint = {{{raw[0]['paper']['id']}}}" in bib
    assert r'100\% \{fun\}\_' in bib and r' \& ' in bib
    ids = [e['ID'] for e in read_bibtex(bib)]
    assert len(ids) == len(set(ids)) == 3
    (tmp_path/'x.bib').write_text(bib)
    fresh = Store(':memory:')
    assert import_bibtex(tmp_path/'x.bib', fresh) == 3
    assert fresh.items(state='later').key.tolist() == [f"arxiv:{raw[2]['paper']['id']}"]
    assert set(fresh.reading_list().note) == set(st.reading_list().note)

def test_markdown_and_opml(store):
    st, raw = store
    md = to_markdown(st.reading_list())
    assert md.count('\n- **[') == 2 and '  > =cmd' in md
    op = to_opml([dict(name='a<b', url='https://x.org/feed?a=1&b=2', kind='blog')])
    assert 'xmlUrl="https://x.org/feed?a=1&amp;b=2"' in op and 'text="a&lt;b"' in op
