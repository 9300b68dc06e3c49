"""A light start: `mlnews --help`, every `mlnews VERB --help` and a mistyped verb, each in a fresh process.

Issue 13 §5: each answers in < 0.3 s without importing pandas (nor pyarrow, requests_cache, lxml). This bench runs the
installed `mlnews` console script (the product path: the entry point a user types) in fresh processes, interleaving the
commands round by round, and prints the median and worst wall time of each, the CPU time of the children, and the same
run's anchors: a bare `python -c pass` (the interpreter's floor, under which nothing can answer) and `python -c "import
pandas"` (what any answer would cost once the library's frame layer is imported). It checks the output (a usage text,
the verb's options, the "unknown verb" error with exit code 2) and, with `python -X importtime`, that none of the heavy
modules is imported: a start that answers fast by printing the wrong thing, or answers fast only because of a warm
cache while importing pandas, fails instead of printing a figure.

    python bench/bench_start.py              # 15 rounds
    python bench/bench_start.py --rounds 30
"""
import argparse, os, re, resource, shutil, statistics, subprocess, sys, time
from pathlib import Path

HEAVY = ('pandas', 'pyarrow', 'requests_cache', 'lxml', 'numpy', 'sklearn', 'feedparser')
GOAL = 0.3

def mlnews() -> list[str]:
    "The installed console script beside this interpreter (the product path), else `mlnews` on PATH"
    p = Path(sys.executable).parent/'mlnews'
    if p.exists(): return [str(p)]
    w = shutil.which('mlnews')
    if w: return [w]
    sys.exit('bench_start: no `mlnews` console script: install the package (pip install -e ".[dev]") first')

def verbs(cmd:list[str]) -> list[str]:
    "The verbs `mlnews --help` lists (so a new verb is timed without editing this bench)"
    out = subprocess.run(cmd + ['--help'], capture_output=True, text=True, check=True).stdout
    vs = re.findall(r'^  ([a-z][a-z-]+)\s{2,}\S', out.split('verbs:', 1)[1], re.M)
    if len(vs) < 5: sys.exit(f'bench_start: found only {vs} in `mlnews --help`: its layout changed, fix verbs()')
    return vs

def run(args:list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    "Wall and CPU seconds of one fresh process"
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN); t0 = time.perf_counter()
    p = subprocess.run(args, capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - t0; r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime), p

ENV = {**os.environ, 'PYTHONDONTWRITEBYTECODE': '1', 'COLUMNS': '100'}

def check(name:str, p:subprocess.CompletedProcess, verb:str|None):
    "The answer is the right one: a usage text (exit 0), or the unknown-verb error (exit 2)"
    if name == 'mistyped verb':
        ok = p.returncode == 2 and 'unknown verb' in p.stderr and 'weekly' in p.stderr
    else:
        ok = p.returncode == 0 and p.stdout.startswith('usage: mlnews') and (verb is None or f'mlnews {verb}' in p.stdout)
    if not ok: sys.exit(f'bench_start: `{name}` answered wrongly (exit {p.returncode}):\n{p.stdout[:500]}{p.stderr[:500]}')

def heavy_imports(args:list[str]) -> list[str]:
    "Heavy top-level modules imported while answering `args`, read from `python -X importtime`"
    code = ('import sys; from mlnews_nb.cli import main\n'
            f'try: main({args!r})\nexcept SystemExit: pass')
    err = subprocess.run([sys.executable, '-X', 'importtime', '-c', code], capture_output=True, text=True, env=ENV).stderr
    mods = {l.rsplit('|', 1)[-1].strip() for l in err.splitlines() if l.startswith('import time:')}
    if len(mods) < 20: sys.exit(f'bench_start: -X importtime printed {len(mods)} modules: cannot check the imports')
    return sorted(m for m in mods if m.split('.')[0] in HEAVY)

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--rounds', type=int, default=15, help='fresh processes per command')
    a = ap.parse_args(argv)
    cmd = mlnews()
    cases = [('mlnews --help', cmd + ['--help'], None, ['--help'])]
    cases += [(f'mlnews {v} --help', cmd + [v, '--help'], v, [v, '--help']) for v in verbs(cmd)]
    cases += [('mistyped verb', cmd + ['wekly'], None, ['wekly'])]
    anchors = [('python -c pass', [sys.executable, '-c', 'pass']),
               ('python -c "import pandas"', [sys.executable, '-c', 'import pandas'])]
    for name, args, verb, _ in cases: check(name, run(args)[2], verb)          # warm the file cache, check answers
    for _, args in anchors: run(args)
    bad = {name: h for name, _, _, margs in cases if (h := heavy_imports(margs))}
    if bad: print('heavy imports while answering:', bad)

    wall, cpu = {}, {}
    l0 = f'{os.getloadavg()[0]:.1f}'
    for _ in range(a.rounds):                                                   # interleaved: load hits all alike
        for name, args, verb, _ in cases + [(n, x, None, None) for n, x in anchors]:
            w, c, p = run(args)
            if verb is not None or name in ('mlnews --help', 'mistyped verb'): check(name, p, verb)
            wall.setdefault(name, []).append(w); cpu.setdefault(name, []).append(c)
    print(f'{a.rounds} fresh processes each, interleaved (load {l0} -> {os.getloadavg()[0]:.1f}); goal < {GOAL} s, '
          f'no {", ".join(HEAVY[:4])}')
    print(f'{"command":30} {"median wall":>12} {"worst wall":>11} {"median CPU":>11}')
    for name in wall:
        print(f'{name:30} {statistics.median(wall[name]):11.3f}s {max(wall[name]):10.3f}s {statistics.median(cpu[name]):10.3f}s')
    ours = [n for n, *_ in cases]
    worst_median = max(statistics.median(wall[n]) for n in ours)
    slowest = max(ours, key=lambda n: statistics.median(wall[n]))
    floor, pandas = (statistics.median(wall[n]) for n, _ in anchors)
    ok = worst_median < GOAL and not bad and a.rounds >= 5
    print(f'slowest command: {slowest} {worst_median:.3f} s median ({worst_median/floor:.2f}x a bare interpreter); '
          f'{"no heavy import" if not bad else "HEAVY IMPORTS"}; goal {"met" if ok else "NOT met"}')
    sys.path.insert(0, str(Path(__file__).parent))
    from _summary import summary
    summary('bench_start', f'`mlnews --help`, every `mlnews VERB --help` and a mistyped verb < {GOAL} s, no pandas '
            '(issue 13 §5)',
            f'bare `python -c pass` {floor:.3f} s; `python -c "import pandas"` {pandas:.3f} s',
            f'{len(ours)} commands, {a.rounds} fresh processes each: slowest median {worst_median:.3f} s ({slowest}), '
            f'worst single {max(max(wall[n]) for n in ours):.3f} s; heavy modules imported: '
            f'{"none" if not bad else bad}', ok)

if __name__ == '__main__': main()
