"""The golden page folders (``tests/fixtures/golden/<name>/``) and golden text folders
(``tests/fixtures/golden-text/<name>/``, for ``clean_text``): loading them, cleaning them, and the
snapshot of an Article that ``expected.json`` holds.

Shared by ``tests/test_golden.py`` and ``tests/fixtures/golden/regen.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import newsclean

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
GOLDEN_TEXT = Path(__file__).parent / "fixtures" / "golden-text"

# The Article fields expected.json pins, besides ``removed``.
FIELDS = ("title", "description", "authors", "published", "site_name", "language", "lead_image",
          "is_article", "paywalled", "reason")


@dataclass(frozen=True)
class Case:
    """One golden page folder: ``source.html``, ``url.txt``, ``expected.txt``, ``expected.json``; or
    one golden text folder: ``source.txt`` (leaked text), ``about.txt`` (the template family and the
    leak style it imitates), ``expected.txt``, ``expected.json``."""

    name: str
    folder: Path

    @property
    def is_text(self) -> bool:
        return (self.folder / "source.txt").is_file()

    @property
    def text_source(self) -> str:
        return (self.folder / "source.txt").read_text(encoding="utf-8")

    @property
    def url(self) -> str:
        return (self.folder / "url.txt").read_text(encoding="utf-8").strip()

    @property
    def source(self) -> bytes:
        return (self.folder / "source.html").read_bytes()

    @property
    def expected_text(self) -> str:
        """The article text; the file ends with one newline that is not part of it."""
        text = (self.folder / "expected.txt").read_text(encoding="utf-8")
        return text.removesuffix("\n")

    @property
    def expected(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.folder / "expected.json").read_text(encoding="utf-8"))
        return data


def cases() -> list[Case]:
    """Every golden folder (one holding a ``source.html``), by name."""
    return [Case(p.name, p) for p in sorted(GOLDEN.iterdir()) if (p / "source.html").is_file()]


def text_cases() -> list[Case]:
    """Every golden text folder (one holding a ``source.txt``), by name."""
    return [Case(p.name, p) for p in sorted(GOLDEN_TEXT.iterdir()) if (p / "source.txt").is_file()]


@cache
def cleaned(name: str) -> newsclean.Article:
    """The Article for the golden page (or golden text) ``name``, cleaned once per test session."""
    if (GOLDEN_TEXT / name / "source.txt").is_file():
        return newsclean.clean_text(Case(name, GOLDEN_TEXT / name).text_source)
    case = Case(name, GOLDEN / name)
    return newsclean.clean(case.source, url=case.url)


def snapshot(article: newsclean.Article) -> dict[str, Any]:
    """What expected.json holds: the metadata fields, then the rule ids of ``removed`` in order."""
    data: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(article, name)
        data[name] = list(value) if isinstance(value, tuple) else value
    data["removed"] = [r.rule for r in article.removed]
    return data
