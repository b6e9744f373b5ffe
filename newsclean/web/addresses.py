"""The opt-in guard against private, loopback and link-local addresses.

A service that fetches URLs its users supply must not let them reach the
machine's own network (cloud metadata at 169.254.169.254, admin ports on
127.0.0.1...). The check runs on the resolved addresses, on every redirect hop, and
the connection goes to an address that was checked: newsclean's own client resolves
each host once, when it connects, refuses it if any address is not public, and
connects to those very addresses (keeping the host name for the ``Host`` header and
TLS), so a DNS answer that changes between a check and a connection (DNS rebinding)
cannot slip through (see :class:`~newsclean.web.transport.PinnedBackend`).

>>> is_public("93.184.216.34"), is_public("127.0.0.1"), is_public("169.254.169.254")
(True, False, False)
>>> is_public("::ffff:10.0.0.1")
False
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable

from newsclean.errors import AddressNotAllowedError, FetchError

__all__ = ["Resolver", "check_address", "is_public", "public_addresses", "system_resolver"]

Resolver = Callable[[str, int], Awaitable[list[str]]]
"""Turns ``(host, port)`` into IP addresses: the system's DNS, or one a test injects."""


def is_public(address: str) -> bool:
    """Whether ``address`` (an IP literal) is a globally routable unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolves ``host`` to (``getaddrinfo``), in its order, once each."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def public_addresses(host: str, port: int, *, url: str, resolver: Resolver | None = None) -> list[str]:
    """Resolve ``host`` once: its addresses, or :class:`AddressNotAllowedError` if any is not public.

    >>> async def rebinding(host: str, port: int) -> list[str]:
    ...     return ["93.184.216.34", "127.0.0.1"]
    >>> asyncio.run(public_addresses("x.test", 80, url="http://x.test/", resolver=rebinding))
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newsclean.errors.AddressNotAllowedError: http://x.test/: x.test resolves to 127.0.0.1, ...
    """
    try:
        addresses = await (resolver or system_resolver)(host, port)
    except (socket.gaierror, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, socket.gaierror) else str(exc)
        raise FetchError(f"cannot resolve host {host!r}: {reason}", url=url) from exc
    if not addresses:
        raise FetchError(f"cannot resolve host {host!r}: no address", url=url)
    for address in addresses:
        try:
            public = is_public(address)
        except ValueError:
            public = False
        if not public:
            raise AddressNotAllowedError(
                f"{host} resolves to {address}, a private, loopback or link-local address; "
                "such addresses are refused (allow_private_addresses=False)",
                url=url,
            )
    return addresses


async def check_address(host: str, port: int, *, url: str, resolver: Resolver | None = None) -> None:
    """Resolve ``host`` and raise :class:`AddressNotAllowedError` if any address is not public.

    Only a check: a client that resolves the host again when it connects may get another
    answer. newsclean's own client does not (it connects to what it checked); this is for
    a client passed in, whose connections newsclean does not make.
    """
    await public_addresses(host, port, url=url, resolver=resolver)
