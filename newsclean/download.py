"""HTTP with bounds and manners: the one place (with :mod:`newsclean.fetch`) that uses httpx.

A :class:`Session` holds what a batch shares: one client (connection pool), the
robots.txt cache and the per-host limiter. ``await session.get(url)`` returns a
:class:`Page` (the bytes of an HTML page) or raises a :class:`~newsclean.FetchError`
subclass that says what went wrong in words a person understands.

What it guarantees:

- redirects are followed by hand, so every hop is checked: scheme ``http``/``https``
  only, loops and more than ``max_redirects`` hops refused, robots.txt and the
  private-address guard applied again;
- the body is read as a stream and decompressed here in bounded steps, so neither
  a huge body nor a gzip bomb ever holds more than ``max_bytes`` (plus one step);
- connection errors, timeouts, 408, 429 and 5xx are retried with tenacity
  (exponential back-off with jitter, or ``Retry-After``); other 4xx never are;
- a PDF, an image or JSON is a :class:`~newsclean.NotHTMLError` before its body is
  read; an anti-bot challenge page is a :class:`~newsclean.BlockedError`.
"""

from __future__ import annotations

import asyncio
import email.utils
import importlib.util
import re
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential, wait_random

from newsclean.addresses import check_address
from newsclean.errors import (
    BlockedError,
    FetchError,
    HTTPStatusError,
    NotHTMLError,
    TooLargeError,
)
from newsclean.errors import TimeoutError as FetchTimeoutError
from newsclean.fetch_options import FetchOptions
from newsclean.politeness import HostLimiter, RobotsCache

__all__ = ["Client", "Page", "Session", "challenge_vendor", "is_html_type", "parse_retry_after"]

Client = httpx.AsyncClient | httpx.Client

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
SNIFF_TYPES = frozenset({"", "application/octet-stream", "text/plain", "text/xml", "application/xml"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({408, 429})
ROBOTS_MAX_BYTES = 512 * 1024
ERROR_BODY_BYTES = 64 * 1024  # read of an error page, to recognise a challenge
STEP = 64 * 1024  # decompressed bytes produced per step
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)


def is_html_type(content_type: str | None) -> bool | None:
    """True for an HTML media type, False for another one, None when we must sniff.

    >>> is_html_type("text/html; charset=utf-8"), is_html_type("application/pdf")
    (True, False)
    >>> is_html_type(None) is None
    True
    """
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime in HTML_TYPES:
        return True
    return None if mime in SNIFF_TYPES else False


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date).

    >>> parse_retry_after("3")
    3.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    10.0
    >>> parse_retry_after("soon") is None
    True
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


_CHALLENGES: tuple[tuple[str, bytes, bool], ...] = (
    # (vendor, marker in the lower-cased body, also on a 2xx page?)
    ("Cloudflare", b"<title>just a moment...</title>", True),
    ("Cloudflare", b"_cf_chl_opt", True),
    ("Cloudflare", b"<title>attention required! | cloudflare</title>", True),
    ("Cloudflare", b"cf-chl", False),
    ("Cloudflare", b"/cdn-cgi/challenge-platform/", False),
    ("DataDome", b"captcha-delivery.com", False),
    ("PerimeterX", b"px-captcha", False),
)


def challenge_vendor(status: int, headers: httpx.Headers, head: bytes) -> str | None:
    """The anti-bot vendor whose challenge page this is, or None.

    Markers that Cloudflare also puts into ordinary pages (its detection script)
    only count on error statuses.

    >>> challenge_vendor(403, httpx.Headers(), b"<html><title>Just a moment...</title>")
    'Cloudflare'
    >>> challenge_vendor(200, httpx.Headers(), b"<script src='/cdn-cgi/challenge-platform/x.js'>")
    """
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare"
    text = head[:ERROR_BODY_BYTES].lower()
    for vendor, marker, on_success in _CHALLENGES:
        if (on_success or status >= 400) and marker in text:
            return vendor
    return None


