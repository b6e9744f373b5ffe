"""The HTTP client: made from :class:`~newsclean.FetchOptions` (HTTP/2, pool, on-disk cache,
the address guard pinned to the addresses it checked), and one awaitable face over httpx's
sync and async clients, so a caller may pass either.

The only module, with :mod:`newsclean.web.response`, that touches httpx objects.
"""

from __future__ import annotations

import asyncio
import importlib.util
import weakref
from collections.abc import AsyncIterator, Iterable
from pathlib import Path
from typing import Any

import httpcore
import httpx

from newsclean.errors import AddressNotAllowedError, FetchError
from newsclean.options import FetchOptions
from newsclean.web.addresses import Resolver, public_addresses

__all__ = [
    "Client", "PinnedBackend", "close", "guarded_transport", "is_pinned", "make_client", "raw_chunks", "send",
]

Client = httpx.AsyncClient | httpx.Client
_SocketOption = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]


_PINNED: weakref.WeakSet[httpx.AsyncClient] = weakref.WeakSet()


def is_pinned(client: Client) -> bool:
    """Whether ``client`` was made by :func:`make_client` with the address guard, so that
    it checks each address as it connects (no check before the request is needed)."""
    return isinstance(client, httpx.AsyncClient) and client in _PINNED


def make_client(
    options: FetchOptions,
    *,
    resolver: Resolver | None = None,
    backend: httpcore.AsyncNetworkBackend | None = None,
) -> httpx.AsyncClient:
    """An async client for ``options``: HTTP/2 when ``h2`` is installed, a pool sized for
    ``concurrency``, the on-disk cache when ``cache_dir`` is set; redirects are not followed.

    With ``allow_private_addresses=False`` its connections go through :class:`PinnedBackend`:
    each host is resolved once (by ``resolver``, default the system's), refused unless
    every address is public, and connected to at one of those addresses. (Proxies from the
    environment are then not used: the guard needs the connection to be its own.)
    ``backend`` replaces httpcore's network backend under it (tests record connections).
    """
    http2 = options.http2 and importlib.util.find_spec("h2") is not None
    limits = httpx.Limits(
        max_connections=max(options.concurrency * 2, 10),
        max_keepalive_connections=max(options.concurrency, 5),
    )
    transport: httpx.AsyncBaseTransport | None = None
    if not options.allow_private_addresses:
        transport = guarded_transport(http2=http2, limits=limits, resolver=resolver, inner=backend)
    if options.cache_dir is not None:
        inner = transport or httpx.AsyncHTTPTransport(http2=http2, limits=limits)
        transport = _cache_transport(options, inner)
    client = httpx.AsyncClient(http2=http2, limits=limits, transport=transport, follow_redirects=False)
    if not options.allow_private_addresses:
        _PINNED.add(client)
    return client


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to public addresses it checked itself.

    ``connect_tcp(host, port)`` resolves ``host`` once with ``resolver``, raises
    :class:`~newsclean.AddressNotAllowedError` if any address is not public, and connects
    ``inner`` (default: httpcore's anyio backend) to those addresses in turn. httpcore
    still starts TLS with the host name (SNI and certificate check) and the request keeps
    its ``Host`` header: only the address lookup is taken over, so no second lookup can
    answer differently.
    """

    def __init__(
        self, resolver: Resolver | None = None, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self.resolver = resolver
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect to one of ``host``'s checked addresses."""
        try:
            addresses = await asyncio.wait_for(
                public_addresses(host, port, url=host, resolver=self.resolver), timeout
            )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"timed out resolving {host}") from exc
        except AddressNotAllowedError:
            raise
        except FetchError as exc:  # the host does not resolve: a connection error like any other
            raise httpcore.ConnectError(str(exc)) from exc
        error: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout, OSError) as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[_SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Refused: a Unix socket is no public address."""
        raise httpcore.ConnectError(f"the Unix socket {path} is refused under the address guard")

    async def sleep(self, seconds: float) -> None:
        """Sleep as ``inner`` does."""
        await self.inner.sleep(seconds)


def guarded_transport(
    *,
    http2: bool = False,
    limits: httpx.Limits | None = None,
    resolver: Resolver | None = None,
    inner: httpcore.AsyncNetworkBackend | None = None,
) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connections go through :class:`PinnedBackend`."""
    limits = limits or httpx.Limits()
    transport = httpx.AsyncHTTPTransport(http2=http2, limits=limits)
    # httpx builds its httpcore pool without a way to pass a network backend: build it again
    # with the same settings and ours.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(),  # SSL_CERT_FILE / SSL_CERT_DIR still apply
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        http1=True,
        http2=http2,
        network_backend=PinnedBackend(resolver, inner),
    )
    return transport


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
