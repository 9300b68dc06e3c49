"""The refresh against loopback faults (issue 11 §1-3, §5-7 registry and CLI edges): every fault gets its health word, a healthy
source beside it keeps all its items, a dripping and a silent host cannot hold a refresh, a Retry-After is remembered across runs,
replay is strict, and `fetch`/`weekly`/`health` share one exit rule.

The healthy bodies are real captures from ../shared/fixtures. The faults are hand-written on purpose: a 5xx, a cut-off body, a
host that drips one byte every 0.2 s (`drip`), one that accepts and says nothing (`silent`), a 429 with Retry-After; no capture can
hold those, and they are the behaviours that cost real refreshes minutes (the testserver's `drip`/`silent` faults)."""
import contextlib, io, json, socket, sqlite3, time
from pathlib import Path
import pandas as pd, pytest
from mlnews_nb import net
from mlnews_nb.core import SourceError, check_items
from mlnews_nb.net import Http, FetchResult, FetchOutcome, replay
from mlnews_nb.testserver import FixtureServer
from mlnews_nb.registry import Source, add_source, save_sources, load_sources, DEFAULT_SOURCES
from mlnews_nb.refresh import fetch_all, refresh_verdict
from mlnews_nb.cli import cli_sources
from mlnews_nb.store import Store
from mlnews_nb.cli import main

LIL = 'blog_feeds/lilianweng_index_2026.xml'

def n_items(fix, rel): return (fix/rel).read_text(encoding='utf-8').count('<item>')

def _free_port():
    s = socket.socket(); s.bind(('127.0.0.1', 0)); p = s.getsockname()[1]; s.close(); return p

@pytest.fixture
def h():
    "An Http whose retries cost no real sleeping (waits are recorded), with a short per-request read timeout"
    x = Http(':memory:', policies={}, timeout=(2, 5)); x.slept = []; x.sleep = x.slept.append; return x

def test_every_fault_gets_its_word_and_the_healthy_source_keeps_all_its_items(fix, server, h, tmp_path):
    limited = FixtureServer().start()   # its own host: a Retry-After speaks for the host that sent it
    server.add('/lil.xml', fix/LIL)
    server.add('/moved.xml', b'', status=301, headers={'Location': '/lil.xml'})
    server.add('/gone.xml', b'', status=410)
    server.add('/error.xml', b'', status=500)
    server.add('/cut.xml', fix/LIL, faults=[dict(truncate=0.5)] * 10)
    limited.add('/feed.xml', b'', status=429, headers={'Retry-After': '3600'})
    srcs = [Source('healthy', url=server.url('/lil.xml')), Source('moved', url=server.url('/moved.xml')),
            Source('gone', url=server.url('/gone.xml')), Source('error', url=server.url('/error.xml')),
            Source('cut', url=server.url('/cut.xml')), Source('limited', url=limited.url('/feed.xml')),
            Source('refused', url=f'http://127.0.0.1:{_free_port()}/feed.xml')]
    with Store(tmp_path/'s.sqlite') as st:
        items, health = fetch_all(srcs, since=None, http=h, store=st)
        hs = health.set_index('source')
        assert hs.status.to_dict() == dict(healthy='ok', moved='moved', gone='moved', error='broken', cut='broken', limited='blocked', refused='unreachable')
        assert (items.source == 'healthy').sum() == n_items(fix, LIL) == hs.loc['healthy', 'items']
        size = (fix/LIL).stat().st_size
        assert f'{size // 2:,} of {size:,} bytes arrived' in hs.loc['cut', 'message']                       # not "after 0 bytes"
        assert hs.loc['error', 'http_status'] == 500 and 'server-side' in hs.loc['error', 'message']
        assert hs.loc['healthy', 'http_status'] == 200 and hs.loc['healthy', 'bytes'] == size
        assert 'retry after' in hs.loc['limited', 'message']
        # the second run, in a new session: the store remembers the hour; the host is not contacted, the source says so
        n = len(limited.log)
        _, h2 = fetch_all(srcs[-2:-1], since=None, http=Http(':memory:', policies={}), store=st)
        assert len(limited.log) == n and h2.status[0] == 'blocked' and h2.message[0].startswith('blocked until')
        assert pd.isna(h2.http_status[0])                                                                 # no request, no status
    limited.stop()

