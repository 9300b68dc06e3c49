"The committed captures (tests/data/captures) are unchanged copies of the shared ones, and only of those whose licence allows it."
import re, hashlib, pytest
from conftest import CAPTURES

def _licences(shared):
    "MANIFEST.md's licence column, by local name"
    rows = (l.split('|') for l in (shared/'MANIFEST.md').read_text(encoding='utf-8').splitlines())
    return {c[1].strip(): c[6].strip() for c in rows if len(c) > 7}

def test_committed_captures_are_licensed_unchanged_copies(fix):
    if fix == CAPTURES or not (fix/'MANIFEST.md').exists(): pytest.skip('needs ../shared/fixtures to compare against')
    lic = _licences(fix)
    files = [p for p in CAPTURES.rglob('*') if p.is_file() and p.name not in ('README.md', 'URLS.tsv')]
    assert files
    for p in files:
        rel = p.relative_to(CAPTURES).as_posix()
        assert re.search(r'\b(MIT|BSD|Apache|CC)\b', lic.get(rel, '')), f'{rel}: licence {lic.get(rel)!r} does not allow a copy'
        assert hashlib.md5(p.read_bytes()).digest() == hashlib.md5((fix/rel).read_bytes()).digest(), f'{rel} differs from the shared capture'
        assert rel.split('/', 1)[1] in (CAPTURES/rel.split('/')[0]/'README.md').read_text(encoding='utf-8'), f'{rel} has no provenance row'

def test_committed_urls_rows_are_shared_rows(fix):
    if fix == CAPTURES: pytest.skip('needs ../shared/fixtures to compare against')
    rows = (CAPTURES/'URLS.tsv').read_text(encoding='utf-8').splitlines()
    assert len(rows) > 1 and set(rows) <= set((fix/'URLS.tsv').read_text(encoding='utf-8').splitlines())
    assert all((CAPTURES/r.split('\t')[1]).exists() for r in rows[1:])
