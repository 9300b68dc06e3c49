"The polite HTTP layer against a real local server: cache/304, error statuses, Retry-After, faults, politeness, replay."
import socket, threading, time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
import pytest
from mlnews_nb.core import SourceError
from mlnews_nb.net import Http, HostPolicy, replay, record, http as default_http
from mlnews_nb.testserver import FixtureServer

def test_second_fetch_is_a_304_and_served_from_cache(server, http):
    server.add('/f.xml', b'<rss/>')
    a, b = http.get(server.url('/f.xml')), http.get(server.url('/f.xml'))
    assert (a.from_cache, b.from_cache, b.revalidated, b.content) == (False, True, True, b'<rss/>')
    assert [e['status'] for e in server.log] == [200, 304]
    assert server.log[1]['headers']['If-None-Match'] == a.headers['ETag']

def test_fresh_cache_costs_no_request(server, http):
    server.add('/fresh', b'x', headers={'Cache-Control': 'max-age=600'})
    http.get(server.url('/fresh')); r = http.get(server.url('/fresh'))
    assert r.from_cache and len(server.log) == 1

@pytest.mark.parametrize('status,health', [(404, 'moved'), (410, 'moved'), (403, 'blocked'), (401, 'blocked'), (400, 'broken')])
def test_error_statuses_fail_at_once_with_health(server, http, status, health):
    server.add('/e', b'no', status=status)
    with pytest.raises(SourceError) as ei: http.get(server.url('/e'))
    assert (ei.value.status, ei.value.health) == (status, health)
    assert len(server.log) == 1 and http.slept == []

@pytest.mark.parametrize('form', ['seconds', 'http-date'])
def test_429_retry_after_both_forms_honoured(server, http, form):
    when = '7' if form == 'seconds' else format_datetime(datetime.now(timezone.utc) + timedelta(seconds=7), usegmt=True)
    server.add('/r', b'fine', faults=[dict(status=429, headers={'Retry-After': when})])
    assert http.get(server.url('/r')).content == b'fine'
    assert len(http.slept) == 1 and 5.0 <= http.slept[0] <= 7.0

@pytest.mark.parametrize('form', ['seconds', 'http-date'])
def test_retry_after_past_the_cap_fails_and_says_when(server, http, form):
    when = '7200' if form == 'seconds' else format_datetime(datetime.now(timezone.utc) + timedelta(hours=2), usegmt=True)
    server.add('/r', b'', status=429, headers={'Retry-After': when})
    with pytest.raises(SourceError, match='retry after') as ei: http.get(server.url('/r'))
    assert ei.value.health == 'blocked' and ei.value.retry_at > datetime.now(timezone.utc) + timedelta(minutes=110)
    assert len(server.log) == 1

def test_503_then_success_with_backoff(server, http):
    server.add('/s', b'ok', faults=[dict(status=503), dict(status=502)])
    assert http.get(server.url('/s')).content == b'ok'
    assert len(server.log) == 3 and len(http.slept) == 2 and http.slept[1] > http.slept[0]

def test_persistent_503_is_broken(server, http):
    "A server that answered with a 5xx is at fault (`broken`), not out of reach: `unreachable` is for DNS, refused, reset, timeouts."
    server.add('/s', b'', status=503)
    with pytest.raises(SourceError) as ei: http.get(server.url('/s'))
    assert ei.value.health == 'broken' and ei.value.status == 503 and len(server.log) == http.retries + 1

def test_read_timeout(server):
    h = Http(':memory:', policies={}, timeout=(1, 0.3), retries=1); h.sleep = lambda s: None
    server.add('/slow', b'late', delay=1.0)
    with pytest.raises(SourceError, match='Timeout') as ei: h.get(server.url('/slow'))
    assert ei.value.health == 'unreachable' and isinstance(ei.value.__cause__, Exception)

def test_refused_connection(http):
    s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()   # a port nobody listens on
    with pytest.raises(SourceError, match='ConnectionError') as ei: http.get(f'http://127.0.0.1:{port}/x')
    assert ei.value.health == 'unreachable'

def test_dropped_connection_is_retried(server, http):
    server.add('/d', b'back', faults=[dict(drop=True)])
    assert http.get(server.url('/d')).content == b'back'

def test_truncated_body_is_retried_then_broken_with_the_bytes_that_arrived(server, http):
    server.add('/t', b'x' * 10000, faults=[dict(truncate=0.5)] * 10)
    with pytest.raises(SourceError, match='cut short') as ei: http.get(server.url('/t'))
    assert ei.value.health == 'broken' and ei.value.bytes == 5000 and '5,000 of 10,000 bytes arrived' in ei.value.message

def test_oversized_body_is_refused(server):
    h = Http(':memory:', policies={}, max_bytes=1000)
    server.add('/big', b'x' * 5000)
    with pytest.raises(SourceError, match='cap') as ei: h.get(server.url('/big'))
    assert ei.value.health == 'broken'

def test_oversized_streamed_body_without_length_stops_at_cap(server):
    "A chunked body with no Content-Length is cut off while streaming, not read to the end."
    import http.server
    class H(http.server.BaseHTTPRequestHandler):
        sent = 0
        def log_message(self, *a): pass
        def do_GET(self):
            self.send_response(200); self.send_header('Transfer-Encoding', 'chunked'); self.end_headers()
            try:
                for _ in range(1000):
                    chunk = b'y' * 4096
                    self.wfile.write(b'%x\r\n%s\r\n' % (len(chunk), chunk)); H.sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError): pass
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    h = Http(':memory:', policies={}, max_bytes=50_000)
    with pytest.raises(SourceError, match='cap'): h.get(f'http://127.0.0.1:{srv.server_address[1]}/')
    srv.shutdown()
    assert H.sent < 4_000_000

