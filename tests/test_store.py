"The store never loses a decision: re-fetches, concurrent writers, SIGKILL, migrations."
import os, signal, sqlite3, subprocess, sys, textwrap
import pandas as pd, pytest
from mlnews_nb.core import to_items
from mlnews_nb.store import Store, SCHEMA_VERSION, _SCHEMA_V1

def _items(n, source='arxiv', version=1, title='Paper {i}'):
    return to_items([dict(arxiv_id=f'2401.{i:05d}', version=version, title=title.format(i=i), summary=f'abstract {i}',
                          published='2024-01-05') for i in range(n)], source=source, kind='paper')

def test_refetch_never_overwrites_triage(tmp_path):
    st = Store(tmp_path/'s.sqlite')
    st.add(_items(3))
    st.mark('arxiv:2401.00001', 'saved'); st.note('arxiv:2401.00001', 'my summary'); st.rate('arxiv:2401.00001', 4)
    r = st.add(_items(3, version=2, title='Paper {i}, revised'))
    assert (r.new, r.updated) == (0, 3)
    row = st.items(keys=['arxiv:2401.00001']).iloc[0]
    assert (row.state, row.note, row.rating, row.version, row.title, row.change) == ('saved', 'my summary', 4, 2, 'Paper 1, revised', 'version 1→2')
    assert st.items(keys=['arxiv:2401.00002']).iloc[0].state == 'new'

def test_same_work_from_two_sources_shares_one_decision(tmp_path):
    st = Store(tmp_path/'s.sqlite')
    st.add(_items(2)); st.add(_items(2, source='hf_daily'))
    st.mark('arxiv:2401.00000', 'later')
    df = st.items(keys=['arxiv:2401.00000'])
    assert sorted(df.source) == ['arxiv', 'hf_daily'] and set(df.state) == {'later'}
    assert st.reading_list('later').sources[0] == ['arxiv', 'hf_daily']

WRITER = textwrap.dedent('''
    import sys
    from mlnews_nb.store import Store
    st = Store(sys.argv[1]); prefix = sys.argv[2]; n = int(sys.argv[3])
    for i in range(n):
        st.mark(f'{prefix}:{i}', 'saved')
        print(f'{prefix}:{i}', flush=True)   # printed only after the commit returned
''')

def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    db = tmp_path/'s.sqlite'; Store(db).close()
    procs = [subprocess.Popen([sys.executable, '-c', WRITER, str(db), p, '500'], stdout=subprocess.PIPE, text=True) for p in ('a', 'b')]
    outs = [p.communicate(timeout=240)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    st = Store(db)
    d = st.decisions()
    assert len(d) == 1000 and d.key.nunique() == 1000
    assert st.db.execute("SELECT count(*) FROM triage WHERE state='saved'").fetchone()[0] == 1000
    assert sum(len(o.split()) for o in outs) == 1000

def test_sigkill_mid_run_loses_no_committed_decision(tmp_path):
    db = tmp_path/'s.sqlite'; Store(db).close()
    p = subprocess.Popen([sys.executable, '-c', WRITER, str(db), 'k', '100000'], stdout=subprocess.PIPE, text=True)
    done = []
    for line in p.stdout:
        done.append(line.strip())
        if len(done) >= 300: break
    os.kill(p.pid, signal.SIGKILL); p.wait()
    saved = {k for (k,) in sqlite3.connect(db).execute("SELECT key FROM triage WHERE state='saved'")}
    assert set(done) <= saved                  # every decision reported as made is there
    assert len(saved) < 100000                 # and the writer really was killed mid-run

def test_migrates_a_version_1_database(tmp_path):
    db = tmp_path/'v1.sqlite'
    con = sqlite3.connect(db)
    for s in _SCHEMA_V1.split(';'):
        if s.strip(): con.execute(s)
    con.execute("INSERT INTO items(source, key, title, first_seen) VALUES ('arxiv', 'arxiv:1706.03762', 'Attention', '2024-01-01T00:00:00+00:00')")
    con.execute("INSERT INTO triage(key, state, note, tags, state_at) VALUES ('arxiv:1706.03762', 'saved', 'transformer', '[\"nlp\"]', '2024-01-02T00:00:00+00:00')")
    con.execute('PRAGMA user_version=1'); con.commit(); con.close()
    st = Store(db)
    assert st.db.execute('PRAGMA user_version').fetchone()[0] == SCHEMA_VERSION == 4
    row = st.items().iloc[0]
    assert (row.state, row.note, row.tags) == ('saved', 'transformer', ['nlp'])
    assert st.decisions()[['key', 'field', 'new']].values.tolist() == [['arxiv:1706.03762', 'state', 'saved']]
    st.rate('arxiv:1706.03762', 5); st.undo()
    assert pd.isna(st.items().iloc[0].rating)

def test_refuses_a_newer_schema(tmp_path):
    from mlnews_nb.core import StoreError
    db = tmp_path/'new.sqlite'; Store(db).db.execute('PRAGMA user_version=99')
    with pytest.raises(StoreError, match='newer'): Store(db)

def test_undo_walks_back_batches_and_keeps_history(tmp_path):
    st = Store(tmp_path/'s.sqlite'); st.add(_items(3))
    st.mark(['arxiv:2401.00000', 'arxiv:2401.00001'], 'skipped')
    st.mark('arxiv:2401.00002', 'saved')
    st.undo()
    assert st.items(keys=['arxiv:2401.00002']).state.tolist() == ['new']
    st.undo()
    assert set(st.items().state) == {'new'}
    h = st.decisions(include_undone=True)
    assert len(h) == 6 and h.undone.all()
    assert st.undo().empty

def test_fetch_log_and_health(tmp_path):
    st = Store(tmp_path/'s.sqlite')
    st.log_fetch(source='a', url='u', status='ok', items=3, newest=pd.Timestamp('2024-01-01', tz='UTC'))
    st.log_fetch(source='a', url='u', status='unchanged', items=0, from_cache=True)
    st.log_fetch(source='b', url='v', status='broken', message='not XML')
    h = st.health()
    assert h[['source', 'status', 'message']].fillna('').values.tolist() == [['a', 'unchanged', ''], ['b', 'broken', 'not XML']]
    assert len(st.fetch_log('a')) == 2

def test_mixed_extra_tags_and_placeholder_dates_read_back(tmp_path):
    st = Store(tmp_path/'s.sqlite')
    st.add(to_items([dict(url='https://e.org/a', title='A', extra={'stars': 3}, published='0001-01-01T00:00:00Z'),
                     dict(url='https://e.org/b', title='B')], source='blog', kind='post'))
    st.tag('url:https://e.org/a', ['x'])
    df = st.items().set_index('key')
    assert df.loc['url:https://e.org/a', 'extra'] == {'stars': 3} and df.loc['url:https://e.org/b', 'extra'] == {}
    assert df.loc['url:https://e.org/a', 'tags'] == ['x'] and df.loc['url:https://e.org/b', 'tags'] == []
    assert df.published.isna().all()
