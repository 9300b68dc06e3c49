"""Keep up with machine-learning research and news from a notebook: arXiv, newsletters, blogs, Reddit, Hacker News, Hugging Face and conferences in one DataFrame, triaged, ranked and digested.

Modules:

- `mlnews_nb.works`: The same paper shows up on arXiv, on Hugging Face, in a newsletter, in a Hacker News thread and later in a conference list. `link_works` groups those items into one row per work; `what_is_new` remembers what was seen and says what changed."""

__version__ = "0.1.0"
