"""Options as frozen objects: :class:`Options` for cleaning, :class:`FetchOptions` for fetching.

The same keyword means the same thing in every entry point: ``options`` is always an
:class:`Options` (``clean``, ``clean_text``, ``fetch``, ``batch`` and both commands),
``fetch_options`` a :class:`FetchOptions`, and ``rules`` a :class:`~newsclean.Rules`.

>>> Options(favor="precision").favor
'precision'
>>> Options(max_bytes=0)
Traceback (most recent call last):
...
ValueError: max_bytes must be a positive number of bytes, not 0
>>> FetchOptions(total_timeout=20, per_host=4).per_host
4
>>> FetchOptions(retries=-1)
Traceback (most recent call last):
...
ValueError: retries must be a whole number >= 0, not -1
>>> "newsclean/" in default_user_agent()
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from newsclean._version import __version__

__all__ = ["HOMEPAGE", "Favor", "FetchOptions", "Options", "default_user_agent"]

Favor = Literal["precision", "balanced", "recall"]
HOMEPAGE = "https://github.com/newsclean/newsclean"


def default_user_agent() -> str:
    """``newsclean/<version> (+<homepage>)``, the User-Agent sent unless overridden."""
    return f"newsclean/{__version__} (+{HOMEPAGE})"


@dataclass(frozen=True)
class Options:
    """How to clean a page.

    ``favor`` trades recall for precision like trafilatura's switches:
    ``"precision"`` drops anything doubtful, ``"recall"`` keeps anything plausible.
    ``max_bytes`` (the page's size in bytes; a ``str`` counts its UTF-8 bytes) and
    ``max_nodes`` (tags) bound the work done on one page: larger input is cut, and
    ``article.diagnostics.truncated`` says so. ``timeout`` is the seconds one page's
    cleaning may take (``None``: no limit); past it the Article is empty and its
    ``reason`` says so. In a batch a worker still busy well past it is killed.
    """

    favor: Favor = "balanced"
    include_tables: bool = True
    include_comments: bool = False
    max_bytes: int = 10_000_000  # at ~1.5 s/MB of dense prose, fits the 30 s timeout
    max_nodes: int = 300_000
    timeout: float | None = 30.0

    def __post_init__(self) -> None:
        if self.favor not in ("precision", "balanced", "recall"):
            raise ValueError(
                f"favor must be 'precision', 'balanced' or 'recall', not {self.favor!r}"
            )
        if not isinstance(self.max_bytes, int) or self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be a positive number of bytes, not {self.max_bytes!r}")
        if not isinstance(self.max_nodes, int) or self.max_nodes <= 0:
            raise ValueError(f"max_nodes must be a positive number of nodes, not {self.max_nodes!r}")
        if self.timeout is not None and self.timeout <= 0:
            raise ValueError(f"timeout must be positive seconds or None, not {self.timeout!r}")


@dataclass(frozen=True)
class FetchOptions:
    """Bounds, retries and manners for fetching pages.

    Timeouts are seconds. ``total_timeout`` bounds one URL from its first request
    to its last byte, redirects, retries and back-off included, but not the time
    spent queueing for a host's slot. ``max_bytes`` bounds the body *after*
    decompression. ``retries`` is how many times a connection error, a timeout, a
    408, a 429 or a 5xx is retried (exponential back-off from ``backoff`` seconds
    with jitter, or the server's ``Retry-After``). ``concurrency`` is the number of
    URLs a batch works on at once, ``per_host`` how many requests one host gets at
    once, ``per_host_delay`` the seconds between two request starts to one host
    (a robots.txt ``Crawl-delay`` raises it). ``user_agent=None`` sends
    :func:`default_user_agent`. ``allow_private_addresses=False`` refuses hosts that
    resolve to private, loopback or link-local addresses (for services fetching
    URLs their users supply). ``http2`` is used when the ``h2`` package is installed
    (extra ``newsclean[http2]``). ``cache_dir`` keeps successful responses in an
    on-disk cache for ``cache_ttl`` seconds (extra ``newsclean[cache]``).
    """

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10_000_000
    max_redirects: int = 10
    retries: int = 3
    backoff: float = 0.5
    user_agent: str | None = None
    respect_robots: bool = True
    concurrency: int = 16
    per_host: int = 2
    per_host_delay: float = 0.5
    allow_private_addresses: bool = True
    http2: bool = True
    cache_dir: str | Path | None = None
    cache_ttl: float | None = 86_400.0

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or value <= 0:
                raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
        for name, low in (
            ("max_bytes", 1),
            ("max_redirects", 0),
            ("retries", 0),
            ("concurrency", 1),
            ("per_host", 1),
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ValueError(f"{name} must be a whole number >= {low}, not {value!r}")
        for name in ("backoff", "per_host_delay"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"{name} must be seconds >= 0, not {value!r}")
        if self.user_agent is not None and not self.user_agent.strip():
            raise ValueError("user_agent must not be empty (None sends the default)")
        if self.cache_ttl is not None and self.cache_ttl <= 0:
            raise ValueError(f"cache_ttl must be positive seconds or None, not {self.cache_ttl!r}")

    @property
    def agent(self) -> str:
        """The User-Agent header to send."""
        return self.user_agent or default_user_agent()

    @property
    def robots_agent(self) -> str:
        """The product token matched against robots.txt ``User-agent`` lines.

        >>> FetchOptions(user_agent="MyBot/2.0 (+https://x)").robots_agent
        'MyBot'
        """
        return self.agent.split("/", 1)[0].split()[0]
