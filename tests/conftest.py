"""Shared pytest fixtures: the local replay server, the captures, an isolated MLNEWS_HOME, no real sleeping.

Captures: `fix` is the captures folder. Where `../shared/fixtures` exists (every developer machine and CI) it is that folder;
in a fresh clone without it, `fix` is `tests/data/captures`, the captures whose licence lets us copy them (MIT, BSD, Apache,
CC; see the README in each folder). A test that asks `fix` for a capture that is not committed (its origin states no licence,
or it is GPL) is skipped there, unless a file of the same shape stands in for it (`STAND_INS`: a licensed capture, or a small
hand-written file in tests/data that says so) and the test reads what it checks from the file. A test that checks what only
the original holds is listed in `ORIGINAL_ONLY` and skipped up front; a test over whole folders reads the committed subset
(`committed_only`). The run ends with one line saying how many tests were not run and why. Every test that uses `fix` carries
the `captures` marker (added here, so new tests get it too): `pytest -m 'not captures'` runs the rest.
"""
import os, pytest
from pathlib import Path
from mlnews_nb.testserver import FixtureServer

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT/'tests'/'data'/'captures'
NOT_COMMITTED = 'needs a capture kept outside the repository (its origin states no licence, or it is GPL)'

def shared_captures() -> Path|None:
    "The shared captures: `$MLNEWS_FIXTURES` if set, else `shared/fixtures` beside the project root; None if missing"
    env = os.environ.get('MLNEWS_FIXTURES')
    p = Path(env) if env else ROOT.parent/'shared'/'fixtures'
    return p if p.is_dir() and p.resolve() != CAPTURES.resolve() else None

SHARED = shared_captures()
# notebooks and helpers read captures through `mlnews_nb.testserver.fixtures_dir()`, which only reads this variable
os.environ['MLNEWS_FIXTURES'] = str(SHARED or CAPTURES)

# In a fresh clone, a licensed capture of the same shape stands in for an uncommitted one where the test reads its values from
# the file (counts, titles, dates) rather than from what it knows of that capture: real RSS 2.0 blog feeds for real RSS 2.0 blog feeds.
STAND_INS = {'blog_feeds/colah_rss_2019.xml': 'blog_feeds_2026/listeningpost_openai-news_2026-08-20_trimmed6.xml',
             'blog_feeds/lilianweng_index_2026.xml': 'blog_feeds_2026/listeningpost_deepmind_2026-08-20_trimmed6.xml'}
STAND_INS.update({
    # RSS 2.0 with a pubDate on every item, read by tests that take dates, links and counts from the file
    'newsletter_feeds_derived/leontloveless_deepmind-blog.xml': 'blog_feeds_2026/listeningpost_deepmind_2026-08-20_trimmed6.xml',
    'newsletter_feeds_derived/ati_the-batch.xml': 'blog_feeds_2026/listeningpost_deepmind_2026-08-20_trimmed6.xml',
    'blog_feeds/lilianweng_tag_auto-ml.xml': 'blog_feeds_2026/listeningpost_deepmind_2026-08-20_trimmed6.xml',
    # Atom for Atom (the third-party rebuild of OpenAI's feed): feedparser's corpus file, a real 15-entry Atom feed
    'newsletter_feeds_derived/mibuhand_openai_research.atom.xml': 'feed_edge_cases/feedparser_large_atom_feed_that_needs_css_sanitisation.xml',
    # where no licensed capture has the shape, a small hand-written file of that shape in tests/data (each says it is hand-written)
    'blog_feeds/colah_tag_type_theory_empty.xml': '../feeds/empty_channel.rss',
    'blog_feeds/lilianweng_tag_reinforcement-learning.xml': '../feeds/rss10.rdf',
    'opml/subhajit-paul_ml.opml': '../opml/handwritten_ml_feeds.opml',
    'openreview/fedebotu_iclr2023_20230210.csv': '../openreview/iclr2023_after_handwritten.csv',
    'hackernews/algolia/scout-cpu_personal-news-feed_hn_search_by_date_2026-08-02.json':
        '../community/hn_algolia_2026_stories_handwritten.json'})
