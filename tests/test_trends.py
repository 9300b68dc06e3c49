"Topic trends: shares against counts done by hand from the Paper Copilot and arXiv captures, figure content, the CLI verb."
import io, json, re, subprocess, sys
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import numpy as np, pandas as pd, pytest
from mlnews_nb.trends import (TrendsError, compile_topics, topic_shares, wilson, emerging_topics, learned_topics,
                              compare_sources, plot_topic_trends, plot_small_multiples, plot_stacked_area, plot_heatmap,
                              SHARE_COLS)
from mlnews_nb.cli import cli_trends
from mlnews_nb.conferences import read_paperlist as _read_paperlist

@pytest.fixture(autouse=True)
def _close_figs():
    yield
    plt.close('all')

def pc(fix, name): return fix/'conference_lists'/'papercopilot'/name

def raw(fix, name): return json.loads(pc(fix, name).read_text(encoding='utf-8'))

def text(r, keywords=False):
    "The hand-count text of a raw Paper Copilot record: title, abstract (and keywords)"
    return ' '.join([r.get('title') or '', r.get('abstract') or ''] + ([r.get('keywords') or ''] if keywords else []))

# (file, rules, independent regex over the raw record's text, use keywords)
HAND = [('nips1990.json', ['neural network'], r'\bneural\W+networks?\b', False),
        ('nips2016.json', ['deep'], r'\bdeeps?\b', False),
        ('nips2005.json', ['kernel'], r'\bkernels?\b', False),
        ('icml2015.json', ['bayes*'], r'\bbayes', False),
        ('nips1995.json', ['back-propagation'], r'\bback\W*propagations?\b', False),
        ('iclr2017.json', ['reinforcement learning'], r'\breinforcement\W+learnings?\b', True)]

@pytest.mark.parametrize('name,rules,rx,kw', HAND, ids=[h[0] + ':' + h[1][0] for h in HAND])
def test_shares_agree_with_hand_counts(fix, name, rules, rx, kw):
    recs = raw(fix, name)
    by_hand = sum(bool(re.search(rx, text(r, kw), re.I)) for r in recs)
    year = int(re.search(r'\d{4}', name)[0])
    sh = topic_shares(_read_paperlist(pc(fix, name)), {'t': rules})
    row = sh.iloc[0]
    assert (row.period, row.topic, row.n, row.total) == (year, 't', by_hand, len(recs))
    assert by_hand > 0
    assert row.share == pytest.approx(by_hand / len(recs)) and row.lo <= row.share <= row.hi

def test_matcher_agrees_with_a_regex_per_topic_on_all_nips(fix):
    "The one-pass matcher gives the same paper x topic matrix as one independent regex per topic, on 6,564 real abstracts"
    recs = [r for p in sorted((fix/'conference_lists'/'papercopilot').glob('nips*.json')) for r in json.loads(p.read_text())]
    topics = {'nn': ['neural network', 'perceptron'], 'deep': 'deep', 'kernel': ['kernel', 'support vector'],
              'bayes': 'bayes*', 'gp': 'gaussian process', 'rl': ['reinforcement learning', 'q-learning'],
              'graph': 'graph', 'svm': 're:\\bsvms?\\b'}
    regexes = {'nn': r'\b(neural\W+networks?|perceptrons?)\b', 'deep': r'\bdeeps?\b', 'kernel': r'\b(kernels?|support\W+vectors?)\b',
               'bayes': r'\bbayes', 'gp': r'\bgaussian\W+process(es)?\b', 'rl': r'\b(reinforcement\W+learnings?|q\W*learnings?)\b',
               'graph': r'\bgraphs?\b', 'svm': r'\bsvms?\b'}
    texts = [text(r) for r in recs]
    got = compile_topics(topics).match(texts)
    want = np.array([[bool(re.search(regexes[t], s, re.I)) for t in topics] for s in texts])
    assert got.shape == (len(recs), len(topics)) and got.sum() > 3000
    bad = np.argwhere(got != want)
    assert len(bad) == 0, [(texts[i][:80], list(topics)[j]) for i, j in bad[:5]]

def test_wilson_textbook_values():
    lo, hi = wilson([5, 0], [10, 20])
    assert lo[0] == pytest.approx(0.2366, abs=1e-4) and hi[0] == pytest.approx(0.7634, abs=1e-4)
    assert lo[1] == 0 and hi[1] == pytest.approx(0.1611, abs=1e-4)   # 0/20: upper bound z^2/(n+z^2)
    assert np.isnan(wilson(0, 0)[0])