def test_a_dripping_and_a_silent_host_cannot_hold_the_refresh(fix, server, h):
    server.add('/lil.xml', fix/LIL)
    server.add('/drip.xml', fix/LIL, faults=[dict(drip=0.2)] * 5)
    server.add('/silent.xml', fix/LIL, faults=[dict(silent=30)] * 5)
    srcs = [Source('healthy', url=server.url('/lil.xml')), Source('drip', url=server.url('/drip.xml')), Source('silent', url=server.url('/silent.xml'))]
    t0 = time.monotonic()
    items, health = fetch_all(srcs, since=None, http=h, deadline=1.5, refresh_deadline=20)
    wall = time.monotonic() - t0
    hs = health.set_index('source')
    assert hs.status.to_dict() == dict(healthy='ok', drip='unreachable', silent='unreachable')
    assert len(items) == n_items(fix, LIL)
    for s in ('drip', 'silent'): assert 'within the 1.5 s deadline' in hs.loc[s, 'message'], hs.loc[s, 'message']   # says what it was given
    assert hs.loc['silent', 'elapsed'] >= 1.0                                   # the time it cost, not 0.0
    assert wall < 15, wall   # a hang guard (without deadlines this took minutes), not a speed measurement

def test_the_refresh_deadline_bounds_a_source_with_a_long_deadline_of_its_own(server, h):
    server.add('/silent.xml', b'<rss/>', faults=[dict(silent=30)] * 5)
    _, health = fetch_all([Source('slow', url=server.url('/silent.xml'), deadline=60)], since=None, http=h, refresh_deadline=1.5)
    assert health.status[0] == 'unreachable' and 'deadline' in health.message[0]

def test_sources_add_on_a_dripping_url_is_bounded(server, h, tmp_path):
    server.add('/', b'<html><head><title>x</title></head></html>' * 40, ctype='text/html', faults=[dict(drip=0.2)] * 20)
    with pytest.raises(SourceError) as e: add_source(server.url('/'), path=tmp_path/'s.toml', http=h, deadline=1.5)
    assert e.value.health == 'unreachable' and 'deadline' in e.value.message
    assert not (tmp_path/'s.toml').exists()

def test_first_fetch_after_sources_add_is_not_unchanged(fix, server, tmp_path, monkeypatch):
    server.add('/feed.xml', fix/LIL)
    cfg, db = tmp_path/'sources.toml', tmp_path/'s.sqlite'
    save_sources([], cfg)
    with net.use_http(Http(tmp_path/'cache.sqlite', policies={})):
        assert cli_sources(['--config', str(cfg), 'add', server.url('/feed.xml')], out=io.StringIO()) == 0
        out = io.StringIO()
        assert main(['fetch', '--config', str(cfg), '--since', 'all', '--store', str(db)], out=out) == 0, out.getvalue()
        assert server.log[-1]['status'] == 304                                   # the cache answered: add_source had fetched it
        name = load_sources(cfg)[0].name
        row = [l for l in out.getvalue().splitlines() if l.strip().startswith(name)][0]
        assert ' ok ' in row, row                                                # new to the user: not `unchanged`
        out = io.StringIO(); main(['fetch', '--config', str(cfg), '--since', 'all', '--store', str(db)], out=out)
        assert ' unchanged ' in [l for l in out.getvalue().splitlines() if l.strip().startswith(name)][0]

def test_replay_is_strict_and_a_miss_is_listed_last(fix, tmp_path):
    from mlnews_nb.papers import hf_daily_papers_result
    srcs = [Source('day', 'paper', 'https://huggingface.co/api/daily_papers', 'mlnews_nb.papers:hf_daily_papers', dict(date='2026-05-16')),
            Source('recorded', 'paper', 'https://huggingface.co/api/daily_papers', 'mlnews_nb.papers:hf_daily_papers', dict(date='2024-05-27'))]
    with replay(fix):
        with pytest.raises(SourceError) as e: hf_daily_papers_result('2026-05-16')   # never another day's recording
        assert e.value.health == 'unrecorded' and 'not recorded' in e.value.message
        _, health = fetch_all(srcs, since=None)
    assert health.source.tolist() == ['recorded', 'day'] and health.status.tolist() == ['ok', 'unrecorded']
    with replay(fix, match='path'):                                                    # explicit, and said in the message
        _, health = fetch_all(srcs[:1], since=None)
    assert health.status[0] == 'ok' and 'replayed by host and path' in health.message[0]

