"""What a batch shares when fetching: one client, the robots.txt cache and the per-host limiter.

``await session.get(url)`` returns a :class:`~newsclean.web.response.Page` (the bytes of
an HTML page) or raises a :class:`~newsclean.FetchError` subclass that says what went
wrong in words a person understands. Redirects are followed here, by hand, so every hop
is admitted: scheme ``http``/``https`` only, loops and more than ``max_redirects`` hops
refused, the private-address guard and robots.txt applied again. Connection errors,
timeouts, 408, 429 and 5xx are retried with tenacity (exponential back-off with jitter,
or ``Retry-After``); other 4xx never are. robots.txt itself is fetched through the same
walk (no retries, at most :data:`ROBOTS_MAX_BYTES`).
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential, wait_random

from newsclean.errors import AddressNotAllowedError, BlockedError, FetchError, FetchTimeout
from newsclean.options import FetchOptions
from newsclean.page.limits import Deadline
from newsclean.web.addresses import Resolver, check_address
from newsclean.web.politeness import HostLimiter, RobotsCache
from newsclean.web.response import REDIRECTS, Page, Redirect, Retryable, judge, read_body
from newsclean.web.transport import Client, close, is_pinned, make_client, send

__all__ = ["ROBOTS_MAX_BYTES", "Session"]

ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_MAX_REDIRECTS = 5
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"

T = TypeVar("T")


class _BadRedirect(Exception):
    """A hop that cannot be followed: a loop, too many redirects, or a scheme other than http(s).
    :meth:`Session.get` reports it as a :class:`FetchError`; for robots.txt it means "none"."""

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class Session:
    """What a batch shares: a client, a robots.txt cache and a per-host limiter.

    Use as ``async with Session(options, client) as session: page = await session.get(url)``.
    A client passed in is used as it is (its transport, pool and cache) and not
    closed; otherwise one is made from ``options`` and closed on exit.

    Under the address guard (``allow_private_addresses=False``) a client made here checks
    each address as it connects and connects to what it checked
    (:class:`~newsclean.web.transport.PinnedBackend`), and so does one passed in that
    :func:`~newsclean.web.transport.make_client` made; for any other client, whose
    connections newsclean does not make, each hop's host is resolved and checked before
    the request instead, which a DNS answer that changes in between can defeat.
    ``resolver`` replaces the system's DNS for both (tests inject one).
    """

    def __init__(
        self, options: FetchOptions, client: Client | None = None, *, resolver: Resolver | None = None
    ) -> None:
        self.options = options
        self._own = client is None
        self.resolver = resolver
        self.client: Client = client if client is not None else make_client(options, resolver=resolver)
        self.limiter = HostLimiter(options.per_host, options.per_host_delay)
        self.robots = RobotsCache(self._fetch_robots, options.robots_agent)
        self._headers = {"User-Agent": options.agent, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"}

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client if this session made it."""
        if self._own:
            if isinstance(self.client, httpx.AsyncClient):
                await self.client.aclose()
            else:
                self.client.close()

    # -- one URL ---------------------------------------------------------------

    async def get(self, url: str) -> Page:
        """Download ``url`` (following redirects) or raise a :class:`FetchError`."""
        deadline = Deadline(self.options.total_timeout)
        started = time.monotonic()
        try:
            urlsplit(url).port  # noqa: B018 - raises ValueError for a malformed URL
        except ValueError as exc:
            raise FetchError(f"malformed URL {url!r}: {exc}", url=url) from None
        try:
            final, hops, page = await self._walk(url, deadline, self._attempts, self.options.max_redirects)
        except _BadRedirect as exc:
            raise FetchError(exc.message, url=exc.url) from None
        return Page(
            url=url,
            final_url=final,
            status=page.status,
            content_type=page.content_type,
            body=page.body,
            redirects=tuple(hops),
            from_cache=page.from_cache,
            elapsed=time.monotonic() - started,
        )

    async def _walk(
        self,
        url: str,
        deadline: Deadline,
        step: Callable[[str, Deadline], Awaitable[T | Redirect]],
        max_redirects: int,
        *,
        robots: bool = True,
    ) -> tuple[str, list[str], T]:
        """Follow redirects from ``url``, admitting each hop, until ``step`` gives something
        else: the final URL, the URLs redirected from, and that outcome."""
        current, seen = url, {_loop_key(url)}
        hops: list[str] = []
        for _ in range(max_redirects + 1):
            await self._admit(current, deadline, first=url, robots=robots)
            outcome = await step(current, deadline)
            if not isinstance(outcome, Redirect):
                return current, hops, outcome
            try:
                target = urljoin(current, outcome.location)
                key = _loop_key(target)
            except ValueError as exc:
                raise _BadRedirect(f"malformed redirect to {outcome.location!r}: {exc}", url=url) from None
            if key in seen:
                chain = " -> ".join([*hops, current, target])
                raise _BadRedirect(f"redirect loop: {chain}", url=url)
            seen.add(key)
            hops.append(current)
            current = target
        raise _BadRedirect(f"too many redirects (more than {max_redirects}), last to {current}", url=url)

    async def _admit(self, url: str, deadline: Deadline, *, first: str, robots: bool = True) -> None:
        """Check one hop before requesting it: scheme, address guard, robots.txt."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            what = f"scheme {scheme!r}" if scheme else "a URL without a scheme"
            raise _BadRedirect(f"cannot fetch {url!r}: {what}; only http and https URLs", url=first)
        try:
            host, port = parts.hostname, parts.port
        except ValueError as exc:
            raise FetchError(f"malformed URL {url!r}: {exc}", url=first) from exc
        if not host:
            raise FetchError(f"malformed URL {url!r}: no host", url=first)
        allowed = True
        try:
            if not self.options.allow_private_addresses and not is_pinned(self.client):
                # (a client made here checks as it connects, at the address it connects to)
                await asyncio.wait_for(
                    check_address(host, port or (443 if scheme == "https" else 80), url=first,
                                  resolver=self.resolver),
                    max(deadline.remaining(), 0.001),
                )
            if robots and self.options.respect_robots:
                allowed = await asyncio.wait_for(self.robots.allowed(url), max(deadline.remaining(), 0.001))
        except TimeoutError:
            raise self._total_timeout(first) from None
        if not allowed:
            reason = await self.robots.status(url)
            raise BlockedError(
                f"{reason} ({url}); pass respect_robots=False (--no-robots) to fetch anyway",
                url=first,
            )

    async def _attempts(self, url: str, deadline: Deadline) -> Page | Redirect:
        """One hop, retried as :class:`FetchOptions` says."""
        # exponential back-off (backoff, 2*backoff, 4*backoff... at most 30 s) plus up to backoff of jitter
        backoff = wait_exponential(multiplier=self.options.backoff, max=30) + wait_random(
            0, self.options.backoff
        )

        def wait(state: RetryCallState) -> float:
            outcome = state.outcome
            exc = outcome.exception() if outcome is not None else None
            assert isinstance(exc, Retryable)  # retry= lets only these through
            seconds = exc.retry_after if exc.retry_after is not None else float(backoff(state))
            if seconds >= deadline.remaining():
                raise exc  # no time left to wait: report the real failure, not a timeout
            return seconds

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.options.retries + 1),
            wait=wait,
            retry=retry_if_exception_type(Retryable),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._once(url, deadline)
        except Retryable as exc:
            raise exc.error from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    async def _once(self, url: str, deadline: Deadline) -> Page | Redirect:
        host = (urlsplit(url).hostname or "").lower()
        delay = self.robots.crawl_delay(url) if self.options.respect_robots else None
        async with self.limiter.slot(host, delay) as waited:
            deadline.extend(waited)
            remaining = deadline.remaining()
            if remaining <= 0:
                raise self._total_timeout(url)
            try:
                return await asyncio.wait_for(self._exchange(url, deadline), remaining)
            except TimeoutError:
                raise self._total_timeout(url) from None
            except AddressNotAllowedError as exc:  # from the pinned connection: name the URL
                raise AddressNotAllowedError(str(exc).removeprefix(f"{exc.url}: "), url=url) from None
            except httpx.TimeoutException as exc:
                phase = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for data"
                limit = (
                    self.options.connect_timeout
                    if isinstance(exc, httpx.ConnectTimeout)
                    else self.options.read_timeout
                )
                raise Retryable(FetchTimeout(f"timed out {phase} (limit {limit:g} s)", url=url)) from exc
            except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.DecodingError) as exc:
                raise FetchError(f"cannot fetch: {exc}", url=url) from exc
            except httpx.TransportError as exc:
                error = FetchError(f"connection failed: {exc or type(exc).__name__}", url=url)
                raise Retryable(error) from exc
            except zlib.error as exc:
                raise FetchError(f"the compressed body is corrupt: {exc}", url=url) from exc

    def _total_timeout(self, url: str) -> FetchTimeout:
        limit = self.options.total_timeout
        return FetchTimeout(f"took longer than {limit:g} s in total (total_timeout)", url=url)

    def _request(self, url: str, deadline: Deadline) -> httpx.Request:
        """A GET for ``url`` whose timeouts never exceed what is left of ``deadline``."""
        remaining = max(deadline.remaining(), 0.001)
        timeout = httpx.Timeout(
            connect=min(self.options.connect_timeout, remaining),
            read=min(self.options.read_timeout, remaining),
            write=min(self.options.read_timeout, remaining),
            pool=remaining,
        )
        return self.client.build_request("GET", url, headers=self._headers, timeout=timeout)

    async def _exchange(self, url: str, deadline: Deadline) -> Page | Redirect:
        response = await send(self.client, self._request(url, deadline))
        try:
            return await judge(url, response, deadline, self.options.max_bytes)
        finally:
            await close(response)

    # -- robots.txt --------------------------------------------------------------

    async def _fetch_robots(self, origin: str) -> tuple[int, str]:
        """GET ``origin/robots.txt``: the status and text (an error status with no text).
        A redirect that cannot be followed counts as no robots.txt (404: allow all)."""
        url = origin + "/robots.txt"
        deadline = Deadline(self.options.total_timeout)
        try:
            _, _, answer = await self._walk(url, deadline, self._robots_once, ROBOTS_MAX_REDIRECTS,
                                            robots=False)
        except _BadRedirect:
            return 404, ""
        return answer

    async def _robots_once(self, url: str, deadline: Deadline) -> tuple[int, str] | Redirect:
        try:
            response = await asyncio.wait_for(send(self.client, self._request(url, deadline)),
                                              max(deadline.remaining(), 0.001))
            try:
                status = response.status_code
                if status in REDIRECTS and response.headers.get("location"):
                    return Redirect(response.headers["location"])
                if status >= 300:
                    return status, ""
                body = await read_body(response, ROBOTS_MAX_BYTES, url=url, truncate=True)
            finally:
                await close(response)
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise FetchTimeout(f"timed out reading {url}", url=url) from exc
        except AddressNotAllowedError as exc:  # from the pinned connection: name the URL
            raise AddressNotAllowedError(str(exc).removeprefix(f"{exc.url}: "), url=url) from None
        except (httpx.HTTPError, zlib.error) as exc:
            raise FetchError(
                f"connection failed while reading robots.txt: {exc or type(exc).__name__}", url=url
            ) from exc
        return status, body.decode("utf-8", errors="replace")


def _loop_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path or '/'}?{parts.query}"
