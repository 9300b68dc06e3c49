"""Three consecutive weeks for the acceptance run (tests/test_weeks.py) and its tutorial (nbs/81_tutorial_weeks.ipynb).

How the weeks are made: each week is one `weekly` run, a few seconds after the previous one; its window (`since`) starts when its
fetch starts, which is what `--since 7d` means when the runs are a week apart (the dates are shifted, the data is not). The items
are real captures read by the package's own parsers and fetchers:

- Hugging Face daily papers of 2026-04-01, 2026-05-01 and 2026-06-01 (`papers.parse_daily_papers`), one capture per week, plus the
  arXiv rows of the same papers (id, title, abstract, authors from the capture; version 1), as the arXiv API would list them;
- the real arXiv announcement feed `arxiv_rss/rss_quant-ph_2025-04-28.xml` and the real newsletter feed
  `newsletter_feeds_derived/ati_the-batch.xml`, both fetched by `sources.fetch_all` over HTTP from a `FixtureServer` on 127.0.0.1.

Hand-written (no capture holds them, and they must be about the papers this user decided on): the new arXiv version of a saved
paper (its arXiv row with version 2), a newsletter issue citing a saved paper, a Hacker News story (Algolia shape) about a skipped
paper, an empty Algolia answer, and arXiv's error feed for a mistyped category (the shape arXiv answers with, channel title
"Feed error for query"). Faults from week 2: a host that hangs (answers after 3 s; the client gives it 0.5 s) and a host that
answers 429 with `Retry-After: 3600` (on a server of its own: a Retry-After holds back its whole host, and the others must stay
reachable); in week 3 the user mistypes the arXiv category."""
import json, time, weakref
from pathlib import Path
import pandas as pd
from mlnews_nb.core import to_items
from mlnews_nb.net import Http
from mlnews_nb.papers import parse_daily_papers
from mlnews_nb.registry import Source
from mlnews_nb.refresh import fetch_all
from mlnews_nb.testserver import FixtureServer

HF_WEEKS = ('daily_papers_2026-04-01.json', 'daily_papers_2026-05-01.json', 'daily_papers_2026-06-01.json')
HANG = 3.0            # seconds the hanging host takes to answer
TIMEOUT = (0.5, 0.5)  # what the client gives a host (connect, read): the hanging host costs at most this

ARXIV_ERROR = """<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:atom="http://www.w3.org/2005/Atom" version="2.0"><channel>
<title>Feed error for query: {cat}</title><link>http://rss.arxiv.org/rss/{cat}</link>
<description>Invalid archive: {cat}. Valid archives are: astro-ph, cond-mat, cs, econ, eess, gr-qc, hep-ex, math, physics, q-bio, q-fin, quant-ph, stat</description>
<docs>http://www.rssboard.org/rss-specification</docs><language>en-us</language></channel></rss>"""

NEWSLETTER = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Hand-written weekly</title><link>https://weekly.example/</link><description>hand-written</description>
<item><title>Issue 7: what we read this week</title><link>https://weekly.example/issues/7</link><guid>https://weekly.example/issues/7</guid>
<pubDate>{date}</pubDate><description>&lt;p&gt;This week: &lt;a href="https://arxiv.org/abs/{aid}"&gt;{title}&lt;/a&gt;, worth your time.&lt;/p&gt;</description></item>
</channel></rss>"""

EMPTY_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Hand-written weekly</title><link>https://weekly.example/</link><description>no issue yet</description></channel></rss>"""

def hn_answer(hits:list[dict]) -> bytes:
    return json.dumps(dict(hits=hits, nbHits=len(hits), page=0, nbPages=1, hitsPerPage=200)).encode()

def arxiv_rows(hf:pd.DataFrame, version:int=1) -> pd.DataFrame:
    "The arXiv rows of the Hugging Face papers (fields from the capture), as the arXiv API lists them"
    recs = [dict(arxiv_id=r.arxiv_id, version=version, title=r.title, summary=r.summary, authors=list(r.authors), published=r.published,
                 url=f'https://arxiv.org/abs/{r.arxiv_id}') for r in hf.itertuples() if isinstance(r.arxiv_id, str)]
    return to_items(recs, source='arxiv', kind='paper')

