"Triage queue and widget without a browser, on real Hugging Face captures, checked against the capture files and the store."
import json
import pytest
from mlnews_nb.core import to_items
from mlnews_nb.papers import parse_daily_papers
from mlnews_nb.store import Store
from mlnews_nb.triage import TriageQueue, triage, card_html, html_risks, queue_frame

def hf(path):
    "The capture and its items through the fetcher's own parser (`papers.parse_daily_papers`)"
    raw = json.loads(path.read_text())
    return raw, parse_daily_papers(raw, str(path))

@pytest.fixture
def week(fix):
    raw, items = hf(fix/'hf_daily_papers/daily_papers_2024-05-27.json')
    return raw, items

def test_ranking_follows_upvotes_from_the_file(week):
    raw, items = week
    want = sorted(raw, key=lambda d: -d['paper']['upvotes'])[0]['paper']['id']
    assert queue_frame(items, 'score').arxiv_id.iloc[0] == want

def test_actions_commit_and_undo(week, tmp_path):
    raw, items = week
    st = Store(tmp_path/'s.sqlite')
    w = triage(items, st, ranking='score')
    first = w.q.key
    w.note.value = 'my summary'; w.tags.value = 'a, b'; w.rating.value = 5
    w.buttons['save'].click()
    second = w.q.key
    w.buttons['skip'].click()
    assert w.q.progress() == f'3 of {len(raw)}, 1 saved, 1 skipped'
    w.buttons['undo'].click()
    st2 = Store(tmp_path/'s.sqlite')                 # a second connection sees committed data
    got = st2.items(keys=[first, second]).set_index('key')
    assert (got.loc[first, 'state'], got.loc[first, 'note'], got.loc[first, 'tags'], got.loc[first, 'rating']) == ('saved', 'my summary', ['a', 'b'], 5)
    assert got.loc[second, 'state'] == 'new'
    assert w.q.key == second and w.decisions.key.tolist() == [first]

def test_keys_and_filters(week):
    raw, items = week
    st = Store(':memory:')
    w = triage(items, st)
    w._key({'key': 'k'}); w._key({'key': 'ArrowLeft'}); w._key({'key': 'l'})
    assert st.items(state='later').key.tolist() == [w.q.df.key.iloc[0]]
    word = raw[0]['paper']['title'].split()[0].rstrip(':')
    w.f_text.value = word
    assert len(w.q) == sum(word.lower() in (d['paper']['title'] + d['paper']['summary'] + ' '.join(a['name'] for a in d['paper']['authors'])).lower() for d in raw)
    w.f_text.value = ''; w.f_state.value = 'later'
    assert len(w.q) == 1

def test_hostile_cards_are_inert():
    evil = to_items([dict(url='javascript:alert(1)', title='<script>alert(1)</script>',
                          summary_html='<a href="javascript:alert(1)" onclick="x()">y</a><img src=x onerror=alert(1)><svg onload=alert(1)>')],
                    source='evil', kind='post')
    assert html_risks(evil.summary_html.iloc[0])                 # the raw summary is dangerous...
    assert html_risks(card_html(evil.iloc[0])) == []             # ...the card is not

def test_ten_thousand_items_render_one_card():
    items = to_items([dict(arxiv_id=f'2401.{i:05d}', title=f'Paper {i}') for i in range(10_000)], source='arxiv', kind='paper')
    w = triage(items, Store(':memory:'), keys=False)
    assert len(w.q) == 10_000 and w.card.value.count('mlnews-card') == 1
    w.buttons['save'].click()
    assert w.q.progress() == '2 of 10000, 1 saved'

def test_summary_typed_then_left_is_kept(week, tmp_path):
    "A summary typed on a card and left with Next (no action) is in the store, state unchanged, and shows again on Prev"
    raw, items = week
    st = Store(tmp_path/'s.sqlite')
    w = triage(items, st, ranking='score')
    first = w.q.key
    w.note.value = 'Typed, then moved on.'; w.tags.value = 'later-maybe'
    w.buttons['next'].click()
    got = Store(tmp_path/'s.sqlite').items(keys=[first]).iloc[0]
    assert (got.state, got.note, got.tags) == ('new', 'Typed, then moved on.', ['later-maybe'])
    assert w.note.value == ''                                   # the next card has no summary of its own...
    assert Store(tmp_path/'s.sqlite').items(keys=[w.q.key]).note.isna().all()   # ...and drawing it wrote nothing
    w.buttons['prev'].click()
    assert (w.q.key, w.note.value, w.tags.value) == (first, 'Typed, then moved on.', 'later-maybe')
    w.note.value = 'Edited, then a filter.'; w.f_kind.value = 'paper'
    assert Store(tmp_path/'s.sqlite').items(keys=[first]).note.iloc[0] == 'Edited, then a filter.'
    w.buttons['save'].click()                                   # an action after keep: the note is not written twice
    d = st.decisions()
    assert d[d.key == first].field.tolist() == ['note', 'tags', 'note', 'state']

def test_fresh_items_read_triage_in_chunks(week, monkeypatch):
    "Fresh items get their triage from the store by keyed reads, chunked under SQLite's parameter limit"
    import mlnews_nb.triage as T
    raw, items = week
    st = Store(':memory:'); st.add(items)
    keys = items.key.tolist()
    st.decide(keys[0], state='saved', note='n0'); st.decide(keys[-1], state='later', tags=['x'])
    calls = []
    real = st.items
    monkeypatch.setattr(st, 'items', lambda **kw: calls.append(len(kw.get('keys') or [])) or real(**kw))
    monkeypatch.setattr(T, '_CHUNK', 4)
    q = TriageQueue(items, st)
    assert calls == [4] * (len(keys) // 4) + ([len(keys) % 4] if len(keys) % 4 else [])
    assert (q.state(keys[0]), q.triage[keys[0]]['note'], q.state(keys[-1]), q.triage[keys[-1]]['tags']) == ('saved', 'n0', 'later', ['x'])
    assert q.progress() == f'1 of {len(raw)}, 1 saved, 1 later'

def test_triage_without_items_reads_the_store(week):
    raw, items = week
    st = Store(':memory:'); st.add(items)
    st.decide(items.key.iloc[0], state='saved')
    w = triage(None, st, keys=False)
    assert len(w.q) == len(raw) and w.q.progress() == f'1 of {len(raw)}, 1 saved'
    assert len(triage(None, st, keys=False, state='new').q) == len(raw) - 1
