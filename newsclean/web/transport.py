"""The HTTP client: made from :class:`~newsclean.FetchOptions` (HTTP/2, pool, on-disk cache),
and one awaitable face over httpx's sync and async clients, so a caller may pass either.

The only module, with :mod:`newsclean.web.response`, that touches httpx objects.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from newsclean.options import FetchOptions

__all__ = ["Client", "close", "make_client", "raw_chunks", "send"]

Client = httpx.AsyncClient | httpx.Client


def make_client(options: FetchOptions) -> httpx.AsyncClient:
    """An async client for ``options``: HTTP/2 when ``h2`` is installed, a pool sized for
    ``concurrency``, the on-disk cache when ``cache_dir`` is set; redirects are not followed."""
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


async def send(client: Client, request: httpx.Request) -> httpx.Response:
    """Send ``request`` on either kind of client, streaming, never following redirects."""
    if isinstance(client, httpx.AsyncClient):
        return await client.send(request, stream=True, follow_redirects=False)
    return await asyncio.to_thread(client.send, request, stream=True, follow_redirects=False)


async def close(response: httpx.Response) -> None:
    """Close a streamed response of either kind of client."""
    if isinstance(response.stream, httpx.AsyncByteStream):
        await response.aclose()
    else:
        await asyncio.to_thread(response.close)


async def raw_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    """The response body as it came over the wire (still content-encoded), chunk by chunk."""
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
