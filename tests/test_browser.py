"""The triage widget in a real browser (Playwright over Debian's /usr/bin/chromium), in JupyterLab and in Notebook 7.

One Jupyter server for the module: `jupyter notebook` (Notebook 7), which also loads the JupyterLab extension, so it serves both
/lab/tree/<file> and /tree, /notebooks/<file>. Each test serves its own copy of nbs/80_tutorial_triage.ipynb with a first cell that
points MLNEWS_HOME at the test's own folder, runs all cells, then acts as a user would: types a summary and clicks Save, twice;
skips one and undoes it; types a summary with the keyboard (letters that are also shortcuts: nothing happens), then with the
focus on the card presses `s` (save) and `k` (skip). The store, opened from the test, must hold exactly those decisions; CSV export
checks the rows; the hostile items in the queue must have run no script and opened no dialog. Then (issue 14): after a shortcut,
the search box filters as you type and on Enter; a key on a decided card (state filter "saved") changes nothing and says so; and a
reload with Run All opens the queue on the card where the user stopped. Screenshots go to tests/artifacts/.
Recipe and pitfalls: shared/docs/TOOLCHAIN.md section 4.
"""
import json, os, re, socket, subprocess, sys, time, urllib.request
from pathlib import Path
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = '/usr/bin/chromium'
ARTIFACTS = ROOT/'tests'/'artifacts'
TOKEN = 'test'
ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync']

def _need_browser():
    why = None
    if not Path(CHROMIUM).exists(): why = f'{CHROMIUM} not found (apt-get install chromium)'
    else:
        try: import playwright.sync_api  # noqa: F401
        except ImportError: why = 'playwright is not installed'
    if why:
        if os.environ.get('CI') == 'true': pytest.fail(why)
        pytest.skip(why)

def _free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def _get(url:str, timeout:float=2):
    with urllib.request.urlopen(url, timeout=timeout) as r: return json.loads(r.read())

