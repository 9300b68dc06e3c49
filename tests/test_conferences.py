"Conference lists into the item contract: every capture loads, and venue, year, decision and counts agree with the files."
import csv, io, json, re
from collections import Counter
from pathlib import Path
import pandas as pd, pytest
from mlnews_nb.core import check_items, SourceError, DECISIONS, to_items, arxiv_id
from mlnews_nb import conferences as C
from mlnews_nb.cli import cli_conferences

DATA = Path(__file__).parent/'data'
# Paper Copilot statuses as the files spell them -> our decision; written out here, independently of DECISION_RULES
STATUS = {'Poster': 'poster', 'Oral': 'oral', 'Spotlight': 'spotlight', 'Reject': 'reject', 'Long': 'accept', 'Short': 'accept',
          'Findings': 'accept', 'Workshop': 'workshop', 'Poster Workshop': 'poster', 'Oral Workshop': 'oral', None: None}
PREFIX = {'nips': 'NeurIPS', 'icml': 'ICML', 'iclr': 'ICLR', 'aistats': 'AISTATS', 'colt': 'COLT', 'colm': 'COLM', 'corl': 'CoRL', 'acl': 'ACL'}

HAND = DATA/'papercopilot'   # HAND-WRITTEN lists in Paper Copilot's shape (README there): the real ones state no licence
REAL = 'conference_lists/papercopilot'

def real_pc_files():
    from mlnews_nb.testserver import fixtures_dir
    d = fixtures_dir(required=False)
    return sorted((d/'conference_lists'/'papercopilot').glob('*.json')) if d else []

def pc_files():
    "The real Paper Copilot lists where ../shared exists, and the hand-written ones (always)"
    return real_pc_files() + sorted(HAND.glob('*.json'))

def pc_folders(fix):
    "(folder, its lists) for the real lists where ../shared exists, and for the hand-written ones"
    real = Path(fix, REAL)
    return [(d, sorted(d.glob('*.json'))) for d in (real, HAND) if d.is_dir()]

def _rows(f): return json.loads(f.read_text())
def _vy(f):
    m = re.fullmatch(r'([a-z]+)(\d{4})', f.stem); return PREFIX[m.group(1)], int(m.group(2))

@pytest.mark.parametrize('path', pc_files(), ids=lambda p: p.name)
def test_paperlist_matches_file(path, fix):
    raw = json.loads(path.read_text())
    df = check_items(C.read_paperlist(path))
    m = re.fullmatch(r'([a-z]+)(\d{4})', path.stem)
    assert len(df) == len(raw)
    assert set(df.venue) == {PREFIX[m.group(1)]} and set(df.year) == {int(m.group(2))}
    assert set(df.source) == {'papercopilot'} and set(df.kind) == {'paper'}
    want = Counter(STATUS[r.get('status')] for r in raw)
    known = sum(v for k, v in want.items() if k)
    top, k = max(((d, v) for d, v in want.items() if d), key=lambda x: x[1])
    flagged = known >= 100 and ((top in ('oral', 'spotlight', 'poster') and k >= 0.95 * known) or want['oral'] > want['poster'])
    if flagged:   # a list that cannot tell its tiers apart: read as accept, Paper Copilot's status kept
        want = Counter('accept' if d in ('oral', 'spotlight', 'poster') else d for d in want.elements())
        assert all('implausible' in e['decision_note'] for e in df.extra)
    else: assert not any('decision_note' in e for e in df.extra)
    got = Counter(None if pd.isna(d) else d for d in df.decision)
    assert got == want
    assert set(df.decision.dropna()) <= set(DECISIONS)
    assert sum(map(len, df.authors)) == sum(len([a for a in r['author'].split(';') if a.strip()]) for r in raw)
    assert sum(bool(k) for k in df.keywords) == sum(bool((r.get('keywords') or '').strip(';').strip()) for r in raw)
    assert df.key.is_unique or path.stem in DUP_OK, df.key[df.key.duplicated()].head().tolist()
    assert [e['status'] for e in df.extra] == [r.get('status') for r in raw]

DUP_OK = set()   # no capture has two records with the same page

