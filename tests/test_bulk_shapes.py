"""Bulk metadata in the shapes people have (issue 11 §5) and the bulk extra (issue 13 §6): JSON arrays, records without versions,
DuckDB memory sized to the machine, a clear error when duckdb/pyarrow are not installed. Inputs are the captured snapshot head,
rewritten into the other shapes."""
import json, subprocess, sys, tomllib
from pathlib import Path
import pandas as pd, pytest
from mlnews_nb.core import check_items
from mlnews_nb.bulk import snapshot_to_parquet, arxiv_bulk, duckdb_memory, require_bulk, ExtraMissing

ROOT = Path(__file__).resolve().parents[1]
HEAD = 'arxiv_metadata/kaggle_snapshot_head200_wanng-ide.jsonl'

def recs(fix): return [json.loads(l) for l in (fix/HEAD).open(encoding='utf-8')]

def table(p): return pd.read_parquet(p).drop(columns=['authors_parsed', 'categories']).astype(str)

@pytest.mark.parametrize('indent', [2, None])
def test_json_array_gives_what_json_lines_give(fix, tmp_path, indent):
    arr = tmp_path/'snap.json'; arr.write_text('\n ' + json.dumps(recs(fix), indent=indent), encoding='utf-8')
    a = snapshot_to_parquet(arr, tmp_path/'a.parquet', progress=False)
    b = snapshot_to_parquet(fix/HEAD, tmp_path/'b.parquet', progress=False)
    ta, tb = table(a), table(b)
    assert len(ta) == 200 and ta.equals(tb)
    assert check_items(arxiv_bulk(arr, out=tmp_path/'c.parquet', progress=False)).arxiv_id.tolist() == \
           arxiv_bulk(fix/HEAD, out=tmp_path/'d.parquet', progress=False).arxiv_id.tolist()

@pytest.mark.parametrize('array', [False, True])
def test_record_without_versions_keeps_its_row(fix, tmp_path, array):
    rs = recs(fix)
    del rs[0]['versions']; rs[1]['versions'] = []; del rs[2]['versions']; del rs[2]['update_date']
    src = tmp_path/('s.json' if array else 's.jsonl')
    src.write_text(json.dumps(rs, indent=1) if array else ''.join(json.dumps(r) + '\n' for r in rs), encoding='utf-8')
    df = check_items(arxiv_bulk(src, out=tmp_path/'s.parquet', progress=False)).set_index('arxiv_id')
    assert len(df) == 200
    for r in rs[:2]:
        row = df.loc[r['id']]
        assert row.published == pd.Timestamp(r['update_date'], tz='UTC') and row.updated == row.published
        assert pd.isna(row.version) and 'update_date' in row.extra['note'] and row.extra['n_versions'] == 0
    assert pd.isna(df.loc[rs[2]['id']].published) and df.loc[rs[2]['id']].title   # nothing to date it by: kept, undated
    r = rs[3]; row = df.loc[r['id']]
    assert row.version == len(r['versions']) and 'note' not in row.extra

def test_not_json_names_both_shapes(tmp_path):
    from mlnews_nb.core import SourceError
    bad = tmp_path/'bad.json'; bad.write_text('[{"id": "0704.0001"}, {"id": ')
    with pytest.raises(SourceError, match='not JSON lines or a JSON array'): snapshot_to_parquet(bad, tmp_path/'b.parquet')
    assert not (tmp_path/'b.parquet').exists()

def test_duckdb_memory_sized_to_the_machine():
    assert duckdb_memory(1 << 30) == '256MB' and duckdb_memory(2 << 30) == '512MB'
    assert duckdb_memory(64 << 30) == '768MB' and duckdb_memory(512 << 20) == '256MB'
    assert int(duckdb_memory()[:-2]) in range(256, 769)

def test_missing_extra_names_it(monkeypatch, tmp_path, fix):
    monkeypatch.setitem(sys.modules, 'duckdb', None)     # what an install without the bulk extra looks like to import
    with pytest.raises(ExtraMissing, match=r"pip install 'mlnews_nb\[bulk\]'") as e: snapshot_to_parquet(fix/HEAD, tmp_path/'x.parquet')
    assert isinstance(e.value, ImportError) and 'duckdb' in str(e.value)
    monkeypatch.setitem(sys.modules, 'pyarrow', None)
    with pytest.raises(ExtraMissing, match='pyarrow'): require_bulk('pyarrow')