def test_shares_by_decision_and_accepted_vs_submitted(fix):
    recs = raw(fix, 'iclr2017.json')
    papers = _read_paperlist(pc(fix, 'iclr2017.json'))
    sh = topic_shares(papers, {'rl': 'reinforcement learning'}, by='decision')
    status = pd.Series([r['status'].lower() for r in recs]).value_counts()
    assert sh.set_index('group').total.to_dict() == status.to_dict()
    cmp = compare_sources({'rl': 'reinforcement learning'}, conferences=papers)
    t = cmp.set_index('group')
    acc = [r for r in recs if r['status'] in ('Poster', 'Oral')]
    assert t.total['ICLR (submitted)'] == len(recs) and t.total['ICLR (accepted)'] == len(acc)
    rx = r'\breinforcement\W+learnings?\b'
    assert t.n['ICLR (accepted)'] == sum(bool(re.search(rx, text(r, True), re.I)) for r in acc)

def test_arxiv_snapshot_frame_by_category(fix):
    path = fix/'arxiv_metadata'/'kaggle_snapshot_head200_wanng-ide.jsonl'
    recs = [json.loads(l) for l in path.read_text().splitlines() if l.strip()]
    arx = pd.read_json(path, lines=True)
    sh = topic_shares(arx, {'q': 'quantum'}, by='categories', freq='M')
    row = sh[(sh.group == 'hep-ph') & (sh.period == '2007-04')].iloc[0]
    from email.utils import parsedate_to_datetime
    first = lambda r: parsedate_to_datetime(r['versions'][0]['created'])   # submission date of v1
    hep = [r for r in recs if 'hep-ph' in r['categories'].split() and (first(r).year, first(r).month) == (2007, 4)]
    assert 0 < len(hep) < sum('hep-ph' in r['categories'].split() for r in recs)   # some were submitted in March
    assert row.total == len(hep)
    assert row.n == sum(bool(re.search(r'\bquantums?\b', r['title'] + ' ' + r['abstract'], re.I)) for r in hep)

def test_emerging_terms_counted_by_hand(fix):
    papers = pd.concat([_read_paperlist(pc(fix, f'nips{y}.json')) for y in (2014, 2015, 2016)], ignore_index=True)
    em = emerging_topics(papers, window=1, baseline=2, min_count=5, top=200)
    r16 = raw(fix, 'nips2016.json')
    row = em.set_index('term').loc['adversarial']
    assert row.n_recent == sum(bool(re.search(r'\badversarial\b', text(r), re.I)) for r in r16)
    assert (em.n_recent >= 5).all() and em.lift.is_monotonic_decreasing
    with pytest.raises(TrendsError, match='need at least'): emerging_topics(papers[papers.year == 2016])

def test_learned_topics_one_dominant_topic_per_paper(fix):
    papers = pd.read_json(fix/'arxiv_metadata'/'kaggle_snapshot_head200_wanng-ide.jsonl', lines=True)   # 200 abstracts, one year
    topics, sh = learned_topics(papers, n_topics=5)
    assert len(topics) == 5 and sh.groupby('period').n.sum().iloc[0] <= len(papers) == sh.total.iloc[0]
    assert topics.papers.sum() == sh.n.sum()

def test_plot_topic_trends_content(fix):
    papers = pd.concat([_read_paperlist(pc(fix, f'nips{y}.json')) for y in (1995, 2005, 2015)], ignore_index=True)
    sh = topic_shares(papers, {'kernel': 'kernel', 'deep': 'deep'})
    ax = plot_topic_trends(sh, title='T')
    lines = ax.get_lines()
    assert [l.get_label() for l in lines] == ['kernel', 'deep']
    assert list(lines[0].get_xdata()) == list(range(1995, 2016))       # every year: the 18 without papers are gaps
    y = dict(zip(lines[0].get_xdata(), lines[0].get_ydata()))
    assert np.isnan([v for k, v in y.items() if k not in (1995, 2005, 2015)]).all()
    want = [100 * sum(bool(re.search(r'\bkernels?\b', text(r), re.I)) for r in raw(fix, f'nips{y}.json')) / len(raw(fix, f'nips{y}.json'))
            for y in (1995, 2005, 2015)]
    assert np.allclose([y[1995], y[2005], y[2015]], want)
    assert 'No papers in 18 of the 21 years' in ax.texts[0].get_text()
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ('T', 'year', 'share of papers (%)')
    assert len(ax.collections) == 2                                  # one interval band per line
    assert any('papercopilot' in t.get_text() and 'Wilson' in t.get_text() for t in ax.texts)
    with pytest.raises(TrendsError, match='nothing to plot'): plot_topic_trends(sh, ['nope'])

