"""Keep up with machine-learning research and news from a notebook: arXiv, newsletters, blogs, Reddit, Hacker News, Hugging Face and conferences in one DataFrame, triaged, ranked and digested.

Modules:

- `mlnews_nb.captures`: Small private loaders that turn the shared captures into the item contract, so `works` and `rank` can be built and tested before the fetchers land. When `arxiv`, `papers`, `feeds`, `community` and `conferences` are merged, these loaders are replaced by the real fetchers; nothing else in the package imports this module.
- `mlnews_nb.rank`: Cold start from a profile (keywords, arXiv categories, followed authors); then TF-IDF and a linear model trained on what was saved against what was skipped, retrained in a second as decisions arrive. Every score says why. `digest` fills a reading-time budget with diverse picks and a share of exploration; `weekly` runs the whole week: fetch, store, link, rank, digest.
- `mlnews_nb.works`: The same paper shows up on arXiv, on Hugging Face, in a newsletter, in a Hacker News thread and later in a conference list. `link_works` groups those items into one row per work; `what_is_new` remembers what was seen and says what changed."""

__version__ = "0.1.0"
