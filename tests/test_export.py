"Exports: round trips through files, formula injection, BibTeX escaping, import back; values checked against the capture file."
import io, json
import pandas as pd
import pytest
from mlnews_nb.core import to_items
from mlnews_nb.store import Store
from captures_week import hf_items
from mlnews_nb.export import to_csv, to_bibtex, to_markdown, to_opml, import_csv, import_bibtex, read_bibtex, EXPORT_COLS
from mlnews_nb.cli import cli_export

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

# formula injection: every text column, with the tricks that get past a check of the first byte
TRICKS = ['=HYPERLINK("http://evil.example","click")', '+1+cmd|" /C calc"!A0', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1',
          '\n=1+1', '  =1+1', '\u3000=1+1', '＝HYPERLINK("http://evil.example")', '＋1', '－1', '＠SUM(A1)', '﹦1', "'=1+1"]

@pytest.mark.parametrize('col', ['title', 'authors', 'note', 'tags', 'summary', 'url'])
def test_csv_defuses_every_text_column(store, tmp_path, col):
    "Each trick in each text column comes out of to_csv starting with ' (text for a spreadsheet), and import_csv restores it exactly"
    st, raw = store
    base = st.reading_list().head(1)
    rows = []
    for i, t in enumerate(TRICKS):
        r = base.assign(key=f'k{i}')
        r[col] = [[t, 'x']] if col in ('authors', 'tags') else t
        rows.append(r)
    df = pd.concat(rows, ignore_index=True)
    p = tmp_path/'evil.csv'
    to_csv(df, p)
    back = pd.read_csv(p, keep_default_na=False, dtype=str)
    assert len(back) == len(TRICKS)
    for t, cell in zip(TRICKS, back[col]):
        assert cell.startswith("'"), (col, t, cell)
        want = f'{t}; x' if col in ('authors', 'tags') else t
        assert cell[1:] == want, (col, t, cell)                     # nothing else changed: ' + the original text
    # harmless text that merely contains a sign is left alone
    ok = base.assign(key='ok'); ok[col] = [['a=b', 'x']] if col in ('authors', 'tags') else 'a=b −3 dB'
    cell = pd.read_csv(io.StringIO(to_csv(ok)), keep_default_na=False, dtype=str)[col].iloc[0]
    assert not cell.startswith("'")
    if col in ('note', 'tags'):                                      # the columns import_csv restores
        fresh = Store(':memory:')
        import_csv(p, fresh)
        got = fresh.items(keys=[f'k{i}' for i in range(len(TRICKS))]).set_index('key')
        for i, t in enumerate(TRICKS):
            assert (got.loc[f'k{i}', 'note'] == t) if col == 'note' else (got.loc[f'k{i}', 'tags'] == sorted([t, 'x'])), (t, got.loc[f'k{i}'])

def _kaggle(fix):
    "The arXiv metadata snapshot (2007 papers): LaTeX in titles ($\\Lambda_{\\alpha}$), {\\O}-style braces and accents in authors"
    df = pd.read_json(fix/'arxiv_metadata/kaggle_snapshot_head200_wanng-ide.jsonl', lines=True, dtype=False)
    recs = [dict(arxiv_id=r.id, title=r.title, authors=[' '.join(x for x in (a[1], a[0]) if x) for a in r.authors_parsed],
                 published=r.update_date, categories=r.categories.split()) for r in df.itertuples()]
    return df, to_items(recs, source='arxiv', kind='paper')

