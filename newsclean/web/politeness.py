"""Being a good guest: per-host concurrency and delay, and robots.txt.

Neither class does any I/O itself: :class:`RobotsCache` is handed a coroutine that
downloads a robots.txt, so only :mod:`newsclean.web.session` talks HTTP.

>>> import asyncio
>>> async def robots(origin: str) -> tuple[int, str]:
...     return 200, "User-agent: *\\nDisallow: /private\\n"
>>> cache = RobotsCache(robots, agent="newsclean")
>>> asyncio.run(cache.allowed("https://example.com/news/1"))
True
>>> asyncio.run(cache.allowed("https://example.com/private/1"))
False
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from protego import Protego

__all__ = ["MAX_CRAWL_DELAY", "HostLimiter", "RobotsCache", "origin_of"]

MAX_CRAWL_DELAY = 30.0  # a robots.txt Crawl-delay above this is capped


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, lower-cased: the key robots.txt applies to.

    >>> origin_of("HTTPS://Example.com:8443/a?b")
    'https://example.com:8443'
    """
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


@dataclass
class _Host:
    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


class HostLimiter:
    """At most ``per_host`` requests at once to one host, starting ``delay`` seconds apart.

    ``slot(host)`` is an async context manager that yields the seconds it waited,
    so a caller can keep queueing time out of its own time limit.
    """

    def __init__(self, per_host: int, delay: float) -> None:
        self.per_host = per_host
        self.delay = delay
        self._hosts: dict[str, _Host] = {}

    @asynccontextmanager
    async def slot(self, host: str, delay: float | None = None) -> AsyncIterator[float]:
        """Hold one of ``host``'s slots; ``delay`` overrides the spacing (e.g. Crawl-delay)."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _Host(asyncio.Semaphore(self.per_host))
        async with state.slots:
            async with state.lock:
                wait = state.next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                state.next_start = loop.time() + max(self.delay, delay or 0.0)
            yield loop.time() - started


RobotsFetcher = Callable[[str], Awaitable[tuple[int, str]]]
"""Given an origin, download ``origin + "/robots.txt"``: ``(status, text)``."""


class RobotsCache:
    """robots.txt, fetched once per origin (concurrent callers share one download).

    Status handling follows RFC 9309: 2xx is parsed; 4xx means everything is allowed;
    5xx means nothing is (the site is not in a state to be crawled). A download
    that fails outright propagates the fetcher's exception to every waiting caller.
    """

    def __init__(self, fetcher: RobotsFetcher, agent: str) -> None:
        self._fetcher = fetcher
        self.agent = agent
        self._rules: dict[str, asyncio.Task[Protego | bool]] = {}

    async def _get(self, url: str) -> Protego | bool:
        origin = origin_of(url)
        task = self._rules.get(origin)
        if task is None:
            task = self._rules[origin] = asyncio.ensure_future(self._load(origin))
        try:
            return await asyncio.shield(task)
        except Exception:
            if self._rules.get(origin) is task:  # a failed download is tried again next time
                del self._rules[origin]
            raise

    async def _load(self, origin: str) -> Protego | bool:
        status, text = await self._fetcher(origin)
        if 200 <= status < 300:
            return Protego.parse(text)
        return status < 500  # 4xx: allow all; 5xx: disallow all

    async def allowed(self, url: str) -> bool:
        """Whether our agent may fetch ``url``."""
        rules = await self._get(url)
        if isinstance(rules, bool):
            return rules
        return bool(rules.can_fetch(url, self.agent))

    async def status(self, url: str) -> str:
        """A short reason for a refusal, for error messages."""
        rules = await self._get(url)
        if rules is False:
            return "robots.txt answered with a server error, which means 'do not crawl'"
        return "robots.txt disallows this URL"

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay for ``url``'s origin if its robots.txt is loaded, capped."""
        task = self._rules.get(origin_of(url))
        if task is None or not task.done() or task.cancelled() or task.exception():
            return None
        rules = task.result()
        if isinstance(rules, bool):
            return None
        delay = rules.crawl_delay(self.agent)
        return min(float(delay), MAX_CRAWL_DELAY) if delay else None
