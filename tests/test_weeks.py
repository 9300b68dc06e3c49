"""Week after week (issue 14): three consecutive `weekly` runs on real captures (tests/weeks_world.py says how the weeks are made
and what is hand-written), with a simulated user who decides on the digest and in the triage queue through the widget's own calls
(`triage(...)`, `w.do('save')`, `w.q.goto(...)`). Between the weeks a saved paper gets a new arXiv version, a newsletter cites a
saved paper, a Hacker News thread appears for a skipped one, and sources start to fail: a host that hangs, one that answers 429
with Retry-After, a mistyped arXiv category.

`test_three_weeks` checks what this branch guarantees. The fault words that wait for other branches of the same round (issue 11:
a typed fetch outcome with Retry-After memory; the arXiv error feed as `broken`) are in `test_three_weeks_fault_words`."""
import pandas as pd
import pytest
from mlnews_nb.core import ITEM_COLS
from mlnews_nb.rank import digest, weekly
from mlnews_nb.store import Store
from mlnews_nb.triage import triage
from mlnews_nb.works import link_works, seen_memory
from weeks_world import World, HANG

MINUTES = 60

def decided_works(store) -> set:
    "Every work the user decided on, by the one rule"
    w = seen_memory(store.items(), store, keep_decided=True)
    return set(w.work[w.state != 'new'])

def decide_digest(store, d, order:str, avoid=()) -> tuple[list, list]:
    "The user reads the digest: saves two arXiv picks, skips the others, through the triage widget"
    arx = [k for k in d.key[d.pick != 'update'] if k.startswith('arxiv:') and k not in avoid]
    if order == 'reverse': arx = arx[::-1]
    save, skip = arx[:2], arx[2:5]
    w = triage(None, store, keys=False, state=None)
    for k in save + skip:
        w.q.goto(k); w.render()
        w.note.value = 'read the method section' if k in save else ''
        w.do('save' if k in save else 'skip')
    return save, skip

def queue_session(store, n:int=3) -> str:
    "The user opens the triage queue, decides `n` cards in its order, looks at the next one and stops; returns where they stopped"
    w = triage(None, store, keys=False)
    for a in ['save', 'skip', 'skip'][:n]: w.do(a)
    w.do('next')
    return w.q.key

def check_week(store, d, h, decided_before:set, t:pd.Timestamp):
    "What must hold after every week"
    new = d[d.pick != 'update']
    assert not set(new.key) & decided_before, 'a decided work came back as new'
    assert d.key.is_unique and d.minutes.sum() <= MINUTES
    seen = store.items(since=t)
    for frame in (seen[ITEM_COLS], link_works(seen), store.items()):          # the three frames of the done-when
        g = digest(frame, store, minutes=MINUTES)
        assert g.key.is_unique and not set(g.key[g.pick != 'update']) & decided_before
    q = triage(None, store, keys=False).q
    assert not set(q.df.work.iloc[q.rows]) & decided_before                   # the queue opens on undecided works only
    assert set(h.source) >= {'the-batch', 'hn', 'colah', 'lilianweng', 'hf-daily-papers'}

def run_weeks(fix, server, tmp_path, order:str) -> dict:
    world, store = World(fix, server), Store(tmp_path/'store.sqlite')
    out = {}
    # week 1
    t = pd.Timestamp.now(tz='UTC')
    d1, h1 = weekly(store, fetch=world.fetch(1), since=t, minutes=MINUTES, out_dir=tmp_path/'w1')
    check_week(store, d1, h1, set(), t)
    assert (d1.pick == 'update').sum() == 0 and len(d1) >= 4
    if order == 'reverse': stop = queue_session(store); saved, skipped = decide_digest(store, d1, order, avoid={stop})
    else: saved, skipped = decide_digest(store, d1, order); stop = queue_session(store)
    assert len(saved) == 2 and skipped
    dec1 = decided_works(store)
    assert set(saved) | set(skipped) <= dec1
    # between weeks 1 and 2
    change = world.week2(saved, skipped, store)
    # week 2
    t = pd.Timestamp.now(tz='UTC')
    w = triage(None, store, keys=False)
    assert w.q.key == stop                                                      # the queue resumes where the user stopped
    d2, h2 = weekly(store, fetch=world.fetch(2), since=t, minutes=MINUTES, out_dir=tmp_path/'w2')
    check_week(store, d2, h2, dec1, t)
    upd = d2[d2.pick == 'update'].set_index('key')
    assert {change['version'], change['newsletter'], change['hn']} <= set(upd.index)
    assert 'version 1→2' in upd.what_changed[change['version']]
    assert 'mentioned in weekly-example' in upd.what_changed[change['newsletter']]
    assert 'new discussion on hn (230 points, 41 comments)' in upd.what_changed[change['hn']]
    assert upd.reason[change['hn']].startswith('you skipped this') and upd.reason[change['version']].startswith('you saved this')
    hs = h2.set_index('source')
    assert hs.status['hn'] == 'ok' and hs['items']['hn'] == 1 and hs.status['hf-daily-papers'] == 'ok'
    assert hs.status['the-batch'] in ('ok', 'unchanged')
    assert hs.status['colah'] == 'unreachable' and hs.elapsed['colah'] < HANG   # the hanging host did not hold the run
    assert hs.status['lilianweng'] == 'blocked' and hs.status['weekly-example'] == 'ok'
    if order == 'reverse': saved2, _ = decide_digest(store, d2, order); stop = queue_session(store)
    else: stop = queue_session(store); saved2, _ = decide_digest(store, d2, order, avoid={stop})
    dec2 = decided_works(store)
    # week 3
    world.week3()
    t = pd.Timestamp.now(tz='UTC')
    assert triage(None, store, keys=False).q.key == stop
    d3, h3 = weekly(store, fetch=world.fetch(3), since=t, minutes=MINUTES, out_dir=tmp_path/'w3')
    check_week(store, d3, h3, dec2, t)
    assert not {change['version'], change['newsletter'], change['hn']} & set(d3.key)   # each change came back once
    md = next((tmp_path/'w3').glob('digest-*.md')).read_text()
    assert md.startswith('# Weekly digest') and (tmp_path/'w3').glob('digest-*.json')
    return dict(h1=h1, h2=h2, h3=h3, d=(d1, d2, d3), store=store)

@pytest.mark.parametrize('order', ['forward', 'reverse'])
def test_three_weeks(fix, server, tmp_path, order):
    run_weeks(fix, server, tmp_path, order)

@pytest.mark.xfail(reason='waits for the merge of issue 11 (helpers truth and sourcefix): Retry-After memory, arXiv error feed', strict=False)
def test_three_weeks_fault_words(fix, server, tmp_path):
    """The health words issue 11 asks for. Waits for the merge of helpers 'truth' (429 + Retry-After: `blocked`, and no request to
    that host before the retry time) and 'sourcefix' (arXiv's error feed for a mistyped category: `broken`, in arXiv's words)."""
    r = run_weeks(fix, server, tmp_path, 'forward')
    h2, h3 = r['h2'].set_index('source'), r['h3'].set_index('source')
    assert h3.status['lilianweng'] == 'blocked' and 'until' in h3.message['lilianweng']
    assert sum(e['path'].startswith('/busy/') for e in server.log) == 1                 # Retry-After 3600: asked once, in week 2
    assert h3.status['arxiv-quant-phh'] in ('broken', 'moved') and 'Invalid archive' in h3.message['arxiv-quant-phh']
