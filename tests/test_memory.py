"""Cleaning the same page thousands of times does not grow the process's memory.

10,000 iterations take about 100 s on this project's CI machine (10 ms a page), over the
suite's 90 s budget, so the default is 3,000: after a 500-iteration warm-up any leak of even
a few hundred bytes a call would still show as megabytes. Set NEWSCLEAN_MEMORY_ITERATIONS=10000
for the full run.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from newsclean import clean, clean_text

ITERATIONS = int(os.environ.get("NEWSCLEAN_MEMORY_ITERATIONS", "3000"))
WARM_UP = 500
GROWTH_BOUND = 8 * 1024 * 1024  # bytes
PAGE = (
    "<html><head><title>Storm | Daily Example</title><meta property='og:site_name' content='Daily Example'>"
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Storm",'
    ' "author": {"name": "Jane Doe"}}</script></head><body><article><h1>Storm</h1>'
    + "<p>A storm hit the coast on Monday night, cutting power to thousands of homes.</p>" * 8
    + "<figure><img src='/a.jpg'><figcaption>Waves (Photo by Jo Roe/Getty Images)</figcaption></figure>"
    + "<div class='related'><h3>Most Read</h3><a href='/x'>Another story</a></div>"
    + "</article></body></html>"
)


def rss_bytes() -> int:
    fields = Path("/proc/self/statm").read_text().split()
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc/self/statm (Linux)")
def test_rss_does_not_grow_when_cleaning_repeatedly() -> None:
    for i in range(WARM_UP):
        clean(PAGE, url=f"https://example.com/news/{i % 50}")
    gc.collect()
    before = rss_bytes()
    for i in range(ITERATIONS):
        # a new URL each time too: caches keyed by URL or host must be bounded
        article = clean(PAGE.encode() if i % 2 else PAGE, url=f"https://site{i}.example.com/news/{i}")
        assert article.text
        clean_text(article.text, site_name=f"Site {i}")
    gc.collect()
    grown = rss_bytes() - before
    assert grown < GROWTH_BOUND, f"RSS grew {grown / 1e6:.1f} MB over {ITERATIONS} calls"
