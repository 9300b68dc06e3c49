"hf_daily_papers against the local server serving every captured day (2024-2026), plus paging, periods, trending and faults."
import json
from urllib.parse import urlsplit, parse_qs
import pandas as pd, pytest
from mlnews_nb.core import SourceError, check_items
from mlnews_nb.papers import hf_daily_papers, hf_daily_papers_result, hf_trending_papers

BROKEN = 'daily_papers_2025-01-02.json'   # the archiving bot wrote Python reprs as strings

def days(fix): return sorted(p for p in (fix/'hf_daily_papers').glob('daily_papers_*.json') if p.name != BROKEN)

@pytest.fixture
def hf(server, fix):
    server.add_urls(fix/'URLS.tsv', hosts=('huggingface.co',))
    return server

def test_every_captured_day_parses(hf, http, fix):
    years = set()
    for p in days(fix):
        d = p.stem.split('_')[-1]
        res = hf_daily_papers_result(d, http=http, base=hf.url('/api/daily_papers')); df = check_items(res.items)
        raw = json.loads(p.read_bytes())
        papers = [x['paper'] for x in raw]
        assert df.arxiv_id.tolist() == [x['id'] for x in papers], p.name
        assert df.key.tolist() == [f"arxiv:{x['id']}" for x in papers]
        assert df.score.tolist() == [x['upvotes'] for x in papers]
        assert df.comments.tolist() == [x['numComments'] for x in raw]
        assert df.published.tolist() == [pd.Timestamp(x['publishedAt']) for x in papers]
        assert str(df.published.dt.tz) == 'UTC'
        assert df.authors.tolist() == [[a['name'] for a in x['authors']] for x in papers]
        assert df.keywords.tolist() == [[k for k in x.get('ai_keywords', []) if k] for x in papers]   # empty strings dropped
        assert [e['github_stars'] for e in df.extra] == [x.get('githubStars') for x in papers]
        assert [e['github_repo'] for e in df.extra] == [x.get('githubRepo') for x in papers]
        assert [e['ai_summary'] for e in df.extra] == [x.get('ai_summary') for x in papers]
        assert df.title.tolist() == [' '.join(x['title'].split()) for x in papers]
        assert (df.source == 'hf_daily').all() and res.outcome.health == 'ok' and res.outcome.http_status == 200
        years.add(d[:4])
    assert years == {'2024', '2025', '2026'}

def test_python_repr_day_is_broken_not_a_crash(hf, http, fix):
    raw = json.loads((fix/'hf_daily_papers'/BROKEN).read_bytes())
    assert all(isinstance(x, str) for x in raw)
    with pytest.raises(SourceError, match='not JSON objects') as e: hf_daily_papers('2025-01-02', http=http, base=hf.url('/api/daily_papers'))
    assert e.value.health == 'broken' and f'{len(raw)} of {len(raw)}' in str(e.value)

def test_non_json_body_is_broken(server, http):
    server.add('/api/daily_papers', b"<html>Bad gateway</html>", ctype='text/html')
    with pytest.raises(SourceError, match='not JSON') as e: hf_daily_papers('2024-01-01', http=http, base=server.url('/api/daily_papers'))
    assert e.value.health == 'broken'
    server.add('/api/daily_papers', b'{"error": "Invalid date"}', ctype='application/json')
    with pytest.raises(SourceError, match='Invalid date'): hf_daily_papers('2024-01-01', http=http, base=server.url('/api/daily_papers'))

def test_empty_day_is_quiet(server, http):
    server.add('/api/daily_papers', b'[]', ctype='application/json')
    res = hf_daily_papers_result('2024-12-25', http=http, base=server.url('/api/daily_papers'))
    assert len(check_items(res.items)) == 0 and res.outcome.health == 'quiet'

def test_pagination(server, http, fix):
    big = json.loads((fix/'hf_daily_papers/daily_papers_2026-06-01.json').read_bytes())   # 49 papers
    pages = {'0': big[:20], '1': big[20:40], '2': big[40:]}
    server.add('/api/daily_papers', handler=lambda q: (200, {'Content-Type': 'application/json'}, json.dumps(pages[q['p']])))
    df = hf_daily_papers('2026-06-01', limit=20, http=http, base=server.url('/api/daily_papers'))
    assert df.arxiv_id.tolist() == [x['paper']['id'] for x in big]
    assert [parse_qs(urlsplit(e['path']).query)['p'] for e in server.log] == [['0'], ['1'], ['2']]

@pytest.mark.parametrize('period,param,value', [('week', 'week', '2025-W40'), ('month', 'month', '2025-10'), ('day', 'date', '2025-10-01')])
def test_periods(server, http, fix, period, param, value):
    body = (fix/'hf_daily_papers/daily_papers_2025-10-01.json').read_bytes()
    server.add('/api/daily_papers', handler=lambda q: (200, {}, body))
    hf_daily_papers('2025-10-01', period=period, http=http, base=server.url('/api/daily_papers'))
    assert parse_qs(urlsplit(server.log[0]['path']).query) == {param: [value]}

def test_trending(server, http, fix):
    body = (fix/'hf_daily_papers/daily_papers_2025-10-01.json').read_bytes()
    server.add('/api/daily_papers', handler=lambda q: (200, {}, body))
    df = hf_trending_papers(http=http, base=server.url('/api/daily_papers'))
    assert parse_qs(urlsplit(server.log[0]['path']).query) == {'sort': ['trending']}
    assert len(df) == len(json.loads(body))

def test_bad_arguments():
    with pytest.raises(ValueError, match='period'): hf_daily_papers('2024-01-01', period='year')
    with pytest.raises(ValueError, match='sort'): hf_daily_papers(sort='hot')

def test_blocked(server, http):
    server.add('/api/daily_papers', b'', status=429, headers={'Retry-After': '9999'})
    with pytest.raises(SourceError) as e: hf_daily_papers('2024-01-01', http=http, base=server.url('/api/daily_papers'))
    assert e.value.health == 'blocked' and e.value.retry_at is not None
