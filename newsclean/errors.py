"""The one exception hierarchy of newsclean.

::

    NewscleanError                 base of everything newsclean raises
    ├── RuleError                  a rule pack is malformed (names file, rule, problem)
    ├── InputError                 a batch input cannot be read (names the source)
    └── FetchError                 fetching a URL failed (carries ``url``)
        ├── HTTPStatusError        the server answered with an error status (``status``)
        ├── FetchTimeout           connect, read or total time limit reached
        ├── TooLargeError          the body exceeded ``max_bytes``
        ├── NotHTMLError           the response is not HTML (``content_type``)
        ├── BlockedError           robots.txt disallows the URL, or an anti-bot page answered
        └── AddressNotAllowedError the URL resolves to a private/loopback address

``clean()`` never raises for bad markup: it returns an :class:`~newsclean.Article`
with empty text and a ``reason``. Only fetching and rule loading raise.
"""

from __future__ import annotations

__all__ = [
    "AddressNotAllowedError",
    "BlockedError",
    "FetchError",
    "FetchTimeout",
    "HTTPStatusError",
    "InputError",
    "NewscleanError",
    "NotHTMLError",
    "RuleError",
    "TooLargeError",
]


class NewscleanError(Exception):
    """Base class of every error newsclean raises."""


class RuleError(NewscleanError, ValueError):
    """A rule pack is malformed.

    >>> str(RuleError("bad regex", source="mine.toml", rule="x.y"))
    'mine.toml: rule x.y: bad regex'
    """

    def __init__(self, message: str, *, source: str = "<rules>", rule: str | None = None) -> None:
        self.source = source
        self.rule = rule
        where = f"{source}: rule {rule}" if rule else source
        super().__init__(f"{where}: {message}")


class InputError(NewscleanError):
    """A batch input (file, folder, WARC) cannot be read."""

    def __init__(self, message: str, *, source: str) -> None:
        self.source = source
        super().__init__(f"{source}: {message}")


class FetchError(NewscleanError):
    """Fetching ``url`` failed; the message says why and what to try."""

    def __init__(self, message: str, *, url: str) -> None:
        self.url = url
        super().__init__(f"{url}: {message}")


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, message: str, *, url: str, status: int) -> None:
        self.status = status
        super().__init__(message, url=url)


class FetchTimeout(FetchError):
    """A connect, read or total time limit was reached."""


class TooLargeError(FetchError):
    """The response body exceeded the size limit."""


class NotHTMLError(FetchError):
    """The response is not HTML (a PDF, an image, JSON...)."""

    def __init__(self, message: str, *, url: str, content_type: str | None = None) -> None:
        self.content_type = content_type
        super().__init__(message, url=url)


class BlockedError(FetchError):
    """robots.txt disallows the URL, or an anti-bot challenge page answered."""


class AddressNotAllowedError(FetchError):
    """The URL resolves to a private, loopback or link-local address while that is forbidden."""