def test_implausible_decision_mix_is_flagged(fix, caplog, tmp_path):
    """A list that says Poster for every paper is read as accept, Paper Copilot's status kept; a plausible mix is untouched.
    Real: ICML 2017 says Poster for all 435 papers, NeurIPS 2014 (where ../shared exists); always: the hand-written ICLR list"""
    if Path(fix, REAL).is_dir():
        p = fix/'conference_lists/papercopilot/icml2017.json'
        raw = json.loads(p.read_text())
        df = C.read_paperlist(p)
        assert set(df.decision.dropna()) == {'accept'} and [e['status'] for e in df.extra] == [r.get('status') for r in raw]
        assert "434 of 434 papers (100%) say poster" in df.extra.iloc[0]['decision_note'] and 'ICML 2017' in caplog.text
        assert set(C.read_paperlist(p, trust_tiers=True).decision.dropna()) == {'poster'}
        q = fix/'conference_lists/papercopilot/nips2014.json'   # 20 orals, 62 spotlights, 329 posters: plausible, untouched
        assert C.read_paperlist(q).decision.value_counts().to_dict() == {'poster': 329, 'spotlight': 62, 'oral': 20}
    hand = _bases(fix)[-1]                       # the hand-written ICLR list, repeated to 160 papers
    p = tmp_path/'iclr2026.json'; p.write_text(json.dumps([dict(r, status='Poster') for r in hand]))
    df = C.read_paperlist(p)
    assert set(df.decision) == {'accept'} and set(df.extra.str['status']) == {'Poster'}
    assert f'{len(hand)} of {len(hand)} papers (100%) say poster' in df.extra.iloc[0]['decision_note'] and 'ICLR 2026' in caplog.text
    assert set(C.read_paperlist(p, trust_tiers=True).decision) == {'poster'}
    q = tmp_path/'iclr2027.json'; q.write_text(json.dumps(hand))   # its own mix: orals, spotlights, posters, rejects
    want = Counter(STATUS[r['status']] for r in hand)
    assert want['poster'] > want['oral'] > 0 and C.read_paperlist(q).decision.value_counts().to_dict() == dict(want)
    assert not any('decision_note' in e for e in C.read_paperlist(q).extra)

def _bases(fix):
    "Lists to rewrite: ICML 2017's real list where ../shared exists; always the hand-written ICLR list, repeated to 160 papers"
    real = Path(fix, REAL, 'icml2017.json')
    hand = [dict(r, id=f"{r['id']}-{i}", title=f"{r['title']} ({i})", site=f"{r['site']}-{i}") for i in range(20) for r in _rows(HAND/'iclr2025.json')]
    return ([_rows(real)] if real.exists() else []) + [hand]

def test_every_paper_oral_is_not_an_oral(fix, tmp_path):
    for raw in _bases(fix): _every_oral(raw, tmp_path)

def _every_oral(raw, tmp_path):
    assert len(raw) >= C.MIX_MIN
    p = tmp_path/'icml2018.json'; p.write_text(json.dumps([dict(r, status='Oral') for r in raw]))
    df = C.read_paperlist(p)
    assert set(df.decision) == {'accept'} and set(df.extra.str['status']) == {'Oral'}
    assert 'say oral' in df.extra.iloc[0]['decision_note']
    half = [dict(r, status='Oral' if i % 3 else 'Poster') for i, r in enumerate(raw)]   # 2 orals for every poster
    p.write_text(json.dumps(half))
    assert 'more orals' in C.read_paperlist(p).extra.iloc[0]['decision_note']

def test_ratings_kept(fix):
    for f in [p for p in (Path(fix, REAL, 'corl2023.json'), HAND/'iclr2025.json') if p.exists()]:
        raw = json.loads(f.read_text())
        df = C.read_paperlist(f)
        assert [e['ratings'] for e in df.extra] == [[int(x) for x in r['rating'].split(';') if x] for r in raw]
        assert df.keywords.iloc[0] == raw[0]['keywords'].split(';') and any(len(r) > 1 for r in df.extra.str['ratings'])

def test_load_paperlists_all(fix, tmp_path):
    for folder, files in pc_folders(fix):
        df = check_items(C.load_paperlists(folder))
        assert len(df) == sum(len(_rows(f)) for f in files)
        assert set(df.venue) == {_vy(f)[0] for f in files}
        v = _vy(files[0])[0]
        assert len(C.load_paperlists(folder, venues=[v.lower()])) == sum(len(_rows(f)) for f in files if _vy(f)[0] == v)
        if folder != HAND:   # the real lists: every venue, and the numbers they hold
            assert len(df) == 16831 and set(df.venue) == set(PREFIX.values())
            assert len(C.load_paperlists(folder, venues=['colt'])) == 1416
    with pytest.raises(SourceError, match='no Paper Copilot lists'): C.load_paperlists(tmp_path)

