"Shared pytest fixtures: the local replay server, the shared captures, an isolated MLNEWS_HOME, no real sleeping."
import os, pytest
from pathlib import Path
from mlnews_nb.testserver import FixtureServer, fixtures_dir

ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    "Every test gets its own MLNEWS_HOME: cache, store and config never touch the user's."
    monkeypatch.setenv('MLNEWS_HOME', str(tmp_path/'home'))
    yield

@pytest.fixture(scope='session')
def fix() -> Path:
    "The shared captures folder; skips when missing, fails under CI=true."
    p = fixtures_dir(required=False)
    if p is None:
        msg = 'shared fixtures not found (set MLNEWS_FIXTURES or put shared/ beside the project)'
        if os.environ.get('CI') == 'true': pytest.fail(msg)
        pytest.skip(msg)
    return p

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
