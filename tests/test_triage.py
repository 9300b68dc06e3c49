"Triage queue and widget without a browser, on real Hugging Face captures, checked against the capture files and the store."
import json
import numpy as np, pandas as pd
import pytest
from mlnews_nb.core import to_items
from mlnews_nb.papers import parse_daily_papers
from mlnews_nb.store import Store
from mlnews_nb.triage import TriageQueue, triage, card_html, html_risks, queue_frame, filter_mask

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
    first = w.q.df.key.iloc[0]
    assert st.items(state='later').empty and st.items(keys=[first]).state.iloc[0] == 'skipped'   # a key on a decided card: no change...
    assert 'is already skipped' in w.status.value and 'later again' in w.status.value
    w._key({'key': 'l'})                                                                            # ...until pressed again
    assert st.items(state='later').key.tolist() == [first]
    word = raw[0]['paper']['title'].split()[0].rstrip(':')
    w.f_state.value = '(all)'
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

def test_fresh_items_read_triage_by_keys(week, monkeypatch):
    """Fresh items get their triage from the store by keyed reads, never the whole table; the keys go to SQLite as one JSON
    parameter, so more keys than its bound-parameter limit (32,766) are still one read"""
    raw, items = week
    st = Store(':memory:'); st.add(items)
    keys = items.key.tolist()
    st.decide(keys[0], state='saved', note='n0'); st.decide(keys[-1], state='later', tags=['x'])
    calls = []
    real = st.items
    monkeypatch.setattr(st, 'items', lambda **kw: (calls.append(kw), real(**kw))[1])
    q = TriageQueue(items, st, state=None)
    assert calls and all(kw.get('keys') is not None or kw.get('state') for kw in calls)   # never the whole table
    assert any(set(keys) <= set(kw.get('keys') or ()) for kw in calls)  # the card triage: every key in one read
    assert (q.state(keys[0]), q.triage[keys[0]]['note'], q.state(keys[-1]), q.triage[keys[-1]]['tags']) == ('saved', 'n0', 'later', ['x'])
    assert q.progress() == f'1 of {len(raw)}, 1 saved, 1 later'
    many = [f'url:https://example.org/{i}' for i in range(40_000)] + keys[:3]
    assert sorted(real(keys=many).key) == sorted(keys[:3])

def test_triage_without_items_reads_the_store(week):
    raw, items = week
    st = Store(':memory:'); st.add(items)
    st.decide(items.key.iloc[0], state='saved')
    w = triage(None, st, keys=False, state=None)
    assert len(w.q) == len(raw) and w.q.progress() == f'1 of {len(raw)}, 1 saved'
    assert len(triage(None, st, keys=False).q) == len(raw) - 1          # by default: only what is still to decide


def _hand():
    import sys
    from captures_week import hand_items
    return hand_items()

def test_one_card_per_work_and_decided_works_stay_decided(fix, tmp_path):
    "The paper, its HN thread and its Reddit thread are one card; deciding it decides every item of the work, in one undoable batch"
    from mlnews_nb.digest import digest
    _, hf_ = hf(fix/'hf_daily_papers/daily_papers_2026-04-01.json')
    items = pd.concat([hf_, _hand()], ignore_index=True)
    st = Store(tmp_path/'s.sqlite')
    q = TriageQueue(items, st, ranking='score')
    carla = q.df[q.df.work == 'arxiv:2603.28032']
    assert len(carla) == 1 and {'hn:47650001', 'reddit:1sabcde', 'arxiv:2603.28032'} <= set(carla.members.iloc[0])
    q.pos = int(np.flatnonzero(q.df.key.to_numpy()[q.rows] == carla.key.iloc[0])[0])
    q.act('save', note='drone sim')
    got = st.items(keys=carla.members.iloc[0])
    assert set(got.state) == {'saved'}
    for frame in (items, st.items()):
        assert 'arxiv:2603.28032' not in set(digest(frame, st, minutes=600).key)
        assert 'arxiv:2603.28032' not in set(TriageQueue(frame, st, resume=False).df.work[lambda s: s.index.isin(TriageQueue(frame, st).rows)])
    q.undo()
    assert set(st.items(keys=carla.members.iloc[0]).state) == {'new'}