def test_broken_paperlist(tmp_path):
    p = tmp_path/'iclr2020.json'; p.write_text('[{"title": "cut')
    with pytest.raises(SourceError) as e: C.read_paperlist(p)
    assert e.value.health == 'broken' and 'iclr2020.json' in str(e.value)

def test_arxiv_links_in_records(fix):
    for folder, files in pc_folders(fix):
        want = sum(1 for f in files for r in _rows(f) if re.search(r'arxiv\.org/(abs|pdf)/\d{4}\.\d{4,5}', r.get('project') or ''))
        df = C.load_paperlists(folder)
        assert want > (50 if folder != HAND else 1) and df.arxiv_id.notna().sum() >= want
        assert all(l == [f'arxiv:{a}'] for a, l in zip(df.arxiv_id, df.links_to) if isinstance(a, str))

# --- ICLR 2023 CSV snapshots ---------------------------------------------------------------------------------------------
def _csv(p): return list(csv.DictReader(open(p, encoding='utf-8-sig')))

OR = DATA/'openreview'   # HAND-WRITTEN OpenReview inputs (README there): the real snapshots state no licence

def _held(fix, real, hand): return [p for p in (Path(fix, 'openreview', real), OR/hand) if p.exists()]

def test_openreview_csv_after(fix):
    for p in _held(fix, 'fedebotu_iclr2023_20230210.csv', 'iclr2023_after_handwritten.csv'): _csv_after(p)

def _csv_after(p):
    rows = _csv(p)
    full = check_items(C.read_openreview_csv(p, keep_incomplete=True))
    want = Counter('withdrawn' if r['withdraw'] == '1' else {'Reject': 'reject', 'Accept: poster': 'poster', 'Accept: notable-top-25%': 'spotlight',
                   'Accept: notable-top-5%': 'oral', '': None}[r['decision']] for r in rows)
    assert Counter(None if pd.isna(d) else d for d in full.decision) == want
    df = C.read_openreview_csv(p)
    assert len(df) == sum(1 for r in rows if r['id'] or r['title'])
    assert set(df.venue) == {'ICLR'} and set(df.year) == {2023}
    first = next(r for r in rows if r['id'])
    got = df[df.key == f"openreview:{first['id']}"].iloc[0]
    assert got.keywords == eval(first['keywords']) and got.extra['ratings'] == eval(first['ratings'])

def test_openreview_csv_before_and_links(fix):
    for p in _held(fix, 'fedebotu_iclr2023_20221105.csv', 'iclr2023_before_handwritten.csv'):
        rows = _csv(p)
        df = C.read_openreview_csv(p)
        assert Counter(df.decision) == Counter('withdrawn' if r['withdraw'] == '1' else 'pending' for r in rows)
        assert 'withdrawn' in set(df.decision) and (set(df.venue), set(df.year)) == ({'ICLR'}, {2023})
    for p in _held(fix, 'edisonleeeee_ICLR-2023_title_link.csv', 'iclr2023_title_link_handwritten.csv'):
        links = C.read_openreview_csv(p)
        lrows = _csv(p)
        assert links.key.tolist() == ['openreview:' + r['Link'].split('id=')[1] for r in lrows]
        assert links.decision.isna().all() and links.title.str.len().gt(0).all()

# --- OpenReview API -----------------------------------------------------------------------------------------------------
V2 = json.loads((DATA/'openreview/iclr2024_v2_notes.json').read_text())['notes']
V2_WANT = {'ICLR.cc/2024/Conference/Rejected_Submission': 'reject', 'ICLR.cc/2024/Conference/Withdrawn_Submission': 'withdrawn',
           'ICLR.cc/2024/Conference/Desk_Rejected_Submission': 'desk_reject'}