def test_other_plots_content(fix):
    papers = pd.concat([_read_paperlist(pc(fix, f'nips{y}.json')) for y in (2014, 2015, 2016)], ignore_index=True)
    sh = topic_shares(papers, {'kernel': 'kernel', 'deep': 'deep', 'bayes': 'bayes*'})
    fig = plot_small_multiples(sh, ncols=2)
    assert [a.get_title() for a in fig.axes if a.get_visible()] == ['kernel', 'deep', 'bayes']
    assert np.allclose(fig.axes[1].get_lines()[0].get_ydata(), sh[sh.topic == 'deep'].share * 100)
    ax = plot_stacked_area(sh)
    assert len(ax.collections) == 3 and 'stacked' in ax.get_ylabel()
    ax = plot_heatmap(sh)
    assert [t.get_text() for t in ax.get_yticklabels()] == ['kernel', 'deep', 'bayes']
    assert np.allclose(np.asarray(ax.images[0].get_array())[0], sh[sh.topic == 'kernel'].share * 100)

def test_cli_trends_writes_png_and_csv(fix, tmp_path):
    snap = fix/'arxiv_metadata'/'kaggle_snapshot_head200_wanng-ide.jsonl'      # 200 arXiv records of April 2007
    out = io.StringIO()
    rc = cli_trends([str(snap), '-t', 'q=quantum', '-t', 'field=field', '--kind', 'multiples', '-o', str(tmp_path/'x'/'q.png')], out=out)
    assert rc == 0 and 'q.png' in out.getvalue()
    assert (tmp_path/'x'/'q.png').read_bytes()[:4] == b'\x89PNG'
    csv = pd.read_csv(tmp_path/'x'/'q.csv')
    assert list(csv.columns) == SHARE_COLS
    recs = [json.loads(l) for l in snap.read_text(encoding='utf-8').splitlines()]
    for topic, rx in (('q', r'\bquantums?\b'), ('field', r'\bfields?\b')):
        row = csv[csv.topic == topic].iloc[0]
        want = sum(bool(re.search(rx, f"{r['title']} {r['abstract']}", re.I)) for r in recs)
        assert (row.period, row.n, row.total) == (2007, want, len(recs)) and want > 0
    assert not list((tmp_path/'x').glob('.*'))                       # no temporary files left behind

def test_cli_trends_errors(fix, tmp_path, capsys):
    assert cli_trends([], out=io.StringIO()) == 2
    assert 'no input' in capsys.readouterr().err
    snap = fix/'arxiv_metadata'/'kaggle_snapshot_head200_wanng-ide.jsonl'
    assert cli_trends([str(snap), '-t', 'nonsense', '-o', str(tmp_path/'a.png')], out=io.StringIO()) == 2
    assert 'NAME=rule' in capsys.readouterr().err
    assert not (tmp_path/'a.png').exists()

def test_bad_input_errors():
    with pytest.raises(TrendsError, match='no papers'): topic_shares(pd.DataFrame({'title': [], 'year': []}), {'a': 'b'})
    with pytest.raises(TrendsError, match='no paper has a date'): topic_shares(pd.DataFrame({'title': ['x']}), {'a': 'x'})
    with pytest.raises(TrendsError, match='no column'): topic_shares(pd.DataFrame({'title': ['x'], 'year': [2020]}), {'a': 'x'}, by='venue')
    with pytest.raises(TrendsError, match='has no rules'): compile_topics({'a': []})

def test_import_stays_light():
    code = "import sys, mlnews_nb.trends; print(sorted(m for m in ('matplotlib', 'sklearn', 'ahocorasick') if m in sys.modules))"
    assert subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.strip() == '[]'

# Hand-written papers for the plots' honesty (no capture needed): venue A meets every year 2000-2005, venue B only in 2000 and
# 2004, so B's line has gaps and the pooled mix of venues changes from year to year.
def _two_venues() -> pd.DataFrame:
    rows = [dict(title=f'deep net {v}{y}{i}' if (i + y) % 3 == 0 else f'kernel machine {v}{y}{i}', year=y, venue=v)
            for v, years in (('A', range(2000, 2006)), ('B', (2000, 2004))) for y in years for i in range(4 + y % 3)]
    return pd.DataFrame(rows)