def test_fetch_outcome_is_frozen_and_nothing_travels_in_attrs(fix, server, h, tmp_path):
    from mlnews_nb.arxiv import arxiv_listing_result
    server.add('/rss/quant-ph', fix/'arxiv_rss'/next(p.name for p in (fix/'arxiv_rss').iterdir() if 'quant' in p.name))
    r = arxiv_listing_result('quant-ph', http=h, base=server.base, state_path=tmp_path/'state.json')
    assert isinstance(r, FetchResult) and isinstance(r.outcome, FetchOutcome)
    with pytest.raises(Exception): r.outcome.health = 'ok'
    assert 'http' not in r.items.attrs and 'health' not in r.items.attrs
    assert (r.outcome.url, r.outcome.http_status) == (server.url('/rss/quant-ph'), 200) and r.outcome.bytes > 0

def test_health_table_has_status_and_bytes_for_arxiv_and_hf_and_the_declared_url(fix, server, h, tmp_path):
    from mlnews_nb.arxiv import arxiv_listing_url
    quant = next(p for p in (fix/'arxiv_rss').iterdir() if 'quant' in p.name)
    server.add('/rss/quant-ph', quant)
    server.add('/api/daily_papers', fix/'hf_daily_papers'/'daily_papers_2024-05-27.json')
    srcs = [Source('arxiv-quant-ph', 'paper', server.url('/rss/quant-ph'), 'mlnews_nb.arxiv:arxiv_listing',
                   dict(categories=['quant-ph'], base=server.base, state_path=str(tmp_path/'st.json'))),
            Source('hf', 'paper', server.url('/api/daily_papers'), 'mlnews_nb.papers:hf_daily_papers', dict(date='2024-05-27', base=server.url('/api/daily_papers')))]
    _, health = fetch_all(srcs, since=None, http=h)
    assert health.http_status.tolist() == [200, 200] and health.bytes.notna().all() and (health.bytes > 0).all()
    assert health.bytes[0] == quant.stat().st_size
    assert health.url[0] == server.url('/rss/quant-ph')                      # the URL fetched is the URL declared
    for s in DEFAULT_SOURCES:                                                 # and so in the registry
        if s.fetcher == 'mlnews_nb.arxiv:arxiv_listing': assert arxiv_listing_url(**s.args) == s.url, s.name

def test_every_source_failed_exit_rule(server, tmp_path):
    server.add('/a.xml', b'', status=500); server.add('/b.xml', b'', status=404)
    cfg, db = tmp_path/'sources.toml', tmp_path/'s.sqlite'
    save_sources([Source('a', url=server.url('/a.xml')), Source('b', url=server.url('/b.xml')),
                  Source('arch', fetcher=None, status='archive', url='https://x.org/')], cfg)
    with net.use_http(Http(':memory:', policies={}, retries=0)):
        out = io.StringIO(); rc = main(['fetch', '--config', str(cfg), '--store', str(db)], out=out)
    assert rc == 3 and out.getvalue().startswith('every source failed'), out.getvalue()
    out = io.StringIO(); assert main(['health', '--store', str(db)], out=out) == 3 and out.getvalue().startswith('every source failed')
    ok = pd.DataFrame(dict(source=['a', 'b'], status=['ok', 'broken'], elapsed=[0.1, 0.2]))
    assert refresh_verdict(ok) == (1, None) and refresh_verdict(ok.assign(status='ok')) == (0, None)