def test_v2_all_paged_and_polite(server, http):
    server.add('/notes', handler=C.notes_handler(V2))
    df = check_items(C.conference_papers('ICLR', 2024, include='all', http=http, base_url=server.base, page_size=3))
    want = [V2_WANT.get(n['content']['venueid']['value']) or n['content']['venue']['value'].split()[-1] for n in V2]
    assert df.decision.tolist() == want
    assert df.title.tolist() == [n['content']['title']['value'] for n in V2]
    offs = [re.search(r'offset=(\d+)', e['path']).group(1) for e in server.log]
    assert offs == ['0', '3', '6'] and all('limit=3' in e['path'] for e in server.log)
    assert http.policies['127.0.0.1'].interval == 3.0 and len(http.slept) == 2    # guest rate: a page every 3 s
    n = len(server.log)
    C.conference_papers('ICLR', 2024, include='all', http=http, base_url=server.base, page_size=3)
    assert len(server.log) == n                                                    # cached hard: no new request

def test_v2_accepted_default_page(server, http):
    server.add('/notes', handler=C.notes_handler(V2))
    df = C.conference_papers('ICLR', 2024, http=http, base_url=server.base)
    assert len(df) == sum(n['content']['venueid']['value'] == 'ICLR.cc/2024/Conference' for n in V2)
    assert 'limit=1000' in server.log[0]['path'] and 'content.venueid=ICLR.cc%2F2024%2FConference' in server.log[0]['path']
    assert df.extra[0]['tldr'] == V2[0]['content']['TLDR']['value'] and df.extra[0]['ratings'] == [8, 10]
    assert df.keywords[0] == V2[0]['content']['keywords']['value']

def test_wrong_api_is_an_error(server, http):
    server.add('/notes', handler=C.notes_handler([]))
    with pytest.raises(SourceError, match='try api=2') as e: C.conference_papers('ICLR', 2024, http=http, base_url=server.base, api=1)
    assert e.value.health == 'moved'

def test_rate_limited(server, http):
    server.add('/notes', handler=C.notes_handler(V2), faults=[{'status': 429, 'headers': {'Retry-After': '3600'}}])
    with pytest.raises(SourceError) as e: C.conference_papers('ICLR', 2024, http=http, base_url=server.base)
    assert e.value.health == 'blocked' and e.value.retry_at is not None

def test_broken_answer(server, http):
    server.add('/notes', '{"error": "nope"}', ctype='application/json')
    with pytest.raises(SourceError, match='no "notes" list'): C.conference_papers('ICLR', 2024, http=http, base_url=server.base)

def test_v1_real_capture(server, http, fix):
    "On every OpenReviewCrawler output held: the real one where ../shared exists, and always a hand-written one"
    for k, p in enumerate(_held(fix, 'erikbird_crawler_example_output_nips2018_cdnnria.json', 'openreviewcrawler_v1_handwritten.json')):
        _v1_crawl(p, server, http, f'/v1_{k}')

def _v1_crawl(p, server, http, at):
    raw = json.loads(p.read_text())[0]['submissions']
    vid = raw[0]['invitation'].split('/-/')[0]
    server.add(f'{at}/notes', handler=C.notes_handler(C.v1_notes_from_crawl(p)))
    df = check_items(C.conference_papers('NeurIPS', 2018, http=http, base_url=server.url(at), venue_id=vid, include='all'))
    assert df.key.tolist() == [f"openreview:{s['forum']}" for s in raw]
    assert df.authors.tolist() == [s['content']['authors'] for s in raw]
    decs = [next((n['content']['decision'] for n in s['notes'] if n['invitation'].endswith('/Decision')), 'pending') for s in raw]
    assert df.decision.tolist() == [d.lower() for d in decs]
    if 'CDNNRIA' in vid: assert decs == ['accept', 'accept']   # the real workshop: both papers accepted
    assert [len(e['ratings']) for e in df.extra] == [sum(n['invitation'].endswith('Official_Review') for n in s['notes']) for s in raw]
    assert any('Blind_Submission' in e['path'] for e in server.log if e['path'].startswith(at))

def test_api_choice():
    assert C.openreview_api('ICLR', 2023)[0] == 1 and C.openreview_api('ICLR', 2024)[0] == 2
    assert C.openreview_api('NeurIPS', 2022)[0] == 1 and C.openreview_api('NeurIPS', 2023)[0] == 2
    assert C.openreview_api('ICML', 2023)[0] == 2
    with pytest.raises(ValueError, match='pmlr_volume'): C.openreview_api('ICML', 2017)

