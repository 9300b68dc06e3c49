"Run every notebook in nbs/ through nbdev's tester, so pytest covers the notebooks too."
import pytest
from pathlib import Path
from nbdev.test import test_nb as run_nb
from nbdev.config import get_config

NBS = sorted(p for p in (Path(__file__).resolve().parents[1]/'nbs').glob('*.ipynb') if not p.name.startswith('_'))

@pytest.mark.parametrize('nb', NBS, ids=[p.name for p in NBS])
def test_notebook(nb, monkeypatch, tmp_path):
    monkeypatch.setenv('MLNEWS_HOME', str(tmp_path/'home'))
    monkeypatch.chdir(nb.parent)
    ok, _ = run_nb(nb, skip_flags=get_config().tst_flags.split(), do_print=False)
    assert ok, f'{nb.name} failed: run `nbdev-test nbs/{nb.name}` to see the failing cell'
