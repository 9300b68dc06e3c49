"""tests/data on its own (no ../shared needed): every committed capture names its origin and a licence that allows the copy, and
every other file under tests/data says it is hand-written (in its own text or in its folder's README). What a fresh clone runs
on is what these two promise."""
import re
from pathlib import Path
from conftest import CAPTURES

DATA = CAPTURES.parent
ALLOWED = re.compile(r'\b(MIT|BSD|Apache|CC)\b')
META = ('README.md', 'URLS.tsv')

def _provenance(readme:Path) -> dict[str,list[str]]:
    "file -> its row (file, service, origin repository, path in origin, commit, licence) in a captures folder's README table"
    rows = {}
    for line in readme.read_text(encoding='utf-8').splitlines():
        c = [x.strip() for x in line.strip().strip('|').split('|')]
        if line.startswith('|') and len(c) >= 6 and c[0] != 'file' and not set(c[0]) <= {'-', ':'}: rows[c[0]] = c
    return rows

def test_every_committed_capture_names_its_origin_and_an_allowed_licence():
    files = [p for p in CAPTURES.rglob('*') if p.is_file() and p.name not in META]
    assert len(files) > 50
    for p in files:
        rel = p.relative_to(CAPTURES)
        rows = _provenance(CAPTURES/rel.parts[0]/'README.md')
        row = rows.get(Path(*rel.parts[1:]).as_posix())
        assert row, f'{rel}: no provenance row in {rel.parts[0]}/README.md'
        assert '/' in row[2] and re.fullmatch(r'[0-9a-f]{7,40}', row[4]), f'{rel}: origin {row[2]!r}, commit {row[4]!r}'
        assert ALLOWED.search(row[-1]), f'{rel}: licence {row[-1]!r} does not allow a copy'

def test_committed_urls_rows_name_committed_files():
    rows = (CAPTURES/'URLS.tsv').read_text(encoding='utf-8').splitlines()
    assert rows[0].split('\t')[:2] == ['url', 'file'] and len(rows) > 1
    assert all((CAPTURES/r.split('\t')[1]).is_file() for r in rows[1:] if r.strip())

def test_every_other_data_file_says_it_is_hand_written():
    others = [p for p in DATA.rglob('*') if p.is_file() and CAPTURES not in p.parents and p.name not in META]
    assert len(others) >= 20
    for p in others:
        own = re.search(r'hand-written', p.read_bytes()[:4000].decode('utf-8', 'replace'), re.I)
        readme = p.parent/'README.md'
        text = readme.read_text(encoding='utf-8') if readme.exists() else ''
        said = p.name in text and re.search(r'hand-written', text, re.I)
        assert own or said, f'{p.relative_to(DATA)}: neither the file nor its folder README says it is hand-written'