# --- proceedings ----------------------------------------------------------------------------------------------------------
def test_neurips_proceedings(server, http):
    page = DATA/'proceedings/neurips_2022_index.html'
    server.add('/paper_files/paper/2022', page, ctype='text/html')
    df = check_items(C.neurips_proceedings(2022, http=http, base_url=server.base))
    assert len(df) == len(re.findall(r'<a [^>]*href="/[^"]*-Abstract[^"]*"', page.read_text()))
    assert set(df.source) == {'neurips_proceedings'} and set(df.decision) == {'accept'} and set(df.year) == {2022}
    server.add('/paper_files/paper/2023', '<html><body><ul></ul></body></html>', ctype='text/html')
    with pytest.raises(SourceError, match='no papers found'): C.neurips_proceedings(2023, http=http, base_url=server.base)

def test_pmlr(server, http):
    page = DATA/'proceedings/pmlr_v202_index.html'
    server.add('/v202/', page, ctype='text/html')
    df = check_items(C.pmlr_volume(202, http=http, base_url=server.base))
    assert len(df) == page.read_text().split('-->', 1)[1].count('<div class="paper">')   # after the hand-written note
    assert (set(df.venue), set(df.year), set(df.source)) == ({'ICML'}, {2023}, {'pmlr'})

def test_acl_anthology(server, http, fix):
    p = fix/'acl_anthology/2022.naloma.xml'
    xml = p.read_text()
    df = check_items(C.read_acl_anthology(p))
    assert len(df) == xml.count('<paper id=')
    assert sum(map(len, df.authors)) == len(re.findall(r'<author>', xml))
    assert df.url.tolist() == ['https://aclanthology.org/' + u for u in re.findall(r'<url hash="\w+">(2022\.naloma-1\.[1-9]\d*)</url>', xml)]
    server.add('/2022.naloma.xml', p)
    assert C.acl_anthology('2022.naloma', http=http, base_url=server.base).key.tolist() == df.key.tolist()

# --- arXiv linking ----------------------------------------------------------------------------------------------------------
def test_link_to_arxiv_real_pairs(fix):
    import feedparser
    feed = feedparser.parse(str(fix/'arxiv_api/recorded_body/q_testing_s0_m100_cfe7536492ca.xml'))
    ax = to_items([dict(title=e.title, url=e.id, arxiv_id=arxiv_id(e.id), published=e.published) for e in feed.entries], source='arxiv', kind='paper')
    want = {'The Price of Tolerance in Distribution Testing': '2106.13414',                # real COLT papers (where ../shared exists)
            'The Sample Complexity of Simple Binary Hypothesis Testing': '2403.16981'}
    hand_want = {'Hypothesis Testing for Adversarial Channels: Chernoff-Stein Exponents': '2304.14166',   # tests/data/papercopilot
                 'On Determining the Distribution of a Goodness-of-Fit Test Statistic': '2104.12832'}   # (README: why these)
    for folder, files in pc_folders(fix):
        colt = C.load_paperlists(folder, venues=['COLT'])
        out = C.link_to_arxiv(colt, ax)
        by_title = {t: a for t, a, e in zip(out.title, out.arxiv_id, out.extra) if e.get('arxiv_match') == 'title'}
        assert by_title == (hand_want if folder == HAND else want)
        assert colt.arxiv_id.notna().sum() + 2 == out.arxiv_id.notna().sum() and colt.arxiv_id.notna().sum() >= 1
        assert (out.key == colt.key).all() and colt.extra.map(lambda e: 'arxiv_match' not in e).all()   # input untouched

# --- CLI ---------------------------------------------------------------------------------------------------------------------
def test_cli(fix, tmp_path):
    for f in [p for p in (Path(fix, REAL, 'nips2016.json'), HAND/'iclr2025.json') if p.exists()]:
        out, csvp = io.StringIO(), tmp_path/'o.csv'
        assert cli_conferences([str(f), '--decision', 'oral', '--csv', str(csvp)], out=out) == 0
        want = sum(r.get('status') == 'Oral' for r in _rows(f))
        v, y = _vy(f)
        assert want and re.search(rf'{v}\s+{y}\s+oral\s+{want}\b', out.getvalue()), out.getvalue()
        assert len(pd.read_csv(csvp)) == want
    assert cli_conferences([str(tmp_path/'nope.json')], out=io.StringIO()) == 1
