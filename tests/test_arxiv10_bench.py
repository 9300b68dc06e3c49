"""The announcement bench's stage timing (`bench_arxiv_parse.py --stages`) still names the stages `parse_listing` runs:
it imports arxiv.py's private steps, so a renamed step breaks it here rather than in the lead's idle run."""
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]

def test_stages_time_the_announcement_path(fix):
    sys.path.insert(0, str(ROOT/'bench'))
    import bench_arxiv_parse as B
    st = B.stages(B.rss_feed(200), k=2)
    assert list(st) == ["lxml parse + channel", "items' children read", 'other columns', 'frame',
                        'freeing tree and columns']
    assert st["lxml parse + channel"] > 0 and st["items' children read"] > 0 and st['frame'] > 0