# tests that check what only the original holds (a CJK summary, a known count, a paper only that capture cites): no stand-in,
# and in a fresh clone they are skipped before they start (they could read a licensed week and then fail on what it lacks)
ORIGINAL_ONLY = {'test_bibtex_round_trip_on_captures', 'test_one_work_with_all_its_mentions',
                 'test_opml_read_and_round_trip[subhajit-paul_ml.opml-11-1.0]'}
_running = {'test': ''}   # the running test's name (set by `_which_test`)

class Committed(type(Path())):
    "`tests/data/captures` as a path that skips the test when asked for a capture that is not committed (or its stand-in)"
    def __truediv__(self, key):
        p = Path(self, key)
        if p.is_dir(): return Committed(p)
        if p.exists(): return p
        rel = p.relative_to(CAPTURES).as_posix()
        if rel in STAND_INS and _running['test'] not in ORIGINAL_ONLY: return (CAPTURES/STAND_INS[rel]).resolve()
        if any(k.startswith(rel + '/') for k in STAND_INS): return Absent(p)
        pytest.skip(f'{NOT_COMMITTED}: {rel}')

class Absent(Committed):
    "A folder that is not committed but holds a stand-in: listing it skips the test"
    def _skip(self, *a, **k): pytest.skip(f'{NOT_COMMITTED}: {self.relative_to(CAPTURES)}')
    glob = rglob = iterdir = read_text = read_bytes = _skip

def committed_only(fix, folders, pattern='*.xml') -> list[Path]:
    "The files matching `pattern` in `folders`: all of them where ../shared exists; in a fresh clone, those in the committed folders"
    fs = [f for d in folders if Path(fix, d).is_dir() for f in sorted(Path(fix, d).glob(pattern))]
    if not fs: pytest.skip(f'{NOT_COMMITTED}: {", ".join(folders)}')
    return fs

def pytest_configure(config):
    config.addinivalue_line('markers', 'captures: reads captures through `fix`; skipped in a fresh clone when the capture is not committed')

def pytest_collection_modifyitems(config, items):
    for it in items:
        if 'fix' in getattr(it, 'fixturenames', ()): it.add_marker('captures')

def pytest_terminal_summary(terminalreporter):
    if SHARED is not None: return
    n = sum(1 for r in terminalreporter.stats.get('skipped', []) if 'captures' in r.keywords or NOT_COMMITTED in str(r.longrepr))
    if n: terminalreporter.write_line(f'{n} tests not run: they need captures whose origin states no licence (or GPL), kept '
                                      'outside the repository in ../shared/fixtures (CI has them; set MLNEWS_FIXTURES to run them here)')

@pytest.fixture(autouse=True)
def _which_test(request):
    "Remember the running test's name, for STAND_INS"
    _running['test'] = getattr(request.node, 'originalname', request.node.name)
    if request.node.name in ORIGINAL_ONLY: _running['test'] = request.node.name     # one case of a parametrized test
    if SHARED is None and _running['test'] in ORIGINAL_ONLY:
        _running['test'] = ''
        pytest.skip(f'{NOT_COMMITTED}: the test checks what only the original capture holds')
    yield
    _running['test'] = ''

@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    "Every test gets its own MLNEWS_HOME: cache, store and config never touch the user's."
    monkeypatch.setenv('MLNEWS_HOME', str(tmp_path/'home'))
    yield

@pytest.fixture(scope='session')
def fix() -> Path:
    "The captures folder: ../shared/fixtures if present, else the committed copies (missing ones skip); fails under CI=true"
    if SHARED is not None: return SHARED
    if os.environ.get('CI') == 'true': pytest.fail('shared captures not found (set MLNEWS_FIXTURES or put shared/ beside the project)')
    return Committed(CAPTURES)

@pytest.fixture
def server():
    "A FixtureServer on 127.0.0.1, stopped after the test."
    with FixtureServer() as s: yield s

@pytest.fixture
def http():
    "An Http with an in-memory cache, default politeness off, and sleeps recorded instead of slept."
    from mlnews_nb.net import Http
    h = Http(':memory:', policies={})
    h.slept = []
    h.sleep = h.slept.append
    return h
