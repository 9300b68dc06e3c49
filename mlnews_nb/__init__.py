"""Keep up with machine-learning research and news from a notebook: arXiv, newsletters, blogs, Reddit, Hacker News, Hugging Face and conferences in one DataFrame, triaged, ranked and digested."""

__version__ = "0.1.0"