@dataclass(frozen=True)
class Page:
    """A downloaded HTML page."""

    url: str
    final_url: str
    status: int
    content_type: str | None
    body: bytes
    redirects: tuple[str, ...] = ()
    from_cache: bool = False
    elapsed: float = 0.0


@dataclass(frozen=True)
class _Redirect:
    location: str


class _Retryable(Exception):
    """An attempt failed in a way worth retrying; ``error`` is raised if none is left."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


@dataclass
class _Deadline:
    """The total time limit of one URL; queueing time is given back with :meth:`extend`."""

    seconds: float
    end: float = field(init=False)

    def __post_init__(self) -> None:
        self.end = time.monotonic() + self.seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def extend(self, seconds: float) -> None:
        self.end += seconds


class _Inflater:
    """Decompress a ``Content-Encoding`` in bounded steps (gzip-bomb safe)."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._new()

    def _new(self) -> None:
        wbits = zlib.MAX_WBITS | 32 if self.encoding != "deflate" else zlib.MAX_WBITS
        self._zlib = zlib.decompressobj(wbits)
        self._first = True

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decompress ``data`` lazily, at most :data:`STEP` bytes per chunk."""
        if self.encoding == "identity":
            if data:
                yield data
            return
        if not data:
            return
        while True:
            try:
                chunk = self._zlib.decompress(data, STEP)
            except zlib.error:
                if self.encoding == "deflate" and self._first:
                    # Some servers send raw deflate without the zlib header.
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._first = False
                    continue
                raise
            self._first = False
            if chunk:
                yield chunk
            if self._zlib.unconsumed_tail:
                data = self._zlib.unconsumed_tail
            elif self._zlib.eof and self._zlib.unused_data:
                data = self._zlib.unused_data  # concatenated gzip members
                self._new()
            elif len(chunk) == STEP and not self._zlib.eof:
                data = b""  # the output was cut at STEP: drain what zlib still holds
            else:
                return


class Session:
    """What a batch shares: a client, a robots.txt cache and a per-host limiter.

    Use as ``async with Session(options, client) as session: page = await session.get(url)``.
    A client passed in is used as it is (its transport, pool and cache) and not
    closed; otherwise one is made from ``options`` and closed on exit.
    """

    def __init__(self, options: FetchOptions, client: Client | None = None) -> None:
        self.options = options
        self._own = client is None
        self.client: Client = client if client is not None else _make_client(options)
        self.limiter = HostLimiter(options.per_host, options.per_host_delay)
        self.robots = RobotsCache(self._fetch_robots, options.robots_agent)
        self._headers = {
            "User-Agent": options.agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            "Accept-Encoding": "gzip, deflate",
        }

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
        deadline = _Deadline(self.options.total_timeout)
        started = time.monotonic()
        current, seen = url, {_loop_key(url)}
        hops: list[str] = []
        for _ in range(self.options.max_redirects + 1):
            await self._admit(current, deadline, first=url)
            outcome = await self._attempts(current, deadline)
            if isinstance(outcome, Page):
                return Page(
                    url=url,
                    final_url=current,
                    status=outcome.status,
                    content_type=outcome.content_type,
                    body=outcome.body,
                    redirects=tuple(hops),
                    from_cache=outcome.from_cache,
                    elapsed=time.monotonic() - started,
                )
            target = urljoin(current, outcome.location)
            if _loop_key(target) in seen:
                chain = " -> ".join([*hops, current, target])
                raise FetchError(f"redirect loop: {chain}", url=url)
            seen.add(_loop_key(target))
            hops.append(current)
            current = target
        raise FetchError(
            f"too many redirects (more than {self.options.max_redirects}), last to {current}",
            url=url,
        )

    async def _admit(self, url: str, deadline: _Deadline, *, first: str) -> None:
        """Check one hop before requesting it: scheme, address guard, robots.txt."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            what = f"scheme {scheme!r}" if scheme else "a URL without a scheme"
            raise FetchError(f"cannot fetch {url!r}: {what}; only http and https URLs", url=first)
        try:
            host, port = parts.hostname, parts.port
        except ValueError as exc:
            raise FetchError(f"malformed URL {url!r}: {exc}", url=first) from exc
        if not host:
            raise FetchError(f"malformed URL {url!r}: no host", url=first)
        allowed = True
        try:
            if not self.options.allow_private_addresses:
                await asyncio.wait_for(
                    check_address(host, port or (443 if scheme == "https" else 80), url=first),
                    max(deadline.remaining(), 0.001),
                )
            if self.options.respect_robots:
                allowed = await asyncio.wait_for(self.robots.allowed(url), max(deadline.remaining(), 0.001))
        except TimeoutError:
            raise self._total_timeout(first) from None
        if not allowed:
            reason = await self.robots.status(url)
            raise BlockedError(
                f"{reason} ({url}); pass respect_robots=False (--no-robots) to fetch anyway",
                url=first,
            )

    async def _attempts(self, url: str, deadline: _Deadline) -> Page | _Redirect:
        # exponential back-off (backoff, 2*backoff, 4*backoff... at most 30 s) plus up to backoff of jitter
        backoff = wait_exponential(multiplier=self.options.backoff, max=30) + wait_random(
            0, self.options.backoff
        )

        def wait(state: RetryCallState) -> float:
            outcome = state.outcome
            exc = outcome.exception() if outcome is not None else None
            assert isinstance(exc, _Retryable)  # retry= lets only these through
            seconds = exc.retry_after if exc.retry_after is not None else float(backoff(state))
            if seconds >= deadline.remaining():
                raise exc  # no time left to wait: report the real failure, not a timeout
            return seconds

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.options.retries + 1),
            wait=wait,
            retry=retry_if_exception_type(_Retryable),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._once(url, deadline)
        except _Retryable as exc:
            raise exc.error from None
        raise AssertionError("unreachable: tenacity either returns or raises")

    async def _once(self, url: str, deadline: _Deadline) -> Page | _Redirect:
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
            except httpx.TimeoutException as exc:
                phase = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting for data"
                limit = (
                    self.options.connect_timeout
                    if isinstance(exc, httpx.ConnectTimeout)
                    else self.options.read_timeout
                )
                timeout = FetchTimeoutError(f"timed out {phase} (limit {limit:g} s)", url=url)
                raise _Retryable(timeout) from exc
            except (httpx.UnsupportedProtocol, httpx.InvalidURL, httpx.DecodingError) as exc:
                raise FetchError(f"cannot fetch: {exc}", url=url) from exc
            except httpx.TransportError as exc:
                error = FetchError(f"connection failed: {exc or type(exc).__name__}", url=url)
                raise _Retryable(error) from exc
            except zlib.error as exc:
                raise FetchError(f"the compressed body is corrupt: {exc}", url=url) from exc

    def _total_timeout(self, url: str) -> FetchTimeoutError:
        return FetchTimeoutError(
            f"took longer than {self.options.total_timeout:g} s in total (total_timeout)", url=url
        )

    def _request(self, url: str, deadline: _Deadline) -> tuple[httpx.Request, float]:
        """A GET for ``url`` whose timeouts never exceed what is left of ``deadline``."""
        remaining = max(deadline.remaining(), 0.001)
        timeout = httpx.Timeout(
            connect=min(self.options.connect_timeout, remaining),
            read=min(self.options.read_timeout, remaining),
            write=min(self.options.read_timeout, remaining),
            pool=remaining,
        )
        return self.client.build_request("GET", url, headers=self._headers, timeout=timeout), remaining

    async def _exchange(self, url: str, deadline: _Deadline) -> Page | _Redirect:
        request, _ = self._request(url, deadline)
        response = await _send(self.client, request)
        try:
            return await self._judge(url, response, deadline)
        finally:
            await _close(response)

    async def _judge(self, url: str, response: httpx.Response, deadline: _Deadline) -> Page | _Redirect:
        status = response.status_code
        headers = response.headers
        if status in REDIRECTS and headers.get("location"):
            return _Redirect(headers["location"])
        if status >= 300:
            head = await _read(response, ERROR_BODY_BYTES, url=url, truncate=True)
            vendor = challenge_vendor(status, headers, head)
            if vendor:
                raise BlockedError(
                    f"an anti-bot challenge page ({vendor}) answered with status {status} "
                    "instead of the article",
                    url=url,
                )
            reason = response.reason_phrase or "error"
            if status in RETRY_STATUSES or status >= 500:
                wait = parse_retry_after(headers.get("retry-after"))
                error = HTTPStatusError(f"the server answered {status} {reason}", url=url, status=status)
                if wait is not None and wait > deadline.remaining():
                    raise HTTPStatusError(
                        f"the server answered {status} {reason} and asked to retry after "
                        f"{wait:g} s, beyond the time limit",
                        url=url,
                        status=status,
                    )
                raise _Retryable(error, wait)
            raise HTTPStatusError(f"the server answered {status} {reason}", url=url, status=status)
        content_type = headers.get("content-type")
        html = is_html_type(content_type)
        if html is False:
            raise NotHTMLError(
                f"not an HTML page: the server says it is {content_type}",
                url=url,
                content_type=content_type,
            )
        length = headers.get("content-length", "")
        encoding = headers.get("content-encoding", "identity").strip().lower() or "identity"
        if length.isdigit() and encoding == "identity" and int(length) > self.options.max_bytes:
            raise TooLargeError(
                f"the page is {int(length):,} bytes, more than max_bytes={self.options.max_bytes:,}",
                url=url,
            )
        body = await _read(response, self.options.max_bytes, url=url)
        if html is None and not _HTML_START.match(body[:4096].lstrip(b"\xef\xbb\xbf")):
            raise NotHTMLError(
                f"not an HTML page: the server says {content_type or 'nothing'} "
                "and the content does not look like HTML",
                url=url,
                content_type=content_type,
            )
        vendor = challenge_vendor(status, headers, body)
        if vendor:
            raise BlockedError(f"an anti-bot challenge page ({vendor}) answered", url=url)
        caching = response.extensions.get("caching")
        return Page(
            url=url,
            final_url=url,
            status=status,
            content_type=content_type,
            body=body,
            from_cache=bool(caching.get("from_cache")) if isinstance(caching, dict) else False,
        )

    # -- robots.txt --------------------------------------------------------------

    async def _fetch_robots(self, origin: str) -> tuple[int, str]:
        """GET ``origin/robots.txt``: up to 5 redirects, 512 KiB, one retry round."""
        url = origin + "/robots.txt"
        deadline = _Deadline(self.options.total_timeout)
        for _ in range(6):
            request, remaining = self._request(url, deadline)
            try:
                response = await asyncio.wait_for(_send(self.client, request), remaining)
                try:
                    if response.status_code in REDIRECTS and response.headers.get("location"):
                        url = urljoin(url, response.headers["location"])
                        parts = urlsplit(url)
                        if parts.scheme not in ("http", "https") or not parts.hostname:
                            return 404, ""
                        if not self.options.allow_private_addresses:
                            port = parts.port or (443 if parts.scheme == "https" else 80)
                            await check_address(parts.hostname, port, url=origin + "/robots.txt")
                        continue
                    if response.status_code >= 300:
                        return response.status_code, ""
                    body = await _read(response, ROBOTS_MAX_BYTES, url=url, truncate=True)
                finally:
                    await _close(response)
            except (TimeoutError, httpx.TimeoutException) as exc:
                raise FetchTimeoutError(
                    f"timed out reading {origin}/robots.txt", url=origin + "/robots.txt"
                ) from exc
            except (httpx.HTTPError, zlib.error) as exc:
                raise FetchError(
                    f"connection failed while reading robots.txt: {exc or type(exc).__name__}",
                    url=origin + "/robots.txt",
                ) from exc
            return response.status_code, body.decode("utf-8", errors="replace")
        return 404, ""  # a redirect loop: treated as unavailable, i.e. allow all