@pytest.fixture(scope='module')
def jupyter(tmp_path_factory):
    "One `jupyter notebook` server on 127.0.0.1 for the module (it serves /lab too); yields (url, root dir)"
    _need_browser()
    from conftest import SHARED, CAPTURES
    fix = SHARED or CAPTURES   # the tutorial replays only captures whose licence lets them be committed (tests/data/captures)
    tmp = tmp_path_factory.mktemp('jupyter')
    root, cfg = tmp/'root', tmp/'cfg'
    root.mkdir()
    (cfg/'labconfig').mkdir(parents=True)
    (cfg/'labconfig'/'page_config.json').write_text(json.dumps({'disabledExtensions': {'@jupyterlab/apputils-extension:announcements': True}}))
    for app in ('lab', 'notebook'):      # Notebook 7 reads its settings from its own user-settings folder
        ts = cfg/app/'user-settings'/'@jupyterlab'/'notebook-extension'; ts.mkdir(parents=True)
        (ts/'tracker.jupyterlab-settings').write_text(json.dumps({'autoStartDefaultKernel': True}))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(cfg), JUPYTER_DATA_DIR=str(tmp/'data'), JUPYTER_RUNTIME_DIR=str(tmp/'rt'),
               IPYTHONDIR=str(tmp/'ipy'), MLNEWS_FIXTURES=str(fix), MLNEWS_INTERACTIVE='1', MLNEWS_HOME=str(tmp/'server_home'))
    env['JUPYTER_PATH'] = str(Path(sys.prefix)/'share'/'jupyter')   # the venv's widget and ipyevents front ends
    port = _free_port()
    log = open(tmp/'server.log', 'w')
    proc = subprocess.Popen([sys.executable, '-m', 'notebook', '--allow-root', '--no-browser', f'--port={port}', '--ServerApp.ip=127.0.0.1',
                             f'--IdentityProvider.token={TOKEN}', f'--ServerApp.root_dir={root}', '--LabApp.extension_manager=readonly',
                             '--JupyterNotebookApp.extension_manager=readonly',
                             '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    url = f'http://127.0.0.1:{port}'
    try:
        end = time.monotonic() + 120     # a busy machine starts the server slowly: wait up to 2 minutes
        while True:
            if proc.poll() is not None: pytest.fail(f'jupyter notebook exited: {(tmp/"server.log").read_text()[-2000:]}')
            try:
                if urllib.request.urlopen(f'{url}/api/status?token={TOKEN}', timeout=1).status == 200: break
            except OSError: time.sleep(0.25)
            if time.monotonic() > end: pytest.fail('jupyter notebook did not answer within 120 s')
        yield url, root
    finally:
        proc.terminate()
        try: proc.wait(10)
        except subprocess.TimeoutExpired: proc.kill()
        log.close()

def _serve_copy(root:Path, name:str, home:Path) -> str:
    "A copy of the tutorial whose first cell points MLNEWS_HOME at `home` (a test's own store); returns its file name"
    import nbformat
    nb = nbformat.read(ROOT/'nbs'/'80_tutorial_triage.ipynb', as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(f'import os; os.environ["MLNEWS_HOME"] = {str(home)!r}  # added by the browser test'))
    nbformat.write(nb, root/name)
    return name

def _wait_idle_kernel(url:str, name:str, timeout:float=60):
    "Wait until the server has a session for notebook `name` whose kernel is idle (the status bar can read idle too early)"
    end = time.time() + timeout
    while time.time() < end:
        try:
            for s in _get(f'{url}/api/sessions?token={TOKEN}'):
                if s.get('path', '').endswith(name) and (s.get('kernel') or {}).get('execution_state') == 'idle': return
        except OSError: pass
        time.sleep(0.25)
    raise TimeoutError(f'no idle kernel for {name} within {timeout} s')

def _flow(page, url:str, name:str):
    "Run all, then decide as a user with mouse and keyboard; returns what the store must hold"
    from playwright.sync_api import expect
    _wait_idle_kernel(url, name)
    page.wait_for_timeout(300)
    page.locator('.lm-MenuBar-itemLabel', has_text='Run').first.click()
    page.get_by_role('menuitem', name='Run All Cells').first.click()
    widgets = page.locator('.mlnews-triage')
    expect(widgets).to_have_count(2, timeout=90_000)
    w = widgets.nth(0)
    face, card = w.locator('.mlnews-face'), w.locator('.mlnews-card')
    expect(card).to_be_visible()
    n = int(re.search(r'of (\d+)', face.inner_text()).group(1))
    title = lambda: card.locator('h3').inner_text()
    saved, notes = [], ['Swaps the ViT for ConvNeXt; 576 tokens at 1536px. Try it on scans.', 'Second pick: worth a skim <b>really</b>.']
    for i, note in enumerate(notes):                                  # type a summary, click Save; twice
        saved.append(title())
        w.locator('textarea').fill(note)
        w.get_by_role('button', name='Save (s)', exact=True).click()
        expect(face).to_contain_text(f'{i + 2} of {n}, {i + 1} saved')
        expect(card.locator('h3')).not_to_have_text(saved[-1])        # the next card is drawn (face and card update apart)
    skipped_then_undone = title()
    w.get_by_role('button', name='Skip (k)', exact=True).click()
    expect(face).to_contain_text(f'4 of {n}, 2 saved, 1 skipped')
    w.get_by_role('button', name='Undo (u)', exact=True).click()
    expect(face).to_contain_text(f'3 of {n}, 2 saved')
    expect(card.locator('h3')).to_have_text(skipped_then_undone)    # undo brought the skipped card back

    # the keyboard: typing a summary made of shortcut letters (s, k, l, r, j, p, u) triggers nothing...
    typed = 'skip? no: useful plots, read later'
    w.locator('textarea').click()
    page.keyboard.type(typed)
    page.wait_for_timeout(700)                                        # time for a (wrong) round trip to the kernel
    expect(face).to_contain_text(f'3 of {n}, 2 saved')
    assert 'skipped' not in face.inner_text()
    expect(w.locator('textarea')).to_have_value(typed)
    # ...while with the focus on the card, `s` saves (with the typed summary) and `k` skips
    saved.append(title()); notes.append(typed)
    card.hover()
    expect(page.locator('.mlnews-face.ipyevents-watched')).to_have_count(1)
    assert page.evaluate("document.activeElement.classList.contains('mlnews-face')"), 'the card does not have the focus'
    page.keyboard.press('s')
    expect(face).to_contain_text(f'4 of {n}, 3 saved')
    expect(card.locator('h3')).not_to_have_text(saved[-1])
    key_skipped = title()
    page.keyboard.press('k')
    expect(face).to_contain_text(f'5 of {n}, 3 saved, 1 skipped')

    # the search box after a shortcut: it filters as you type and on Enter, with no blur in between
    word = max(re.findall(r'[A-Za-z]{5,}', title()), key=len)
    search = w.locator('input[placeholder^="search"]')
    search.click(); page.keyboard.type(word); page.keyboard.press('Enter')
    expect(face).not_to_contain_text(f'of {n},')
    expect(w.locator('.mlnews-card')).to_contain_text(word, ignore_case=True)
    assert 'of 0' not in face.inner_text()
    search.fill(''); page.keyboard.press('Enter')
    expect(face).to_contain_text(f'of {n - 4},')                     # a new filter: only what is still to decide

    # a key on a decided card: the state stays, the status says so
    states = w.locator('select').nth(2)
    states.select_option('saved')
    expect(face).to_contain_text('of 3, 3 saved')
    card.hover(); page.keyboard.press('k')
    expect(w).to_contain_text('is already saved')
    expect(face).to_contain_text('3 saved')
    assert 'skipped' not in face.inner_text()

    # resume: back to what is still to decide, one card on, then a new session opens on that card
    states.select_option('new')
    expect(face).to_contain_text(f'of {n - 4},')
    before = title()
    card.hover(); page.keyboard.press('j')
    expect(card.locator('h3')).not_to_have_text(before)
    stopped = title()
    states.select_option('(all)')                                      # this widget now shows everything (its own position)...
    expect(face).to_contain_text(f'of {n}, 3 saved, 1 skipped')
    page.locator('.lm-MenuBar-itemLabel', has_text='Run').first.click()  # ...and Run All builds a new queue from the store
    page.get_by_role('menuitem', name='Run All Cells').first.click()
    first = page.locator('.mlnews-triage').nth(0)
    expect(first.locator('.mlnews-face')).to_contain_text(f'of {n - 4}, 0 saved', timeout=90_000)   # decided works are out
    expect(first.locator('.mlnews-card h3')).to_have_text(stopped)    # and it opens where the user stopped
    expect(page.locator('.mlnews-triage')).to_have_count(2, timeout=90_000)
    widgets = page.locator('.mlnews-triage')

    # the hostile cards: rendered, as text, with nothing executable in the DOM
    evil = widgets.nth(1)
    hostile = re.compile(r'onerror=|<svg onload')                   # which comes first is the learned order's choice
    expect(evil.locator('.mlnews-card h3')).to_contain_text(hostile)
    other = '<svg onload' if 'onerror=' in evil.locator('.mlnews-card h3').inner_text() else 'onerror='
    evil.locator('.mlnews-card').hover()
    evil.get_by_role('button', name='Next (j) →', exact=True).click()
    expect(evil.locator('.mlnews-card h3')).to_contain_text(other)
    page.wait_for_timeout(500)
    risky = page.evaluate("""() => {
        const out = [];
        for (const el of document.querySelectorAll('.mlnews-card, .mlnews-card *')) {
            if (['SCRIPT','IFRAME','SVG','OBJECT','EMBED'].includes(el.tagName.toUpperCase())) out.push(el.tagName);
            for (const a of el.attributes) {
                if (a.name.startsWith('on') || a.name === 'srcdoc') out.push(el.tagName + '[' + a.name + ']');
                if (['href','src'].includes(a.name) && /^\\s*(javascript|data|vbscript):/i.test(a.value)) out.push(el.tagName + '[' + a.name + ']');
            }
        }
        return out; }""")
    assert risky == [], risky
    assert page.evaluate('window.__pwned') is None, 'a hostile summary ran script'
    return dict(saved=saved, notes=notes, skipped=key_skipped)

def _check_store(home:Path, want:dict):
    "The store, opened from the test, holds exactly the decisions made in the browser; the CSV export has those rows"
    from mlnews_nb.store import Store
    from mlnews_nb.cli import cli_export
    st = Store(home/'data'/'store.sqlite')
    norm = lambda t: ' '.join(t.split())
    saved = st.items(state='saved').drop_duplicates('key')
    assert sorted(norm(t) for t in saved.title) == sorted(norm(t) for t in want['saved'])
    assert sorted(saved.note) == sorted(want['notes'])
    skipped = st.items(state='skipped').drop_duplicates('key')
    assert [norm(t) for t in skipped.title] == [norm(want['skipped'])]
    assert st.items(state=['later', 'read']).empty
    d = st.decisions()
    assert sorted(d.field) == ['note'] * 3 + ['state'] * 4 and set(d.new) == {'saved', 'skipped', *want['notes']}
    assert d.undone.sum() == 0 and st.decisions(include_undone=True).undone.sum() == 2   # the first skip and its reversal
    out = home/'saved.csv'
    assert cli_export(['--format', 'csv', '--state', 'saved', '-o', str(out)], store=st) == 0
    rows = pd.read_csv(out, keep_default_na=False)
    assert sorted(rows.key) == sorted(saved.key) and sorted(rows.note) == sorted(want['notes'])
    assert (rows.state == 'saved').all()
    st.close()

def _browser(p, profile:Path):
    ctx = p.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, headless=True, args=ARGS,
                                               viewport={'width': 1280, 'height': 1000})
    ctx.set_default_timeout(60_000)
    page = ctx.new_page()
    dialogs = []
    page.on('dialog', lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_locator_handler(page.locator('.jp-Dialog', has_text='Select Kernel'),
                             lambda d: d.get_by_role('button', name='Select Kernel').click())
    return ctx, page, dialogs

def _run_flow(jupyter, tmp_path, copy:str, shot:str, open_notebook):
    "Serve a copy of the tutorial, open it with `open_notebook(page, url, name)`, run the user flow, screenshot, check the store"
    from playwright.sync_api import sync_playwright
    url, root = jupyter
    home = Path(os.environ['MLNEWS_HOME'])
    name = _serve_copy(root, copy, home)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        ctx, page, dialogs = _browser(p, tmp_path/'profile')
        try:
            open_notebook(page, url, name)
            want = _flow(page, url, name)
            assert dialogs == [], dialogs
            page.locator('.mlnews-triage').first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS/f'{shot}.png'), full_page=True)
        except Exception:
            page.screenshot(path=str(ARTIFACTS/f'{shot}_failure.png'), full_page=True)
            raise
        finally:
            ctx.close()
    _check_store(home, want)

