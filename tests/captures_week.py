"""A week's mix of items read from the shared captures by the package's own parsers and fetchers (no stand-ins), for the
works/rank tests, notebooks and benchmarks; in a fresh clone without ../shared, `licensed_week_items` (the committed captures).
`hand_items` reads the hand-written threads of `tests/data/works/` (a replay directory: each file says why it is hand-written)
through the real fetchers under `net.replay`."""
import json, tempfile
from pathlib import Path
import pandas as pd
from mlnews_nb import net
from mlnews_nb.core import SourceError
from mlnews_nb.testserver import fixtures_dir
from mlnews_nb.papers import parse_daily_papers
from mlnews_nb.arxiv import parse_api_page
from mlnews_nb.bulk import arxiv_bulk
from mlnews_nb.community import hn_items, hn_stories, reddit_top
from mlnews_nb.feeds import parse_feed, read_feed
from mlnews_nb.conferences import read_paperlist

HAND = Path(__file__).parent/'data'/'works'

def hf_items(fix:Path) -> pd.DataFrame:
    "Every Hugging Face daily papers capture through `papers.parse_daily_papers`; the one capture stored as Python reprs is refused (SourceError) and left out"
    out = []
    for f in sorted((fix/'hf_daily_papers').glob('*.json')):
        try: out.append(parse_daily_papers(json.loads(f.read_text()), str(f)))
        except SourceError: pass
    return pd.concat(out, ignore_index=True).drop_duplicates('key', ignore_index=True)

def arxiv_items(fix:Path) -> pd.DataFrame:
    "The recorded arXiv API pages (`arxiv.parse_api_page`) and the Kaggle metadata sample (`bulk.arxiv_bulk`)"
    pages = []
    for f in sorted((fix/'arxiv_api'/'recorded_body').glob('*.xml')):
        try: pages.append(parse_api_page(f.read_bytes()))
        except SourceError: pass   # the recorded HTTP 400 error feed (id_list=abc) is refused, as it should be
    api = pd.concat(pages, ignore_index=True)
    with tempfile.TemporaryDirectory() as d:
        bulk = arxiv_bulk(next((fix/'arxiv_metadata').glob('*.jsonl')), out=Path(d)/'bulk.parquet', progress=False)
    return pd.concat([api.drop_duplicates('key', keep='last'), bulk], ignore_index=True)

def feed(path:Path, source:str, kind:str) -> pd.DataFrame:
    "A captured feed through `feeds.parse_feed`"
    return parse_feed(path.read_bytes(), source=source, kind=kind)

def paperlist(fix:Path, name:str) -> pd.DataFrame:
    "A Paper Copilot list through `conferences.read_paperlist`"
    return read_paperlist(fix/'conference_lists'/'papercopilot'/name)

def week_items(fix:Path|None=None) -> pd.DataFrame:
    "HF daily papers, arXiv, newsletters, blog posts, HN top stories and two COLT lists, all through the real parsers"
    fix = fix or Path(fixtures_dir())       # keep tests/conftest.py's `fix` as it is: it skips on an uncommitted capture
    if not Path(fix, 'newsletter_feeds_derived').is_dir(): return licensed_week_items(fix)
    nl, blogs = fix/'newsletter_feeds_derived', fix/'blog_feeds'
    parts = [hf_items(fix), arxiv_items(fix),
             hn_items(json.loads((fix/'hackernews'/'firebase'/'hntitlenator_topstories.json').read_text())),
             feed(nl/'mibuhand_huggingface_daily_papers.atom.xml', 'hf_papers_feed', 'newsletter'),
             feed(nl/'ati_the-batch.xml', 'the_batch', 'newsletter'),
             feed(nl/'mibuhand_openai_research.atom.xml', 'openai_research', 'post'),
             feed(blogs/'lilianweng_index_2026.xml', 'lilianweng', 'post'),
             feed(blogs/'colah_rss_2019.xml', 'colah', 'post'),
             paperlist(fix, 'colt2024.json'), paperlist(fix, 'colt2022.json')]
    return pd.concat(parts, ignore_index=True)

def licensed_week_items(fix:Path) -> pd.DataFrame:
    """The week a fresh clone has (no ../shared): the same parsers on the captures committed in tests/data/captures, whose licence
    allows the copy. HF daily papers, arXiv and HN top stories as in `week_items`; the news feeds of OpenAI and Google DeepMind
    (2026, MIT) for the blog posts, and Reddit's front page (MIT) for a discussion source. No newsletters and no conference lists:
    no licensed capture holds them, so the tests that need those (`ORIGINAL_ONLY` in conftest.py, or a direct read) do not run."""
    b26 = Path(fix, 'blog_feeds_2026')
    parts = [hf_items(fix), arxiv_items(fix),
             hn_items(json.loads(Path(fix, 'hackernews', 'firebase', 'hntitlenator_topstories.json').read_text())),
             feed(b26/'listeningpost_openai-news_2026-08-20_trimmed6.xml', 'openai', 'post'),
             feed(b26/'listeningpost_deepmind_2026-08-20_trimmed6.xml', 'deepmind', 'post'),
             feed(Path(fix, 'reddit', 'rss-parser_reddit_front.rss.xml'), 'reddit_front', 'discussion')]
    return pd.concat(parts, ignore_index=True)

def hand_items() -> pd.DataFrame:
    "The hand-written HN story, Reddit post and newsletter issue about CARLA-Air, fetched by the real fetchers from the replay dir"
    with net.replay(HAND):
        parts = [hn_stories(days=3650), reddit_top('MachineLearning', 'week'),
                 read_feed('https://newsletter.example/feed', source='hand_newsletter', kind='newsletter')]
    return pd.concat(parts, ignore_index=True)