@pytest.mark.parametrize('make', ['passwd', 'foreign', 'foreign_items', 'truncated', 'typo_dir'])
def test_a_store_that_is_not_ours_is_refused_in_one_line_and_left_alone(tmp_path, make):
    p = tmp_path/'store.sqlite'
    if make == 'passwd': p.write_text('root:x:0:0:root:/root:/bin/bash\n')
    elif make in ('foreign', 'foreign_items'):
        db = sqlite3.connect(p); db.execute(f'CREATE TABLE {"items" if make == "foreign_items" else "notes"} (id INTEGER, body TEXT)')
        db.execute("INSERT INTO " + ("items" if make == "foreign_items" else "notes") + " VALUES (1, 'theirs')"); db.commit(); db.close()
    elif make == 'truncated':
        with Store(p) as s: s.db.executemany("INSERT INTO state VALUES ('n', ?, ?, '')", [(str(i), 'x' * 400) for i in range(200)])
        raw = p.read_bytes(); p.write_bytes(raw[:len(raw) // 3])
    else: p = tmp_path/'no-such-dir'/'store.sqlite'
    before = p.read_bytes() if p.exists() else None
    err = io.StringIO()
    with contextlib.redirect_stderr(err): rc = main(['health', '--store', str(p)], out=io.StringIO())
    assert rc == 2 and err.getvalue().count('\n') == 1 and err.getvalue().startswith('mlnews: error:'), err.getvalue()
    assert (p.read_bytes() if p.exists() else None) == before                 # touched nothing
    assert not (tmp_path/'no-such-dir').exists()
    assert not Path(str(p) + '-wal').exists()

def test_bad_source_name_in_toml_is_one_line(tmp_path):
    cfg = tmp_path/'sources.toml'; cfg.write_text('[[sources]]\nname = "my feed!"\nurl = "https://example.org/feed"\n')
    err = io.StringIO()
    with contextlib.redirect_stderr(err): rc = main(['fetch', '--config', str(cfg), '--store', str(tmp_path/'s.sqlite')], out=io.StringIO())
    assert rc == 2 and 'source name' in err.getvalue() and str(cfg) in err.getvalue() and err.getvalue().count('\n') == 1

def test_truncated_opml_is_an_error_and_export_keeps_only_feeds(fix, tmp_path):
    cfg = tmp_path/'sources.toml'; save_sources([], cfg)
    raw = (fix/'opml'/'subhajit-paul_ml.opml').read_bytes()
    (tmp_path/'cut.opml').write_bytes(raw[:len(raw) // 2])
    err = io.StringIO()
    with contextlib.redirect_stderr(err): rc = cli_sources(['--config', str(cfg), 'import-opml', str(tmp_path/'cut.opml')], out=io.StringIO())
    assert rc == 1 and 'not complete OPML' in err.getvalue() and load_sources(cfg) == []
    from mlnews_nb.registry import read_opml, write_opml
    x = read_opml(write_opml(DEFAULT_SOURCES).encode())
    assert not x.xml_url.str.contains('algolia|/api/|ai.meta.com/blog/$').any()

def test_hn_algolia_2026_capture(fix, server, h):
    from mlnews_nb.community import hn_stories_result
    cap = fix/'hackernews'/'algolia'/'scout-cpu_personal-news-feed_hn_search_by_date_2026-08-02.json'
    hits = json.loads(cap.read_text())['hits']
    server.add('/api/v1/search_by_date', cap)
    r = hn_stories_result(['LLM', 'machine learning'], days=2, min_points=20, base=server.url('/api/v1'), http=h, now='2026-08-03')
    df = check_items(r.items)
    assert df.key.tolist() == [f"hn:{x['objectID']}" for x in hits]                # merged across queries, each story once
    assert df.score.tolist() == [x['points'] for x in hits] and df.comments.tolist() == [x['num_comments'] for x in hits]
    assert df.published.tolist() == [pd.Timestamp(x['created_at_i'], unit='s', tz='UTC') for x in hits]
    assert r.outcome.bytes == 2 * cap.stat().st_size and r.outcome.http_status == 200
    q = [e['path'] for e in server.log]
    assert all('points%3E%3D20' in p and 'created_at_i%3E' in p for p in q)

def test_registry_follows_hf_trending_and_a_season_of_venues():
    from mlnews_nb.registry import season_venues, venue_source
    t = next(s for s in DEFAULT_SOURCES if s.name == 'hf-trending')
    assert t.fetcher == 'mlnews_nb.papers:hf_trending_papers' and t.url.endswith('?sort=trending')
    assert [s.name for s in season_venues('2026-05-20')] == ['iclr-2026', 'icml-2026']
    s = venue_source('NeurIPS', 2025); assert s.args == dict(venue='NeurIPS', year=2025, include='accepted') and s.deadline > 30