def test_queue_resumes_where_it_stopped(week, tmp_path):
    raw, items = week
    st = Store(tmp_path/'s.sqlite')
    q = TriageQueue(items, st)
    q.act('save'); q.act('skip'); q.next(); q.next()
    here = q.key
    q2 = TriageQueue(items, Store(tmp_path/'s.sqlite'))                # a new session: same card, decided ones out of the queue
    assert q2.key == here and len(q2) == len(raw) - 2
    q2.act('later')                                                     # decided meanwhile: the next card after it
    q3 = TriageQueue(items, Store(tmp_path/'s.sqlite'))
    assert q3.key == q2.key and q3.key != here
    assert len(TriageQueue(items, st, state='saved')) == 1 and len(TriageQueue(items, st, state=None)) == len(raw)

def test_decided_card_needs_an_explicit_change(week, tmp_path):
    raw, items = week
    st = Store(tmp_path/'s.sqlite')
    w = triage(items, st, keys=False)
    w.note.value = 'keep this'; w.tags.value = 'a'; k = w.q.key
    w.do('save'); w.f_state.value = 'saved'
    assert w.q.key == k and w.note.value == 'keep this'
    w._key({'key': 'k'})
    got = st.items(keys=[k]).iloc[0]
    assert (got.state, got.note) == ('saved', 'keep this') and 'already saved' in w.status.value
    w._key({'key': 'k'})
    assert st.items(keys=[k]).state.iloc[0] == 'skipped'
    w.do('undo')
    assert st.items(keys=[k]).state.iloc[0] == 'saved' and 'undid' in w.status.value and k not in w.status.value   # titles, not keys

def test_search_box_filters_as_you_type_after_a_shortcut(week):
    raw, items = week
    w = triage(items, Store(':memory:'))
    w._key({'key': 'j'}); w._key({'key': 's'})
    word = raw[3]['paper']['title'].split()[0]
    w.f_text.value = word                                               # one keystroke's sync, no blur, no Enter
    assert len(w.q) == int(filter_mask(w.q.df, text=word, state='new', states=pd.Series(w.q.states)).sum()) < len(raw)
    assert w.f_text.continuous_update

def test_card_shows_reason_buzz_and_venue_decision(fix, tmp_path):
    from mlnews_nb.conferences import read_openreview_csv
    iclr = read_openreview_csv(fix/'openreview'/'fedebotu_iclr2023_20230210.csv', keep_incomplete=True)
    wd = iclr[iclr.decision == 'withdrawn'].head(30)
    st = Store(tmp_path/'s.sqlite'); st.add(wd); st.mark(wd.key.iloc[:2].tolist(), 'saved'); st.mark(wd.key.iloc[2:4].tolist(), 'skipped')
    q = TriageQueue(st.items(), st)
    card = card_html(q.current)
    assert 'withdrawn submission' in card and 'why:' in card and 'score' in card
    hand = _hand()
    hn = hand[hand.key.str.startswith('hn:')].iloc[0]
    assert f"{int(hn.score)} HN points" in card_html(hn) and 'comment' in card_html(hn)
    w = triage(items := hf(fix/'hf_daily_papers/daily_papers_2024-05-27.json')[1], Store(':memory:'), keys=False)
    assert all(f'({k})' in w.buttons[a].description for a, k in [('save', 's'), ('skip', 'k'), ('later', 'l'), ('read', 'r')])

def test_remote_images_only_when_asked():
    it = to_items([dict(url='https://blog.example/p', title='A post', summary_html='<p>x<img src="https://track.example/p.gif" alt="chart"></p>')],
                  source='blog', kind='post').iloc[0]
    assert '<img' not in card_html(it) and '[chart]' in card_html(it)
    assert '<img' in card_html(it, images=True)
