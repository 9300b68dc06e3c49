"""link_works and what_is_new on real fetcher output: the captures read by the package's parsers, plus the hand-written threads
of tests/data/works/ fetched by the real fetchers under net.replay."""
import json
import pandas as pd, pytest
from mlnews_nb.core import to_items
from mlnews_nb.conferences import read_paperlist
from mlnews_nb.store import Store
from mlnews_nb.works import link_works, what_is_new, title_pairs, TITLE_THRESHOLD
from captures_week import week_items, hand_items

@pytest.fixture(scope='module')
def items(fix): return week_items(fix)

@pytest.fixture(scope='module')
def hand(): return hand_items()

def test_one_work_with_all_its_mentions(items, hand, fix):
    raw = json.loads((fix/'hf_daily_papers'/'daily_papers_2026-04-01.json').read_text())
    up = [x['paper']['upvotes'] for x in raw if x['paper']['id'] == '2603.28032'][0]
    w = link_works(pd.concat([items, hand], ignore_index=True)).set_index('work').loc['arxiv:2603.28032']
    assert w.sources == ['hand_newsletter', 'hf_daily', 'hf_papers_feed', 'hn', 'r/MachineLearning']
    assert (w.hn_points, w.hf_upvotes) == (412, up)          # 412: the points in tests/data/works/hn_carla.json
    assert set(w.mentions) == {'hn:47650001', 'reddit:1sabcde', 'url:https://newsletter.example/issues/412'}
    assert w.newsletter_mentions == 2 and w.title.startswith('CARLA-Air')

def test_proceedings_paper_joined_to_its_arxiv_version(items, fix):
    colt = json.loads((fix/'conference_lists'/'papercopilot'/'colt2024.json').read_text())
    title = 'The Sample Complexity of Simple Binary Hypothesis Testing'
    rec = [p for p in colt if p['title'] == title]
    assert len(rec) == 1 and 'arxiv' not in json.dumps(rec[0]) and title in (fix/'arxiv_api'/'recorded_body'/'q_testing_s0_m100_cfe7536492ca.xml').read_text()
    w = link_works(items).set_index('work').loc['arxiv:2403.16981']
    assert (w.venue, w.year, w.decision) == ('COLT', 2024, 'accept') and w.sources == ['arxiv', 'papercopilot']
    assert any(k.startswith('url:https://proceedings.mlr.press/') for k in w['items'])

def test_newsletter_mentions_do_not_glue_papers(items, hand):
    w = link_works(pd.concat([items, hand], ignore_index=True))
    assert w.work.is_unique and {'arxiv:2403.16981', 'arxiv:2603.28032', 'url:https://newsletter.example/issues/412'} <= set(w.work)

def test_title_threshold_on_real_pairs(fix):
    pc = fix/'conference_lists'/'papercopilot'
    two = pd.concat([read_paperlist(pc/'iclr2017.json'), read_paperlist(pc/'icml2017.json')], ignore_index=True)
    p = title_pairs(two)
    from rapidfuzz import process, fuzz              # every cross-venue pair, compared exhaustively on plain lowercase titles
    t, a = two.title.str.lower().str.replace(r'[^a-z0-9]+', ' ', regex=True).str.strip(), two.index[two.venue == two.venue[0]]
    b = two.index[two.venue != two.venue[0]]
    m = process.cdist(t[a].tolist(), t[b].tolist(), scorer=fuzz.ratio, workers=-1) >= TITLE_THRESHOLD
    assert len(p) and {tuple(sorted(map(int, x))) for x in p} == {tuple(sorted((int(a[i]), int(b[j])))) for i, j in zip(*m.nonzero())}
    near = pd.concat([read_paperlist(pc/f) for f in ('aistats2019.json', 'aistats2021.json', 'colt2023.json', 'colt2024.json', 'icml2013.json', 'icml2014.json')], ignore_index=True)
    assert len(title_pairs(near)) == 0          # Maximization/Minimization, Fast SADMM, the COLT prefaces: all different works

def test_every_item_in_exactly_one_work(items):
    w = link_works(items)
    members = [k for ks in w['items'] for k in ks]
    assert set(members) == set(items.key) and w.n_items.sum() >= items.key.nunique()

def test_already_triaged_never_new(items, hand):
    st = Store(':memory:'); first = items[items.source == 'hf_daily']
    st.add(first); st.mark(first.key.iloc[:20].tolist(), 'skipped'); st.mark(first.key.iloc[20:25].tolist(), 'saved')
    t0 = pd.Timestamp.now(tz='UTC'); allitems = pd.concat([items, hand], ignore_index=True); st.add(allitems)
    news = what_is_new(link_works(allitems), st, since=t0)
    triaged = set(first.key.iloc[:25])
    assert not (news.status[news.work.isin(triaged)] == 'new').any()
    assert (news.status == 'new').sum() > 0

def test_new_discussion_of_a_saved_work_is_an_update(items, hand):
    st = Store(':memory:'); st.add(items); st.mark('arxiv:2603.28032', 'saved'); t0 = pd.Timestamp.now(tz='UTC')
    allitems = pd.concat([items, hand], ignore_index=True); st.add(allitems)
    n = what_is_new(link_works(allitems), st, since=t0).set_index('work').loc['arxiv:2603.28032']
    assert n.status == 'update' and 'new discussion on hn' in n.what_changed and 'new discussion on r/MachineLearning' in n.what_changed

def test_version_change_is_an_update():
    st = Store(':memory:')
    v1 = to_items([dict(arxiv_id='2401.00001', version=1, title='A paper', summary='x')], source='arxiv', kind='paper')
    st.add(v1); st.mark('arxiv:2401.00001', 'saved'); t0 = pd.Timestamp.now(tz='UTC')
    v2 = v1.assign(version=pd.array([2], dtype='Int64')); st.add(v2)
    n = what_is_new(link_works(v2), st, since=t0)
    assert n.status.tolist() == ['update'] and n.what_changed.tolist() == ['version 1→2']
    assert len(what_is_new(link_works(v1), st, since=pd.Timestamp.now(tz='UTC'))) == 0    # triaged, nothing new: gone

def test_store_rows_link_without_conversion(items):
    st = Store(':memory:'); st.add(items.head(50))
    s = st.items()
    assert str(s.published.dtype) == 'datetime64[ns, UTC]' and len(link_works(s)) <= 50

def test_bad_input_raises():
    with pytest.raises(ValueError): link_works(pd.DataFrame({'title': ['x']}))