def _loop_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path or '/'}?{parts.query}"


def _make_client(options: FetchOptions) -> httpx.AsyncClient:
    http2 = options.http2 and importlib.util.find_spec("h2") is not None
    limits = httpx.Limits(
        max_connections=max(options.concurrency * 2, 10),
        max_keepalive_connections=max(options.concurrency, 5),
    )
    transport: httpx.AsyncBaseTransport | None = None
    if options.cache_dir is not None:
        transport = _cache_transport(options, httpx.AsyncHTTPTransport(http2=http2, limits=limits))
    return httpx.AsyncClient(http2=http2, limits=limits, transport=transport, follow_redirects=False)


def _cache_transport(options: FetchOptions, inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
    try:
        from hishel import AsyncSqliteStorage
        from hishel.httpx import AsyncCacheTransport
    except ImportError as exc:
        raise ImportError("cache_dir needs the hishel package: pip install 'newsclean[cache]'") from exc
    folder = Path(options.cache_dir or ".")
    folder.mkdir(parents=True, exist_ok=True)
    storage = AsyncSqliteStorage(
        database_path=folder / "newsclean-http-cache.sqlite", default_ttl=options.cache_ttl
    )
    # rfc=False: keep every successful GET for cache_ttl, whatever its caching
    # headers say, so that re-running a pipeline does not download again.
    transport: httpx.AsyncBaseTransport = AsyncCacheTransport(
        next_transport=inner, storage=storage, rfc=False
    )
    return transport


# -- sync and async clients behind one awaitable face ----------------------------


async def _send(client: Client, request: httpx.Request) -> httpx.Response:
    if isinstance(client, httpx.AsyncClient):
        return await client.send(request, stream=True, follow_redirects=False)
    return await asyncio.to_thread(client.send, request, stream=True, follow_redirects=False)


async def _close(response: httpx.Response) -> None:
    if isinstance(response.stream, httpx.AsyncByteStream):
        await response.aclose()
    else:
        await asyncio.to_thread(response.close)


async def _raw_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    if isinstance(response.stream, httpx.AsyncByteStream):
        async for chunk in response.aiter_raw():
            yield chunk
        return
    iterator = response.iter_raw()
    while True:
        piece: Any = await asyncio.to_thread(next, iterator, None)
        if piece is None:
            return
        yield piece


async def _read(response: httpx.Response, limit: int, *, url: str, truncate: bool = False) -> bytes:
    """The decoded body, at most ``limit`` bytes: beyond it, TooLargeError (or cut if ``truncate``)."""
    if response.is_stream_consumed:  # built in memory (e.g. a MockTransport reply): already decoded
        body = response.content
        if len(body) > limit and not truncate:
            raise TooLargeError(f"the page is larger than max_bytes={limit:,} bytes", url=url)
        return body[:limit]
    encodings = [
        e.strip().lower()
        for e in response.headers.get("content-encoding", "").split(",")
        if e.strip() and e.strip().lower() != "identity"
    ]
    known = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}
    if len(encodings) > 1 or (encodings and encodings[0] not in known):
        raise FetchError(
            f"unsupported Content-Encoding {response.headers.get('content-encoding')!r}", url=url
        )
    inflater = _Inflater(known[encodings[0]] if encodings else "identity")
    parts: list[bytes] = []
    size = 0
    async for raw in _raw_chunks(response):
        for chunk in inflater.feed(raw):
            size += len(chunk)
            if size > limit:
                if truncate:
                    parts.append(chunk[: len(chunk) - (size - limit)])
                    return b"".join(parts)
                raise TooLargeError(
                    f"the page is larger than max_bytes={limit:,} bytes (after decompression)",
                    url=url,
                )
            parts.append(chunk)
    return b"".join(parts)
