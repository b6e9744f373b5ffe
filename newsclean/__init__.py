"""newsclean: turn a news page into the article and nothing else."""

from newsclean.article import Article, Block, Image, Removal
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
from newsclean.options import Options

__version__ = "0.1.0"

__all__ = [
    "AddressNotAllowedError",
    "Article",
    "Block",
    "BlockedError",
    "FetchError",
    "HTTPStatusError",
    "Image",
    "InputError",
    "NewscleanError",
    "NotHTMLError",
    "Options",
    "Removal",
    "RuleError",
    "TimeoutError",
    "TooLargeError",
    "__version__",
]
