"""Fetchers for bench_weekly's JSON sources: the real parsers over bytes fetched from loopback with the product's Http
(`sources.fetch_all` calls them as `fn(**source.args, http=...)`, the way it calls the package's own non-feed fetchers)."""
import json, tempfile
from pathlib import Path

def paperlist(url:str, name:str, http):
    "A Paper Copilot list (conference papers with decisions) through `conferences.read_paperlist`"
    from mlnews_nb.conferences import read_paperlist
    with tempfile.TemporaryDirectory() as d:
        (p := Path(d)/name).write_bytes(http.get(url).content)
        return read_paperlist(p)

def hf_day(url:str, http):
    "A Hugging Face daily papers answer through `papers.parse_daily_papers`"
    from mlnews_nb.papers import parse_daily_papers
    return parse_daily_papers(json.loads(http.get(url).content), url)