def test_bibtex_round_trip_on_captures(fix, tmp_path):
    "Every captured arXiv/HF title and author list survives to_bibtex -> read_bibtex; Lil'Log's CJK summary survives as a note"
    from mlnews_nb.feeds import parse_feed
    raw, kag = _kaggle(fix)
    hf = hf_items(fix)          # every HF capture through papers.parse_daily_papers
    blog = parse_feed((fix/'blog_feeds/lilianweng_index_2026.xml').read_bytes(), source='lilianweng')
    cjk = blog[blog.summary.str.contains('爱吃猫的鱼', na=False)]
    assert len(cjk) >= 1 and kag.title.str.contains(r'\$', regex=True).sum() >= 5    # the hard cases are really in the data
    st = Store(':memory:')
    items = pd.concat([kag, hf.drop_duplicates('key'), blog], ignore_index=True)
    st.add(items)
    notes = {k: s for k, s in zip(cjk.key, cjk.summary)} | {kag.key.iloc[0]: 'braces {unbalanced and 100% $x_1$ \\cite{y} ~ ^ # &'}
    st.mark(items.key.tolist(), 'saved')
    for k, n in notes.items(): st.note(k, n)
    rl = st.reading_list()
    bib = to_bibtex(rl, tmp_path/'all.bib')
    ents = {e['mlnews_key']: e for e in read_bibtex(bib)}
    assert len(ents) == rl.key.nunique() == len({e['ID'] for e in ents.values()})
    norm = lambda s: ' '.join(str(s).split())
    src = {r.key: r for r in rl.itertuples()}
    bad = [(k, norm(src[k].title), e.get('title')) for k, e in ents.items() if e.get('title') != norm(src[k].title)]
    assert bad == [], bad[:5]
    bad = [(k, list(src[k].authors), e.get('author')) for k, e in ents.items()
           if len(src[k].authors) and e.get('author', '').split(' and ') != [norm(a) for a in src[k].authors]]
    assert bad == [], bad[:5]
    for k, n in notes.items(): assert ents[k]['note'] == norm(n), k
    # spot check against the file itself, not the store: the first LaTeX title of the snapshot
    r = raw[raw.title.str.contains(r'\$\\Lambda', regex=True)].iloc[0]
    assert ents[f'arxiv:{r.id}']['title'] == norm(r.title) and ents[f'arxiv:{r.id}']['archiveprefix'] == 'arXiv'   # bibtexparser lowercases field names
    # and the file restores into an empty store: same notes, every key saved
    fresh = Store(':memory:')
    assert import_bibtex(tmp_path/'all.bib', fresh) == len(ents)
    got = fresh.reading_list().set_index('key')
    assert len(got) == len(ents) and all(got.loc[k, 'note'] == norm(n) for k, n in notes.items())


def test_csl_json_and_import_verb(store, tmp_path, capsys):
    from mlnews_nb.export import to_csl_json
    from mlnews_nb.cli import cli_import
    from mlnews_nb.cli import main
    st, raw = store
    cj = json.loads(to_csl_json(st.reading_list()))
    assert {c['id'] for c in cj} == {f'arxiv:{raw[0]["paper"]["id"]}', f'arxiv:{raw[1]["paper"]["id"]}'}
    first = next(c for c in cj if c['id'] == f'arxiv:{raw[0]["paper"]["id"]}')
    assert first['archive_location'] == raw[0]['paper']['id'] and first['title'] == raw[0]['paper']['title'] and first['keyword'] == 'ssm'
    assert first['author'][0]['family'] == raw[0]['paper']['authors'][0]['name'].split()[-1]
    p = tmp_path/'x.bib'; cli_export(['--format', 'bibtex', '-o', str(p), '--state', 'saved,later'], store=st)
    q = tmp_path/'x.csv'; cli_export(['--format', 'csv', '-o', str(q), '--state', 'saved,later'], store=st)
    fresh = tmp_path/'fresh.sqlite'
    assert main(['--store', str(fresh), 'import', str(p), str(q)]) == 0
    got = Store(fresh).items(state=['saved', 'later']).drop_duplicates('key').set_index('key')
    assert got.state.value_counts().to_dict() == {'saved': 2, 'later': 1}
    assert got.loc[f'arxiv:{raw[0]["paper"]["id"]}', 'note'] == st.items(keys=[f'arxiv:{raw[0]["paper"]["id"]}']).note.iloc[0]

def test_export_unknown_state_is_an_error(store):
    st, raw = store
    with pytest.raises(SystemExit) as e: cli_export(['--state', 'bogus'], store=st, out=io.StringIO())
    assert e.value.code == 2

def test_withdrawn_submission_and_hn_submitter(fix, tmp_path):
    "A withdrawn ICLR submission is no @inproceedings; an HN story's submitter is not the author of the article it links"
    from mlnews_nb.conferences import read_openreview_csv
    from captures_week import hand_items
    iclr = read_openreview_csv(fix/'openreview'/'fedebotu_iclr2023_20230210.csv', keep_incomplete=True)
    wd, ok = iclr[iclr.decision == 'withdrawn'].head(1), iclr[iclr.decision == 'poster'].head(1)
    hn = hand_items().query("key.str.startswith('hn:')", engine='python').head(1)
    st = Store(':memory:'); st.add(pd.concat([wd, ok, hn], ignore_index=True)); st.mark([wd.key.iloc[0], ok.key.iloc[0], hn.key.iloc[0]], 'saved')
    ents = {e['mlnews_key']: e for e in read_bibtex(to_bibtex(st.reading_list()))}
    assert ents[wd.key.iloc[0]]['ENTRYTYPE'] == 'misc' and 'booktitle' not in ents[wd.key.iloc[0]] and 'withdrawn' in ents[wd.key.iloc[0]]['howpublished']
    assert ents[ok.key.iloc[0]]['ENTRYTYPE'] == 'inproceedings'
    assert 'author' not in ents[hn.key.iloc[0]] or hn.extra.iloc[0]['submitter'] not in ents[hn.key.iloc[0]]['author']
    assert hn.extra.iloc[0]['submitter'] and hn.authors.iloc[0] == []