def test_redirect_loop(server, http):
    server.add('/loop', b'', status=302, headers={'Location': '/loop'})
    with pytest.raises(SourceError, match='redirect') as ei: http.get(server.url('/loop'))
    assert ei.value.health == 'moved'

def test_permanent_redirect_is_reported(server, http):
    server.add('/old', b'', status=301, headers={'Location': '/new'}); server.add('/new', b'here')
    r = http.get(server.url('/old'))
    assert r.content == b'here' and r.moved_to == '/new'

def test_one_bad_host_does_not_stop_the_others(http):
    with FixtureServer() as good, FixtureServer() as bad:
        for i in range(5): good.add(f'/{i}', str(i))
        bad.add('/x', b'', status=500)
        urls = [good.url(f'/{i}') for i in range(5)] + [bad.url('/x'), 'http://127.0.0.1:9/nothing']
        res = http.get_many(urls)
    assert [r.content for r in res[:5]] == [b'0', b'1', b'2', b'3', b'4']
    assert [type(r) for r in res[5:]] == [SourceError, SourceError]

def test_politeness_seen_from_the_server():
    "A host allowing one connection and 0.3 s between requests never sees two at once nor two closer than that."
    with FixtureServer(latency=0.05) as slow, FixtureServer(latency=0.05) as other:
        for i in range(6): slow.add(f'/{i}', b'a'); other.add(f'/{i}', b'b')
        h = Http(':memory:', policies={'127.0.0.1': HostPolicy(1, 0.3)})
        # both servers are 127.0.0.1; give the second host a different name so it is a different host
        urls = [slow.url(f'/{i}') for i in range(6)] + [f'http://localhost:{other.port}/{i}' for i in range(6)]
        t0 = time.monotonic(); res = h.get_many(urls); wall = time.monotonic() - t0
    assert all(not isinstance(r, SourceError) for r in res)
    assert slow.max_overlap() == 1 and slow.min_gap() >= 0.3
    assert other.max_overlap() > 1            # the other host ran in parallel
    assert wall < 6 * 0.05 + 5 * 0.3 + 1.5

def test_offline_serves_cache_and_fails_clearly_otherwise(server, tmp_path):
    server.add('/c', b'cached')
    Http(tmp_path/'c.sqlite').get(server.url('/c'))
    off = Http(tmp_path/'c.sqlite', offline=True)
    assert off.get(server.url('/c')).content == b'cached'
    with pytest.raises(SourceError, match='offline') as ei: off.get(server.url('/other'))
    assert ei.value.health == 'unreachable'
    assert len(server.log) == 1

def test_record_then_replay_without_network(server, tmp_path):
    server.add('/a.json', '{"a": 1}'); server.add('/b.xml', b'<x/>')
    with record(tmp_path/'rec', cache=':memory:', policies={}):
        default_http().get(server.url('/a.json')); default_http().get(server.url('/b.xml?q=1'))
    server.stop()
    with replay(tmp_path/'rec'):
        assert default_http().get(server.url('/a.json')).json() == {'a': 1}
        assert default_http().get(server.url('/b.xml?q=1')).content == b'<x/>'
        with pytest.raises(SourceError, match='not recorded') as ei: default_http().get(server.url('/never'))
        assert ei.value.health == 'unrecorded'

def test_replay_reads_the_shared_url_index(fix):
    with replay(fix):
        r = default_http().get('https://huggingface.co/api/daily_papers?date=2024-05-27')
        assert r.content == (fix/'hf_daily_papers'/'daily_papers_2024-05-27.json').read_bytes()
        with pytest.raises(SourceError) as ei:   # recorded with its real status: 400
            default_http().get('https://export.arxiv.org/api/query?search_query=&id_list=abc&sortBy=relevance&sortOrder=descending&start=0&max_results=100')
        assert ei.value.status == 400

def test_user_agent_names_package_version_and_url(server, http):
    import mlnews_nb
    server.add('/ua', b'')
    http.get(server.url('/ua'))
    ua = server.log[0]['headers']['User-Agent']
    assert ua.startswith(f'mlnews_nb/{mlnews_nb.__version__}') and 'https://' in ua

def test_credentials_never_reach_the_cache(server, tmp_path):
    import sqlite3
    server.add('/private', b'data')
    Http(tmp_path/'c.sqlite').get(server.url('/private'), headers={'Authorization': 'Bearer SECRET-TOKEN-123'})
    raw = b''.join(bytes(v) if isinstance(v, (bytes, memoryview)) else str(v).encode() for t in ('responses', 'redirects')
                   for row in sqlite3.connect(tmp_path/'c.sqlite').execute(f'SELECT * FROM {t}') for v in row if v is not None)
    assert b'data' in raw or len(raw) > 0
    assert b'SECRET-TOKEN-123' not in raw

def test_unresolvable_host_fails_at_once_without_retries(http):
    "A DNS failure (offline, or a domain gone) is not retried: it says so, and costs no backoff."
    with pytest.raises(SourceError, match='cannot resolve') as ei: http.get('http://no-such-host.invalid/feed.xml')
    assert ei.value.health == 'unreachable' and http.slept == []
