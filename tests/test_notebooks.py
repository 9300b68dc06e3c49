"Run every notebook in nbs/ through nbdev's tester, so pytest covers the notebooks too."
import os, pytest
from pathlib import Path
from nbdev.test import test_nb as run_nb
from nbdev.config import get_config
from mlnews_nb.testserver import fixtures_dir

NBS = sorted(p for p in (Path(__file__).resolve().parents[1]/'nbs').glob('*.ipynb') if not p.name.startswith('_'))

@pytest.mark.parametrize('nb', NBS, ids=[p.name for p in NBS])
def test_notebook(nb, monkeypatch, tmp_path):
    if 'fixtures_dir' in nb.read_text(encoding='utf-8') and fixtures_dir(required=False) is None:
        msg = f'{nb.name} reads the shared captures, which are missing (set MLNEWS_FIXTURES or put shared/ beside the project)'
        if os.environ.get('CI') == 'true': pytest.fail(msg)
        pytest.skip(msg)
    monkeypatch.setenv('MLNEWS_HOME', str(tmp_path/'home'))
    monkeypatch.chdir(nb.parent)
    ok, _ = run_nb(nb, skip_flags=get_config().tst_flags.split(), do_print=False)
    assert ok, f'{nb.name} failed: run `nbdev-test nbs/{nb.name}` to see the failing cell'
