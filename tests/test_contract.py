"The promises every module keeps: fetchers answer in the item contract, and importing stays light."
import subprocess, sys, json
import pytest

HEAVY = ['ipywidgets', 'matplotlib', 'sklearn', 'duckdb', 'ipyevents', 'bibtexparser']
FRAMES = ['pandas', 'pyarrow']      # heavy too, but the fetching modules need them: only `import mlnews_nb` and `--help` avoid them

def _imported(code, heavy=HEAVY + FRAMES):
    out = subprocess.run([sys.executable, '-c', code + f'\nimport sys, json; print(json.dumps([m for m in {heavy!r} if m in sys.modules]))'],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])

def test_import_mlnews_nb_is_light():
    assert _imported('import mlnews_nb') == []

LIGHT = ['core', 'net', 'store', 'feeds', 'community', 'arxiv', 'papers', 'registry', 'refresh', 'conferences', 'works', 'rank', 'digest', 'cli']

def test_fetching_and_ranking_modules_do_not_pull_widgets_or_plots():
    "Imported one after the other in one process: the first module that pulls a heavy one is named."
    code = ('import importlib, sys\nculprits = {}\n'
            f'for m in {LIGHT!r}:\n'
            '    importlib.import_module("mlnews_nb." + m)\n'
            f'    for h in {HEAVY!r}:\n'
            '        if h in sys.modules and h not in culprits: culprits[h] = m\n'
            'print(culprits)')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == '{}', out

def test_cli_help_imports_nothing_heavy():
    assert _imported('from mlnews_nb.cli import main; import io; main([], out=io.StringIO())', HEAVY) == []

def test_cli_help_imports_no_frames():
    assert _imported('from mlnews_nb.cli import main\ntry: main(["--help"])\nexcept SystemExit: pass', FRAMES) == []

def test_cli_verb_help_and_a_typo_import_no_frames():
    "Every verb's `--help` and a mistyped verb answer before the library (pandas, pyarrow) is imported"
    code = ('import io, contextlib\nfrom mlnews_nb.cli import main, VERBS\n'
            'for v in [*VERBS, "frobnicate"]:\n'
            '    try:\n'
            '        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()): main([v, "--help"])\n'
            '    except SystemExit: pass\n'
            'with contextlib.redirect_stderr(io.StringIO()): assert main(["frobnicate"]) == 2')
    assert _imported(code, FRAMES) == []

def test_every_fetcher_answers_in_the_contract_even_when_empty():
    from mlnews_nb.core import check_items, empty_items, to_items, ITEM_COLS
    from mlnews_nb.feeds import parse_feed
    from mlnews_nb.community import hn_items
    from mlnews_nb.papers import parse_daily_papers
    from mlnews_nb.store import Store
    empty_rss = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    for df in (empty_items(), to_items([]), parse_feed(empty_rss, source='x'), hn_items([]), parse_daily_papers([], 'https://huggingface.co/api/daily_papers'),
               Store(':memory:').items()[ITEM_COLS]):
        check_items(df)
        assert len(df) == 0
