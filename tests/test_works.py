"link_works and what_is_new on the real captures (plus the hand-written threads in tests/data/works/)."
import json
from pathlib import Path
import pandas as pd, pytest
from mlnews_nb.core import to_items
from mlnews_nb.captures import capture_items, paperlist_items, hf_items
from mlnews_nb.store import Store
from mlnews_nb.works import link_works, what_is_new, title_pairs

HAND = Path(__file__).parent/'data'/'works'/'carla_air_threads.json'

@pytest.fixture(scope='module')
def items(fix): return capture_items(fix)

@pytest.fixture(scope='module')
def hand(): return to_items(json.loads(HAND.read_text())['items'])

def test_one_work_with_all_its_mentions(items, hand, fix):
    raw = json.loads((fix/'hf_daily_papers'/'daily_papers_2026-04-01.json').read_text())
    up = [x['paper']['upvotes'] for x in raw if x['paper']['id'] == '2603.28032'][0]
    w = link_works(pd.concat([items, hand], ignore_index=True)).set_index('work').loc['arxiv:2603.28032']
    assert w.sources == ['hand_newsletter', 'hf_daily', 'hf_papers_feed', 'hn', 'reddit']
    assert (w.hn_points, w.reddit_score, w.hf_upvotes) == (412, 187, up)
    assert set(w.mentions) == {'hn:47650001', 'reddit:1sabcde', 'url:https://newsletter.example/issues/412'}

def test_proceedings_paper_joined_to_its_arxiv_version(items, fix):
    raw = [json.loads(l) for l in []]
    colt = json.loads((fix/'conference_lists'/'papercopilot'/'colt2024.json').read_text())
    title = 'The Sample Complexity of Simple Binary Hypothesis Testing'
    assert any(p['title'] == title for p in colt) and title in (fix/'arxiv_api'/'recorded_body'/'q_testing_s0_m100_cfe7536492ca.xml').read_text()
    w = link_works(items).set_index('work')
    assert w.loc['arxiv:2403.16981', 'venue'] == 'COLT 2024' and 'papercopilot' in w.loc['arxiv:2403.16981', 'sources']

def test_newsletter_mentions_do_not_glue_papers(items, hand):
    w = link_works(pd.concat([items, hand], ignore_index=True))
    assert w.work.is_unique and {'arxiv:2403.16981', 'arxiv:2603.28032', 'url:https://newsletter.example/issues/412'} <= set(w.work)

def test_title_threshold_on_real_pairs(fix):
    pc = fix/'conference_lists'/'papercopilot'
    two = pd.concat([paperlist_items(pc/'iclr2017.json'), paperlist_items(pc/'icml2017.json')], ignore_index=True)
    p = title_pairs(two)
    assert len(p) == 12 and all(two.venue[i] != two.venue[j] for i, j in p)
    near = pd.concat([paperlist_items(pc/f) for f in ('aistats2019.json', 'aistats2021.json', 'colt2023.json', 'colt2024.json', 'icml2013.json', 'icml2014.json')], ignore_index=True)
    assert len(title_pairs(near)) == 0          # Maximization/Minimization, Fast SADMM, the COLT prefaces: all different works

def test_every_item_in_exactly_one_work(items):
    w = link_works(items)
    members = [(k) for ks in w['items'] for k in ks]
    assert set(members) == set(items.key) and w.n_items.sum() >= items.key.nunique()

def test_already_triaged_never_new(items, hand):
    st = Store(':memory:'); first = items[items.source == 'hf_daily']
    st.add(first); st.mark(first.key.iloc[:20].tolist(), 'skipped'); st.mark(first.key.iloc[20:25].tolist(), 'saved')
    t0 = pd.Timestamp.now(tz='UTC'); allitems = pd.concat([items, hand], ignore_index=True); st.add(allitems)
    news = what_is_new(link_works(allitems), st, since=t0)
    triaged = set(first.key.iloc[:25])
    assert not (news.status[news.work.isin(triaged)] == 'new').any()
    carla = news.set_index('work')
    if 'arxiv:2603.28032' in triaged: assert carla.loc['arxiv:2603.28032', 'status'] == 'update'
    assert (news.status == 'new').sum() > 0

def test_version_change_is_an_update():
    st = Store(':memory:')
    v1 = to_items([dict(arxiv_id='2401.00001', version=1, title='A paper', summary='x')], source='arxiv', kind='paper')
    st.add(v1); st.mark('arxiv:2401.00001', 'saved'); t0 = pd.Timestamp.now(tz='UTC')
    v2 = v1.assign(version=pd.array([2], dtype='Int64')); st.add(v2)
    n = what_is_new(link_works(v2), st, since=t0)
    assert n.status.tolist() == ['update'] and n.what_changed.tolist() == ['version 1→2']
    assert len(what_is_new(link_works(v1), st, since=pd.Timestamp.now(tz='UTC'))) == 0    # triaged, nothing new: gone

def test_bad_input_raises():
    with pytest.raises(ValueError): link_works(pd.DataFrame({'title': ['x']}))
