"""Shared test helpers: fixture paths and the shared corpora (skipped when absent)."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpus import corpora_missing

FIXTURES = Path(__file__).parent / "fixtures"


def corpora_dir() -> Path:
    """The shared corpora: $NEWSCLEAN_CORPORA, or ../shared/corpora beside the clone."""
    env = os.environ.get("NEWSCLEAN_CORPORA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "corpora"


def corpus_page(corpus: str, page_id: str) -> tuple[bytes, dict[str, Any]]:
    """A corpus page's bytes and its truth record; skips the test when corpora are absent."""
    root = corpora_dir() / corpus
    if not (root / "truth.jsonl").exists():
        pytest.skip(corpora_missing(root))
    with open(root / "truth.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            if record["id"] == page_id:
                return gzip.decompress((root / "pages" / f"{page_id}.html.gz").read_bytes()), record
    pytest.skip(f"page {page_id!r} not in corpus {corpus!r}")
    raise AssertionError("unreachable")


def corpus_bodies(corpus: str, every: int) -> list[Any]:
    """The ``<body>`` of every ``every``-th page of a corpus, parsed by Lexbor (pages without
    one left out); skips the test when the corpora are absent."""
    from selectolax.lexbor import LexborHTMLParser

    pages = sorted((corpora_dir() / corpus / "pages").glob("*.html.gz"))[::every]
    if not pages:
        pytest.skip(corpora_missing(corpora_dir() / corpus))
    bodies = (LexborHTMLParser(gzip.decompress(path.read_bytes())).body for path in pages)
    return [body for body in bodies if body is not None]


@pytest.fixture
def fixture_text():
    def read(name: str) -> str:
        return (FIXTURES / name).read_text(encoding="utf-8")

    return read