class World:
    "The outside world of the three weeks: captures on a loopback server, and the changes that follow the user's decisions"
    def __init__(self, fix:Path, server:FixtureServer):
        self.fix, self.s = fix if isinstance(fix, Path) else Path(fix), server   # keep conftest's `fix`: it skips on an uncommitted capture
        self.busy = FixtureServer().start()   # the host that will answer 429: its own host:port
        weakref.finalize(self, self.busy.stop)
        self.http = Http(':memory:', policies={}, timeout=TIMEOUT, retries=0, max_retry_after=0)
        self.http.sleep = lambda s: None
        self.s.httpd.handle_error = lambda request, address: None   # the client gave up on the hanging host: no traceback on stderr
        self.s.add('/feeds/the-batch.xml', self.fix/'newsletter_feeds_derived'/'ati_the-batch.xml')
        self.s.add('/rss/quant-ph', self.fix/'arxiv_rss'/'rss_quant-ph_2025-04-28.xml')
        self.s.add('/hn/search_by_date', hn_answer([]), ctype='application/json')
        self.s.add('/news/feed.xml', EMPTY_FEED, ctype='application/rss+xml')
        self.s.add('/slow/feed.xml', self.fix/'blog_feeds'/'colah_rss_2019.xml')
        self.busy.add('/busy/feed.xml', self.fix/'blog_feeds'/'lilianweng_index_2026.xml')
        self.category = 'quant-ph'
        self.extra = []           # this week's hand-written items (new version)
        self.saved = self.skipped = None

    def close(self): self.busy.stop()

    def sources(self) -> list[Source]:
        b = self.s.base
        return [Source('the-batch', 'newsletter', f'{b}/feeds/the-batch.xml'),
                Source('weekly-example', 'newsletter', f'{b}/news/feed.xml'),
                Source(f'arxiv-{self.category}', 'paper', f'{b}/rss/{self.category}', 'mlnews_nb.arxiv:arxiv_listing',
                       dict(categories=[self.category], base=b)),
                Source('hn', 'discussion', f'{b}/hn/search_by_date', 'mlnews_nb.community:hn_stories', dict(base=f'{b}/hn', days=7)),
                Source('colah', 'post', f'{b}/slow/feed.xml'), Source('lilianweng', 'post', f'{self.busy.base}/busy/feed.xml')]

    def hf(self, week:int) -> pd.DataFrame:
        return parse_daily_papers(json.loads((self.fix/'hf_daily_papers'/HF_WEEKS[week - 1]).read_text()), HF_WEEKS[week - 1])

    def fetch(self, week:int):
        "The `fetch` callable `weekly` gets for `week`: the real fetchers over loopback, plus that week's Hugging Face capture"
        def f(since=None, store=None):
            hf = self.hf(week)
            items, health = fetch_all(self.sources(), since=None, http=self.http, store=store)
            local = pd.concat([hf, arxiv_rows(hf), *self.extra], ignore_index=True)
            rows = pd.DataFrame([dict(source='hf-daily-papers', status='ok', items=len(hf), message=f'{HF_WEEKS[week - 1]} (capture)')])
            return pd.concat([items, local], ignore_index=True), pd.concat([health, rows], ignore_index=True)
        return f

    def week2(self, saved:list[str], skipped:list[str], store) -> dict:
        "What happens between week 1 and 2: a saved paper gets v2, a newsletter cites another, HN discusses a skipped one, two hosts fail"
        v1 = store.items(keys=[saved[0]]); v1 = v1[v1.source == 'arxiv']
        self.extra = [v1[list(to_items([dict(title='x')], source='x').columns)].assign(version=pd.array([2], dtype='Int64'))]
        t = store.items(keys=[saved[1]]).title.iloc[0]
        self.s.add('/news/feed.xml', NEWSLETTER.format(date=pd.Timestamp.now(tz='UTC').strftime('%a, %d %b %Y %H:%M:%S +0000'),
                                                       aid=saved[1].split(':', 1)[1], title=t), ctype='application/rss+xml')
        hit = dict(objectID='48000001', title='Discussion: ' + store.items(keys=[skipped[0]]).title.iloc[0][:60],
                   url=f"https://arxiv.org/abs/{skipped[0].split(':', 1)[1]}", author='hand_written_submitter', points=230,
                   num_comments=41, created_at_i=int(time.time()) - 3600, _tags=['story'])
        self.s.add('/hn/search_by_date', hn_answer([hit]), ctype='application/json')
        self.s.add('/slow/feed.xml', self.fix/'blog_feeds'/'colah_rss_2019.xml', delay=HANG)
        self.busy.add('/busy/feed.xml', b'slow down', status=429, headers={'Retry-After': '3600'}, ctype='text/plain')
        return dict(version=saved[0], newsletter=saved[1], hn=skipped[0])

    def week3(self):
        "Week 3: nothing new about the decided works; the user mistypes the arXiv category"
        self.extra = []
        self.category = 'quant-phh'
        self.s.add(f'/rss/{self.category}', ARXIV_ERROR.format(cat=self.category), ctype='application/rss+xml')
