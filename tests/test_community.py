"Reddit, Hacker News and social feeds against the local server serving the real captures."
import json
from pathlib import Path
import pandas as pd
import pytest
from mlnews_nb.core import SourceError, check_items
from mlnews_nb.community import reddit_top, hn_stories, hn_list, hn_list_result, hn_items, flair, social_feed, mastodon_url

def test_reddit_feed_rss2_and_atom(fix, server, http):
    for f in ('rss-parser_reddit_home.atom.xml', 'rss-parser_reddit_front.rss.xml'):
        server.add('/r/MachineLearning/top/.rss', fix/'reddit'/f)
        df = check_items(reddit_top(base=server.base, http=http))
        raw = (fix/'reddit'/f).read_text()
        assert len(df) == max(raw.count('<entry>'), raw.count('<item>')), f
        assert df.key.str.startswith('reddit:').all() and df.kind.eq('discussion').all()
    assert 't=week' in server.log[-1]['path']

def test_reddit_oauth_listing_and_no_leak(fix, server, http, monkeypatch):
    cas = json.loads((fix/'reddit'/'praw_cassettes'/'TestSubredditListings.test_top.json').read_text())
    server.add('/api/v1/access_token', cas['interactions'][0]['response']['body']['string'], ctype='application/json')
    lst = fix/'reddit'/'listing_json'/'TestSubredditListings.test_hot.listing.json'
    server.add('/r/askreddit/top', lst)
    monkeypatch.setenv('MLNEWS_REDDIT_CLIENT_ID', 'cid-123'); monkeypatch.setenv('MLNEWS_REDDIT_CLIENT_SECRET', 'sec-456')
    df = check_items(reddit_top('askreddit', base=server.base, oauth_base=server.base, http=http))
    kids = [c['data'] for c in json.loads(lst.read_text())['data']['children']]
    assert df.key.tolist() == [f"reddit:{k['id']}" for k in kids]
    assert df.score.tolist() == [k['score'] for k in kids]
    dump = df.to_json(date_format='iso') + repr([(r.request.headers, r.headers) for r in http.session.cache.responses.values()])
    assert 'sec-456' not in dump and '<ACCESS_TOKEN>' not in dump
    server.add('/api/v1/access_token', b'{"error": "invalid_grant"}', status=401, ctype='application/json')
    with pytest.raises(SourceError, match='credentials') as e: reddit_top('askreddit', base=server.base, oauth_base=server.base, http=http)
    assert e.value.health == 'blocked'

def test_reddit_empty_listing(fix):
    from mlnews_nb.community import _reddit_listing
    d = json.loads((fix/'reddit'/'listing_json'/'TestListingGenerator.test_no_items.listing.json').read_text())
    assert len(_reddit_listing(d, 'x')) == 0

def test_flair():
    assert [flair(t) for t in ['[R] a', '[N]b', 'c [D]', '']] == ['R', 'N', None, None]

ALGOLIA = 'hackernews/algolia/search_by_date_query-nodejs_2017-09.json'   # the real capture: its origin states no licence

def test_hn_algolia_fields(fix, server, http):
    "On every Algolia answer held: the real capture where ../shared exists, and always a hand-written one (tests/data/community)"
    held = [p for p in (Path(fix, ALGOLIA), DATA/'community'/'hn_algolia_search_by_date_handwritten.json') if p.exists()]
    for k, f in enumerate(held):
        server.add(f'/a{k}/search_by_date', f)
        hits = json.loads(f.read_text())['hits']
        now = pd.Timestamp(max(h['created_at_i'] for h in hits), unit='s', tz='UTC') + pd.Timedelta('1D')
        df = check_items(hn_stories(['nodejs', 'node'], min_points=1, base=server.base + f'/a{k}', http=http, now=now))
        stories = [h for h in hits if h.get('title')]
        assert stories, f.name
        assert df.key.tolist() == [f"hn:{h['objectID']}" for h in stories], f.name  # two queries, same hits: merged
        assert df.title.tolist() == [h['title'] for h in stories]
        assert df.score.tolist() == [h['points'] for h in stories] and df.comments.tolist() == [h['num_comments'] for h in stories]
        assert all('points%3E%3D1' in e['path'] for e in server.log[-2:])

def test_hn_firebase_lists(fix, server, http):
    items = json.loads((fix/'hackernews'/'firebase'/'hntitlenator_showstories.json').read_text())
    server.add('/v0/showstories.json', json.dumps([x['id'] for x in items] + [999]), ctype='application/json')
    for x in items: server.add(f"/v0/item/{x['id']}.json", json.dumps(x), ctype='application/json')
    res = hn_list_result('show', limit=len(items) + 1, base=server.base + '/v0', http=http); df = check_items(res.items)
    assert df.score.tolist() == [x['score'] for x in items]          # the missing item 999 does not sink the list
    assert res.outcome.message.startswith(f'1 of {len(items) + 1} items failed')

