"""The triage widget in a real JupyterLab in a real browser (Playwright over Debian's /usr/bin/chromium).

Serves a temp copy of nbs/80_tutorial_triage.ipynb, runs all cells, then as a user would: types a summary and saves, twice, skips
one, undoes it, and checks the store (opened from this test) holds exactly those decisions; exports CSV; and checks that the
hostile items in the queue ran no script and opened no dialog. Recipe and pitfalls: shared/docs/TOOLCHAIN.md section 4.
"""
import json, os, re, shutil, socket, subprocess, sys, time, urllib.request
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

@pytest.fixture
def lab(tmp_path, fix):
    "A fresh JupyterLab on 127.0.0.1 serving a copy of the tutorial, with MLNEWS_HOME in tmp; yields (url, home)"
    _need_browser()
    root, home = tmp_path/'root', Path(os.environ['MLNEWS_HOME'])
    root.mkdir(); home.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT/'nbs'/'80_tutorial_triage.ipynb', root/'tutorial.ipynb')
    cfg = tmp_path/'cfg'
    (cfg/'labconfig').mkdir(parents=True)
    (cfg/'labconfig'/'page_config.json').write_text(json.dumps({'disabledExtensions': {'@jupyterlab/apputils-extension:announcements': True}}))
    ts = cfg/'lab'/'user-settings'/'@jupyterlab'/'notebook-extension'; ts.mkdir(parents=True)
    (ts/'tracker.jupyterlab-settings').write_text(json.dumps({'autoStartDefaultKernel': True}))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(cfg), JUPYTER_DATA_DIR=str(tmp_path/'data'), JUPYTER_RUNTIME_DIR=str(tmp_path/'rt'),
               IPYTHONDIR=str(tmp_path/'ipy'), MLNEWS_HOME=str(home), MLNEWS_FIXTURES=str(fix), MLNEWS_INTERACTIVE='1')
    # the venv's share/jupyter (widget and ipyevents front ends) must stay on the data path
    env['JUPYTER_PATH'] = str(Path(sys.prefix)/'share'/'jupyter')
    port = _free_port()
    log = open(tmp_path/'lab.log', 'w')
    proc = subprocess.Popen([sys.executable, '-m', 'jupyterlab', '--allow-root', '--no-browser', f'--port={port}', '--ServerApp.ip=127.0.0.1',
                             f'--IdentityProvider.token={TOKEN}', f'--ServerApp.root_dir={root}', '--LabApp.extension_manager=readonly',
                             '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate'],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    url = f'http://127.0.0.1:{port}'
    try:
        for _ in range(120):
            if proc.poll() is not None: pytest.fail(f'jupyter lab exited: {(tmp_path/"lab.log").read_text()[-2000:]}')
            try:
                if urllib.request.urlopen(f'{url}/api/status?token={TOKEN}', timeout=1).status == 200: break
            except OSError: time.sleep(0.25)
        else: pytest.fail('jupyter lab did not answer within 30 s')
        yield url, home
    finally:
        proc.terminate()
        try: proc.wait(10)
        except subprocess.TimeoutExpired: proc.kill()
        log.close()


@pytest.mark.timeout(240)
def test_triage_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright, expect
    from mlnews_nb.store import Store
    from mlnews_nb.export import cli_export
    url, home = lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    dialogs, notes = [], ['Swaps the ViT for ConvNeXt; 576 tokens at 1536px. Try it on scans.', 'Second pick: worth a skim <b>really</b>.']
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(str(Path(home).parent/'profile'), executable_path=CHROMIUM, headless=True, args=ARGS,
                                                   viewport={'width': 1280, 'height': 1000})
        ctx.set_default_timeout(60_000)
        page = ctx.new_page()
        page.on('dialog', lambda d: (dialogs.append(d.message), d.dismiss()))
        page.add_locator_handler(page.locator('.jp-Dialog', has_text='Select Kernel'),
                                 lambda d: d.get_by_role('button', name='Select Kernel').click())
        try:
            page.goto(f'{url}/lab/tree/tutorial.ipynb?reset&token={TOKEN}')
            page.locator('.jp-StatusBar-TextItem', has_text=re.compile(r'\| Idle$')).wait_for()   # the kernel really exists
            page.locator('.lm-MenuBar-itemLabel', has_text='Run').first.click()
            page.get_by_role('menuitem', name='Run All Cells').first.click()
            widgets = page.locator('.mlnews-triage')
            expect(widgets).to_have_count(2, timeout=90_000)
            w = widgets.nth(0)
            expect(w.locator('.mlnews-card')).to_be_visible()
            n = int(re.search(r'of (\d+)', w.locator('.mlnews-face').inner_text()).group(1))
            titles = []
            for i, note in enumerate(notes):                                  # type a summary, save; twice
                titles.append(w.locator('.mlnews-card h3').inner_text())
                w.locator('textarea').fill(note)
                w.get_by_role('button', name='Save', exact=True).click()
                expect(w.locator('.mlnews-face')).to_contain_text(f'{i + 2} of {n}, {i + 1} saved')
            skipped = w.locator('.mlnews-card h3').inner_text()
            w.get_by_role('button', name='Skip', exact=True).click()
            expect(w.locator('.mlnews-face')).to_contain_text(f'4 of {n}, 2 saved, 1 skipped')
            w.get_by_role('button', name='Undo', exact=True).click()
            expect(w.locator('.mlnews-face')).to_contain_text(f'3 of {n}, 2 saved')
            expect(w.locator('.mlnews-card h3')).to_have_text(skipped)       # undo brought the skipped card back

            # the hostile cards: rendered, as text, with nothing executable in the DOM
            evil = widgets.nth(1)
            expect(evil.locator('.mlnews-card h3')).to_contain_text('onerror=')
            evil.locator('.mlnews-card').hover()
            evil.get_by_role('button', name='Next', exact=True).click()
            expect(evil.locator('.mlnews-card h3')).to_contain_text('<svg onload')
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
            assert dialogs == [], dialogs
            page.screenshot(path=str(ARTIFACTS/'triage_jupyterlab.png'), full_page=True)
        except Exception:
            page.screenshot(path=str(ARTIFACTS/'triage_jupyterlab_failure.png'), full_page=True)
            raise
        finally:
            ctx.close()

    # the store, opened from the test, holds exactly these decisions
    st = Store()
    assert str(st.path).startswith(str(home))
    saved = st.items(state='saved').drop_duplicates('key')
    assert sorted(' '.join(t.split()) for t in saved.title) == sorted(' '.join(t.split()) for t in titles)
    assert sorted(saved.note) == sorted(notes)
    assert st.items(state=['skipped', 'later', 'read']).empty
    d = st.decisions()
    assert sorted(d.field) == ['note', 'note', 'state', 'state'] and set(d.new) == {'saved', *notes}
    assert d.undone.sum() == 0 and st.decisions(include_undone=True).undone.sum() == 2   # the skip and its reversal

    out = home/'saved.csv'
    assert cli_export(['--format', 'csv', '--state', 'saved', '-o', str(out)], store=st) == 0
    rows = pd.read_csv(out, keep_default_na=False)
    assert sorted(rows.key) == sorted(saved.key) and sorted(rows.note) == sorted(notes)
    assert (rows.state == 'saved').all()
