"""The one machine-readable line every benchmark prints last, collected by `bench/report.py` into the table of bench/README.md.

Format (one line, anything before it is for people):

    BENCH {"bench": "bench_x", "goal": "...", "anchor": "...", "measured": "...", "ok": true, "date": "...", "machine": "..."}

`goal` is the issue's goal, `anchor` the best other tool (or the baseline) measured in the same run, `measured` ours,
`ok` whether the goal was met in this run. A bench owned by another helper may print the same line without importing this.
"""
import json, os, platform
from datetime import datetime, timezone

def machine() -> str:
    "CPU count, RAM, Python and the load when the run started: figures under load are not idle figures"
    try: mem = os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30
    except (ValueError, OSError, AttributeError): mem = float('nan')
    try: load = f', load {os.getloadavg()[0]:.1f}'
    except OSError: load = ''
    return f'{os.cpu_count()} cores, {mem:.0f} GB, {platform.system()} {platform.machine()}, Python {platform.python_version()}{load}'

def summary(bench:str, goal:str, anchor:str, measured:str, ok:bool) -> None:
    print('BENCH ' + json.dumps(dict(bench=bench, goal=goal, anchor=anchor, measured=measured, ok=bool(ok),
                                     date=datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC'), machine=machine()), ensure_ascii=False), flush=True)
