"""Build README.md from nbs/index.ipynb with nbconvert (Quarto is not available here), using the outputs stored in the notebook.

`#| hide` cells are dropped, and DataFrames are shown as their plain-text form (GitHub does not render a notebook's HTML tables
with their styles). `python tools/build_readme.py --check` exits 1 when README.md is not what the notebook gives.
"""
import sys, re
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter
from nbconvert.preprocessors import Preprocessor, RegexRemovePreprocessor

class PlainTables(Preprocessor):
    "Keep the text/plain form of outputs that also have HTML"
    def preprocess_cell(self, cell, resources, index):
        for o in cell.get('outputs', []):
            d = o.get('data', {})
            if 'text/html' in d and 'text/plain' in d: d.pop('text/html')
        return cell, resources

def build(root:Path) -> str:
    nb = nbformat.read(root/'nbs'/'index.ipynb', as_version=4)
    ex = MarkdownExporter()
    ex.register_preprocessor(RegexRemovePreprocessor(patterns=[r'^#\|\s*hide']), enabled=True)
    ex.register_preprocessor(PlainTables(), enabled=True)
    body, _ = ex.from_notebook_node(nb)
    return re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'

if __name__ == '__main__':
    root = Path(__file__).resolve().parents[1]
    text, readme = build(root), root/'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text(encoding='utf-8') != text:
            print('README.md is not in step with nbs/index.ipynb: run `python tools/build_readme.py`'); sys.exit(1)
        print('README.md is in step with nbs/index.ipynb')
    else:
        readme.write_text(text, encoding='utf-8'); print(f'wrote {readme}')
