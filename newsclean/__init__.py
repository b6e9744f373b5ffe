r"""newsclean: turn a news page into the article and nothing else.

>>> import newsclean
>>> newsclean.clean_text("Storm hits the coast\nGetty\nA storm hit the coast on Monday.").text
'A storm hit the coast on Monday.'
"""

from newsclean.article import Article, Block, Image, Removal
from newsclean.clean import clean, clean_text
from newsclean.errors import (
    AddressNotAllowedError,
    BlockedError,
    FetchError,
    HTTPStatusError,
    InputError,
    NewscleanError,
    NotHTMLError,
    RuleError,
    TimeoutError,
    TooLargeError,
)
from newsclean.fetch import (
    FetchFailure,
    FetchOptions,
    afetch,
    afetch_many,
    fetch,
    fetch_many,
)
from newsclean.options import Options
from newsclean.rules import Rules

__version__ = "0.1.0"

__all__ = [
    "AddressNotAllowedError",
    "Article",
    "Block",
    "BlockedError",
    "FetchError",
    "FetchFailure",
    "FetchOptions",
    "HTTPStatusError",
    "Image",
    "InputError",
    "NewscleanError",
    "NotHTMLError",
    "Options",
    "Removal",
    "RuleError",
    "Rules",
    "TimeoutError",
    "TooLargeError",
    "__version__",
    "afetch",
    "afetch_many",
    "clean",
    "clean_text",
    "fetch",
    "fetch_many",
]