def test_hn_links_to_papers_and_code():
    df = hn_items([dict(id=1, type='story', title='Paper', url='https://arxiv.org/abs/2401.00001v3', score=10, time=1700000000),
                   dict(id=2, type='story', title='Code', url='https://github.com/Org/Repo', score=5, time=1700000000),
                   dict(id=3, type='comment', text='x'), dict(id=4, type='story', deleted=True)])
    assert df.links_to.tolist() == [['arxiv:2401.00001'], ['url:https://github.com/org/repo']]

def test_social_feed(fix, server, http):
    server.add('/profile/someone.bsky.social/rss', fix/'blog_feeds'/'lilianweng_tag_auto-ml.xml')
    from mlnews_nb import community
    df = community.read_feed(community.bluesky_url('someone.bsky.social', base=server.base), kind='social', http=http)
    assert len(df) == (fix/'blog_feeds'/'lilianweng_tag_auto-ml.xml').read_text().count('<item>') and df.kind.eq('social').all()
    with pytest.raises(ValueError): mastodon_url('not-a-handle')

DATA = Path(__file__).parent/'data'
SOCIAL = DATA/'social'
RSS = 'application/rss+xml; charset=utf-8'

def _serve_social(server):
    server.add('/profile/ada.bsky.social/rss', SOCIAL/'bluesky_profile.rss', ctype=RSS)
    server.add('/@grace.rss', SOCIAL/'mastodon_user.rss', ctype=RSS)
    server.add('/tags/machinelearning.rss', SOCIAL/'mastodon_tag.rss', ctype=RSS)

def _xml_items(path):
    from lxml import etree
    return etree.fromstring(path.read_bytes()).findall('channel/item')

def test_bluesky_profile_feed(server, http):
    _serve_social(server)
    df = social_feed('ada.bsky.social', base=server.base, http=http)
    xs = _xml_items(SOCIAL/'bluesky_profile.rss')
    assert df.url.tolist() == [x.findtext('link') for x in xs]
    assert [e['guid'] for e in df.extra] == [x.findtext('guid') for x in xs]
    assert df.published.tolist() == [pd.Timestamp(x.findtext('pubDate'), tz='UTC') for x in xs]   # '18 Nov 2024 17:40 +0000'
    assert df.kind.eq('social').all() and df.source.eq('ada.bsky.social').all()
    assert df.authors.tolist() == [['@ada.bsky.social']] * 3
    assert df.title[0] == xs[0].findtext('description') and pd.isna(df.title[2])   # a post without text has no title
    assert df.links_to[0] == ['arxiv:2411.01234'] and df.links_to[1] == []          # a paper cited as bare text
    assert df.summary[1] == 'Giving a talk on evals & benchmarks at the workshop tomorrow <3'
    assert server.log[-1]['path'] == '/profile/ada.bsky.social/rss'

def test_mastodon_user_and_tag_feeds(server, http):
    _serve_social(server)
    me = social_feed('@grace@sigmoid.social', base=server.base, http=http)
    assert me.url.tolist() == [x.findtext('link') for x in _xml_items(SOCIAL/'mastodon_user.rss')]
    assert me.authors.tolist() == [['@grace@sigmoid.social']] * 2
    assert me.links_to.tolist() == [['arxiv:2506.01234'], ['openreview:Xyz789abc']]
    assert me.title[0].startswith('Our paper on calibration is out:') and me.categories[0] == ['machinelearning']
    assert '<script' not in me.summary_html[1] and 'alert' not in me.summary_html[1]
    tag = social_feed('#machinelearning@sigmoid.social', base=server.base, http=http)
    assert tag.authors.tolist() == [['@grace@sigmoid.social'], ['@linus_ml@mastodon.social']]
    assert tag.links_to.tolist() == [['arxiv:2506.01234'], ['arxiv:2506.04321']]
    assert tag.published[1] == pd.Timestamp('2025-06-09 19:45', tz='UTC')

def test_follow_people_end_to_end(server, http):
    from mlnews_nb.registry import follow
    from mlnews_nb.refresh import fetch_all
    _serve_social(server)
    people = pd.DataFrame([dict(name='Ada Example', bluesky='ada.bsky.social', mastodon=None, blog=None),
                           dict(name='Grace Example', bluesky=None, mastodon='@grace@sigmoid.social',
                                blog=server.add('/grace/feed.xml', Path(__file__).parent/'data'/'feeds'/'rss10.rdf'))])
    srcs = follow(people, bluesky=server.base, mastodon=server.base)
    assert [s.name for s in srcs] == ['ada-example-bluesky', 'grace-example-mastodon', 'grace-example-blog']
    items, health = fetch_all(srcs, since=None, http=http)
    assert health.status.tolist() == ['ok', 'ok', 'ok'], health.message.tolist()
    assert items.groupby('source').size().to_dict() == {'ada-example-bluesky': 3, 'grace-example-mastodon': 2, 'grace-example-blog': 2}
    assert set(items.kind[items.source != 'grace-example-blog']) == {'social'}
    assert 'arxiv:2411.01234' in items.links_to[items.source == 'ada-example-bluesky'].iloc[0]