def _open_lab(page, url:str, name:str):
    page.goto(f'{url}/lab/tree/{name}?reset&token={TOKEN}')
    page.locator('.jp-StatusBar-TextItem', has_text=re.compile(r'\| Idle$')).wait_for()   # the kernel really exists
    assert page.locator('.jp-LabShell').count() == 1

def _open_nb7(page, url:str, name:str):
    from playwright.sync_api import expect
    page.goto(f'{url}/tree?token={TOKEN}')
    expect(page.locator('.jp-DirListing-itemText', has_text=name)).to_be_visible(timeout=60_000)   # Notebook 7's file browser
    page.goto(f'{url}/notebooks/{name}?token={TOKEN}')
    expect(page.locator('.jp-NotebookPanel')).to_be_visible()
    assert '/notebooks/' in page.url and page.locator('.jp-LabShell').count() == 0     # not JupyterLab

@pytest.mark.timeout(240)
def test_triage_in_jupyterlab(jupyter, tmp_path):
    _run_flow(jupyter, tmp_path, 'tutorial_lab.ipynb', 'triage_jupyterlab', _open_lab)

@pytest.mark.timeout(240)
def test_triage_in_notebook7(jupyter, tmp_path):
    "The same flow in the Notebook 7 interface: the file browser at /tree, the notebook at /notebooks/<file>"
    _run_flow(jupyter, tmp_path, 'tutorial_nb7.ipynb', 'triage_notebook7', _open_nb7)
