"""The vectorizer's fast paths of stop 23 (issue 13's rank row) against the plain ones they replace: counts built column
by column against scipy's own construction, and the keyword test reading rows from one pyarrow array against reading them
from the pandas column."""
import numpy as np, pandas as pd, pytest
import scipy.sparse as sp
from mlnews_nb.conferences import read_paperlist
from mlnews_nb import rank as R

@pytest.fixture(scope='module')
def iclr(fix): return read_paperlist(fix/'conference_lists'/'papercopilot'/'iclr2017.json').reset_index(drop=True)

def _same(A, B):
    A, B = A.tocsr(), B.tocsr()
    assert A.shape == B.shape and np.array_equal(A.indptr, B.indptr) and np.array_equal(A.indices, B.indices)
    np.testing.assert_array_equal(A.data, B.data)

def test_column_counts_are_scipys_counts():
    "Counts built column by column: scipy's own (row-sorted, duplicates summed) for ordered and unordered input"
    rng = np.random.default_rng(3); doc = np.sort(rng.integers(0, 200, 20_000)); col = rng.integers(0, 500, 20_000)
    want = sp.csr_matrix((np.ones(len(doc), np.float32), (doc, col)), shape=(200, 500)); want.sum_duplicates()
    for d, c in ((doc, col), (doc[::-1].copy(), col[::-1].copy())):        # documents in order, and not
        got = R._counts(d, c, 200, 500); _same(got, want)
        assert all((np.diff(got.indices[a:b]) > 0).all() for a, b in zip(got.indptr[:-1], got.indptr[1:]))

def test_contains_reads_the_same_rows_from_pyarrow(iclr):
    "The keyword test on rows of one pyarrow array (a column of many chunks) is the test on the pandas column"
    pytest.importorskip('pyarrow')
    s = pd.concat([iclr.summary] * 3, ignore_index=True)
    s = s.astype('string[pyarrow]') if getattr(s.dtype, 'storage', None) != 'pyarrow' else s
    a = R._strings(s); assert not isinstance(a, pd.Series) and len(a) == len(s)
    rows = np.random.default_rng(0).random(len(s)) < 0.3
    for term in ('reinforcement learning', 'policy', 'graph'):
        got, want = R._contains(a, term, rows), R._contains(s, term, rows)
        np.testing.assert_array_equal(got, want); assert got.any()
    assert R._strings(s.astype(object)) is not None and isinstance(R._strings(s.astype(object)), pd.Series)
