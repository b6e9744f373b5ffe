r"""newsclean: turn a news page into the article and nothing else.

>>> import newsclean
>>> newsclean.clean_text("Storm hits the coast\nGetty\nA storm hit the coast on Monday.").text
'A storm hit the coast on Monday.'

Fetching (:func:`fetch` and kin), batches (:func:`batch` and kin), learning a site's rules
(:func:`learn`) and the picture of a cleaning (:func:`explain_html`) are imported on first
use, so ``import newsclean`` stays light for a caller who only cleans.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from newsclean._version import __version__
from newsclean.article import Article, Block, Diagnostics, FetchInfo, Image, Removal
from newsclean.errors import (
    AddressNotAllowedError,
    BlockedError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InputError,
    NewscleanError,
    NotHTMLError,
    RuleError,
    TooLargeError,
)
from newsclean.options import FetchOptions, Options
from newsclean.page.pipeline import clean, clean_text
from newsclean.rules import Pack, Rule, Rules

if TYPE_CHECKING:
    from newsclean.bulk.pool import RecordCleaner, batch, clean_record
    from newsclean.bulk.sitewise import SiteLearning
    from newsclean.report import explain_html
    from newsclean.sites.learning import learn
    from newsclean.web.api import FetchFailure, afetch, afetch_many, fetch, fetch_many

__all__ = [
    "AddressNotAllowedError",
    "Article",
    "Block",
    "BlockedError",
    "Diagnostics",
    "FetchError",
    "FetchFailure",
    "FetchInfo",
    "FetchOptions",
    "FetchTimeout",
    "HTTPStatusError",
    "Image",
    "InputError",
    "NewscleanError",
    "NotHTMLError",
    "Options",
    "Pack",
    "RecordCleaner",
    "Removal",
    "Rule",
    "RuleError",
    "Rules",
    "SiteLearning",
    "TooLargeError",
    "__version__",
    "afetch",
    "afetch_many",
    "batch",
    "clean",
    "clean_record",
    "clean_text",
    "explain_html",
    "fetch",
    "fetch_many",
    "learn",
]

# Public names whose modules are imported on first use: name -> module.
_LAZY = {
    "FetchFailure": "newsclean.web.api",
    "afetch": "newsclean.web.api",
    "afetch_many": "newsclean.web.api",
    "fetch": "newsclean.web.api",
    "fetch_many": "newsclean.web.api",
    "RecordCleaner": "newsclean.bulk.pool",
    "batch": "newsclean.bulk.pool",
    "clean_record": "newsclean.bulk.pool",
    "SiteLearning": "newsclean.bulk.sitewise",
    "explain_html": "newsclean.report",
    "learn": "newsclean.sites.learning",
}


def __getattr__(name: str) -> Any:
    """Import a lazily loaded public name on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsclean' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