def test_extras_in_pyproject():
    p = tomllib.loads((ROOT/'pyproject.toml').read_text())['project']
    base = ' '.join(p['dependencies'])
    assert 'duckdb' not in base and 'pyarrow' not in base
    bulk = ' '.join(p['optional-dependencies']['bulk'])
    assert 'duckdb' in bulk and 'pyarrow' in bulk
    dev = ' '.join(p['optional-dependencies']['dev'])
    assert 'mlnews_nb[bulk]' in dev or ('duckdb' in dev and 'pyarrow' in dev)

BLOCKED = '''
import sys; sys.modules['pyarrow'] = None; sys.modules['duckdb'] = None    # an install without the bulk extra
import tempfile, pandas as pd
import mlnews_nb.all
from mlnews_nb.core import to_items
from mlnews_nb.store import Store
from mlnews_nb.works import link_works
from mlnews_nb.bulk import arxiv_bulk, ExtraMissing
items = to_items([dict(title='Attention is all you need', url='https://arxiv.org/abs/1706.03762', authors=['A. Vaswani']),
                  dict(title='A thread', url='https://news.ycombinator.com/item?id=1', kind='discussion', links_to=['arxiv:1706.03762'])],
                 source='x', kind='paper')
st = Store(tempfile.mkdtemp() + '/s.sqlite'); st.add(items)
assert len(st.items()) == 2 and len(link_works(st.items())) == 1
try: arxiv_bulk(sys.argv[1], out=tempfile.mkdtemp() + '/o.parquet', progress=False); print('no error')
except ExtraMissing as e: print('ExtraMissing', e)
assert 'pyarrow' not in sys.modules or sys.modules['pyarrow'] is None
'''

def test_the_rest_works_without_the_bulk_extra(fix):
    r = subprocess.run([sys.executable, '-c', BLOCKED, str(fix/HEAD)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.startswith('ExtraMissing') and "mlnews_nb[bulk]" in r.stdout

@pytest.mark.parametrize('broken,why', [('{"id": "0704.9999", "title": ', 'Expecting value'), ('[1, 2]', 'a JSON list, not an object'),
                                        ('not json at all', 'Expecting value')])
def test_broken_line_is_named_and_nothing_is_written(fix, tmp_path, broken, why):
    "A broken line deep in JSON lines: the error names that line (DuckDB's own count can be one past it), no Parquet is left"
    from mlnews_nb.core import SourceError
    lines = (fix/HEAD).read_text(encoding='utf-8').splitlines()
    src = tmp_path/'s.jsonl'; src.write_text('\n'.join(lines[:120] + [broken] + lines[120:]) + '\n', encoding='utf-8')
    with pytest.raises(SourceError, match=rf'line 121 is not a JSON object \({why}') as e: snapshot_to_parquet(src, tmp_path/'s.parquet', progress=False)
    assert e.value.health == 'broken' and sorted(f.name for f in tmp_path.iterdir()) == ['s.jsonl']

def test_objects_over_lines_and_blank_lines_give_what_json_lines_give(fix, tmp_path):
    "Pretty-printed objects one after another, and JSON lines with blank lines between records: the same rows as Kaggle's shape"
    rs = recs(fix)
    pretty = tmp_path/'p.jsonl'; pretty.write_text('\n'.join(json.dumps(r, indent=2) for r in rs), encoding='utf-8')
    blank = tmp_path/'b.jsonl'; blank.write_text('\ufeff' + '\n\n'.join(json.dumps(r) for r in rs) + '\n  \n', encoding='utf-8')
    want = table(snapshot_to_parquet(fix/HEAD, tmp_path/'w.parquet', progress=False))
    for src in (pretty, blank):
        got = table(snapshot_to_parquet(src, tmp_path/'g.parquet', progress=False))
        assert len(got) == 200 and got.equals(want), src.name
