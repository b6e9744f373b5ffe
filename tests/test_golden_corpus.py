"""Corpus-backed golden tests: real pages from the shared corpora (../shared/corpora, or
$NEWSCLEAN_CORPORA), skipped on a clone without them. The golden pages that always run,
written for the tests, are in test_golden.py.

Each page's truth lists snippets that must appear in the article text (``with``) and
snippets of furniture that must not (``without``): the publisher's template decides
what is furniture, the truth was written by other projects, not by us.
"""

from __future__ import annotations

import unicodedata

import pytest
from conftest import corpus_page

import newsclean

PAGES = [
    ("trafilatura", "bbc.com.52241221"),
    ("trafilatura", "edition.cnn.com-royal"),
    ("trafilatura", "independent.co.uk.penalty"),
    ("trafilatura", "nytimes.com.blackouts"),
    ("trafilatura", "telegraph.co.uk.plumber"),
    ("trafilatura", "theguardian.com.academics"),
    ("trafilatura", "0a12df42d1764095989ab078ee0f940b"),  # zeit.de, paywall teaser
    ("trafilatura", "de.cointelegraph.com-CME"),
    ("goose", "bbc_chinese"),
    ("goose", "cnn1"),
    ("goose", "cnn_arabic"),
    ("goose", "elpais"),
    ("goose", "issue28"),  # telegraph.co.uk
]


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).replace("\u00ad", "").split())


@pytest.mark.parametrize(("corpus", "page_id"), PAGES)
def test_corpus_page(corpus: str, page_id: str) -> None:
    html, truth = corpus_page(corpus, page_id)
    article = newsclean.clean(html, url=truth["url"])
    text = _norm(article.text)
    missing = [s for s in truth["with"] if _norm(s) not in text]
    leaked = [s for s in truth["without"] if _norm(s) in text]
    assert not missing, f"article text lost {missing}"
    assert not leaked, f"furniture leaked {leaked}"
    assert article.is_article and article.reason is None
    assert article.title
