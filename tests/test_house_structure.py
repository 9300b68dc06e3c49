"""The house rules of issue 12, checked on the exported modules' source (read as text and AST, nothing run): the floors
of DESIGN.md one-way, every verb in `cli`, the verbs calling no private name of the library, no module reaching
`core.user_dir` through `net`, and the store's type on every parameter called `store`."""
import ast, re
from pathlib import Path
import pytest

PKG = Path(__file__).resolve().parents[1]/'mlnews_nb'
# the floors of ../shared/docs/DESIGN.md, top (imported by all) to bottom: a module imports only from its floor or above
FLOORS = [['core'], ['net', 'testserver'], ['arxiv', 'bulk', 'papers', 'feeds', 'community', 'conferences'], ['registry'],
          ['refresh'], ['store'], ['works', 'rank', 'digest', 'trends'], ['triage', 'export', 'cli'], ['all']]
FLOOR = {m: i for i, ms in enumerate(FLOORS) for m in ms}
MODULES = sorted(p.stem for p in PKG.glob('*.py') if not p.stem.startswith('_'))

def _tree(m): return ast.parse((PKG/f'{m}.py').read_text(encoding='utf-8'))

def _runtime(tree):
    "The nodes of `tree` outside `if TYPE_CHECKING:` blocks (names for signatures only, never imported when run)"
    skip = {id(x) for n in ast.walk(tree) if isinstance(n, ast.If) and ast.unparse(n.test) == 'TYPE_CHECKING'
            for b in n.body for x in ast.walk(b)}
    return [n for n in ast.walk(tree) if id(n) not in skip]

def _imports(m):
    "Every module of the package `m` imports when it runs (at the top or inside a function), with the names it takes"
    for n in _runtime(_tree(m)):
        if isinstance(n, ast.ImportFrom):
            mod = n.module or ''
            if n.level == 1 and mod: yield mod, [a.name for a in n.names]
            elif n.level == 1: yield from ((a.name, []) for a in n.names)
            elif mod.startswith('mlnews_nb.'): yield mod.split('.', 1)[1], [a.name for a in n.names]
            elif mod == 'mlnews_nb': yield from ((a.name, []) for a in n.names)

def test_every_module_has_a_floor():
    assert set(MODULES) - {'__init__'} <= set(FLOOR), set(MODULES) - set(FLOOR)

@pytest.mark.parametrize('m', MODULES)
def test_imports_go_down_the_floors(m):
    up = [(t, FLOORS[FLOOR[t]]) for t, _ in _imports(m) if t in FLOOR and FLOOR[t] > FLOOR[m]]
    assert not up, f'{m} (floor {FLOOR[m]}) imports from a higher floor: {up}'

@pytest.mark.parametrize('m', MODULES)
def test_no_private_name_taken_from_another_module(m):
    taken = [(t, n) for t, names in _imports(m) for n in names if n.startswith('_') and not n.startswith('__')]
    assert not taken, f'{m} imports private names: {taken}'

def test_every_verb_lives_in_cli():
    for m in MODULES:
        if m == 'cli': continue
        src = (PKG/f'{m}.py').read_text(encoding='utf-8')
        assert not re.search(r'ArgumentParser\(|sys\.argv|^def (cli_\w+|main)\b', src, re.M), f'a verb outside cli: {m}'

def test_cli_verbs_call_no_private_name():
    src = (PKG/'cli.py').read_text(encoding='utf-8')
    assert not re.findall(r'\b(?:[A-Z]|net|core|trends|registry|digest|rank|store)\._[a-z]\w*', src)

def test_user_dir_comes_from_core():
    hits = [m for m in MODULES if re.search(r'\bnet\.user_dir\b', (PKG/f'{m}.py').read_text(encoding='utf-8'))]
    assert not hits, hits

@pytest.mark.parametrize('m', MODULES)
def test_store_parameters_are_typed(m):
    bad = []
    for n in ast.walk(_tree(m)):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for a in n.args.posonlyargs + n.args.args + n.args.kwonlyargs:
                if a.arg == 'store' and (a.annotation is None or 'Store' not in ast.unparse(a.annotation)):
                    bad.append(f'{n.name}:{n.lineno}')
    assert not bad, f'{m}: store parameters without the Store type: {bad}'