def test_lines_break_where_a_period_has_no_papers():
    df = _two_venues()
    sh = topic_shares(df, {'deep': 'deep'}, by='venue')
    ax = plot_topic_trends(sh, groups=['B'])
    (line,) = ax.get_lines()
    y = dict(zip(line.get_xdata(), line.get_ydata()))
    assert list(y) == [2000, 2001, 2002, 2003, 2004]
    assert np.isnan([y[2001], y[2002], y[2003]]).all()
    for yr in (2000, 2004):
        b = df[(df.venue == 'B') & (df.year == yr)]
        assert y[yr] == pytest.approx(100 * b.title.str.startswith('deep').mean())
    assert 'No papers in 3 of the 5 years (2001, 2002, 2003)' in ax.texts[0].get_text()
    ax = plot_heatmap(sh.assign(group='all')[sh.group == 'B'])
    assert np.isnan(np.asarray(ax.images[0].get_array(), float)[0, 1:4]).all()   # empty columns, not neighbours glued
    assert [t.get_text() for t in ax.get_xticklabels()] == ['2000', '2001', '2002', '2003', '2004']

def test_a_changing_mix_of_venues_is_said():
    df = _two_venues()
    pooled = topic_shares(df, {'deep': 'deep'})
    assert pooled.attrs['mix'].startswith('Venues differ across periods (B 2000-2004, A 2000-2005)')
    assert 'by="venue"' in plot_topic_trends(pooled).texts[0].get_text()
    assert topic_shares(df, {'deep': 'deep'}, by='venue').attrs['mix'] == ''
    assert topic_shares(df[df.venue == 'A'], {'deep': 'deep'}).attrs['mix'] == ''          # one venue: no mix to change
    both = df[df.year.isin([2000, 2004])]
    assert topic_shares(both, {'deep': 'deep'}).attrs['mix'] == ''                          # the same venues every year

def test_many_series_look_different():
    df = pd.DataFrame([dict(title='deep' if i % 2 else 'x y', year=y, venue=f'V{v:02d}') for v in range(15) for y in (2020, 2021)
                       for i in range(3)])
    ax = plot_topic_trends(topic_shares(df, {'deep': 'deep'}, by='venue'))
    looks = [(l.get_color(), l.get_linestyle(), l.get_marker()) for l in ax.get_lines()]
    assert len(looks) == 15 and len(set(looks)) == 15
    ax.figure.draw_without_rendering()
    assert ax.get_legend().get_window_extent().x0 > ax.get_window_extent().x1               # beside the axes, not on the lines

def _below(cap, texts) -> bool:
    "Does the caption's box lie wholly under every one of these (non-empty) texts?"
    boxes = [t.get_window_extent() for t in texts if t.get_text()]
    return bool(boxes) and all(cap.y1 < b.y0 for b in boxes)

def test_captions_never_overlap_labels_and_name_only_what_is_drawn():
    df = pd.concat([_two_venues().assign(year=lambda d: d.year + k * 6) for k in range(4)], ignore_index=True)   # 24 years
    sh = topic_shares(df, {'deep': 'deep', 'kernel': 'kernel'})
    ax = plot_topic_trends(sh); ax.figure.draw_without_rendering()
    assert 'bands: 95% Wilson' in ax.texts[0].get_text() and _below(ax.texts[0].get_window_extent(), [ax.xaxis.label, *ax.get_xticklabels()])
    ax = plot_heatmap(sh); ax.figure.draw_without_rendering()                   # rotated tick labels
    cap = ax.texts[0]
    assert 'bands' not in cap.get_text() and 'Data:' in cap.get_text()
    assert _below(cap.get_window_extent(), [ax.xaxis.label, *ax.get_xticklabels()])
    ax = plot_stacked_area(sh); ax.figure.draw_without_rendering()
    assert 'bands' not in ax.texts[0].get_text() and _below(ax.texts[0].get_window_extent(), [ax.xaxis.label])
    fig = plot_small_multiples(sh, ncols=2); fig.draw_without_rendering()
    (cap,) = [a for a in fig.artists if hasattr(a, 'get_text')]
    ticks = [t for a in fig.axes for t in a.get_xticklabels()]
    assert 'bands: 95% Wilson' in cap.get_text() and _below(cap.get_window_extent(), [fig._supxlabel, *ticks])
    assert not any(a.texts for a in fig.axes)                                  # the caption once, not per panel
