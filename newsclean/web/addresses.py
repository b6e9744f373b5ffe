"""The opt-in guard against private, loopback and link-local addresses.

A service that fetches URLs its users supply must not let them reach the
machine's own network (cloud metadata at 169.254.169.254, admin ports on
127.0.0.1...). The check runs after DNS resolution, on every redirect hop.

>>> is_public("93.184.216.34"), is_public("127.0.0.1"), is_public("169.254.169.254")
(True, False, False)
>>> is_public("::ffff:10.0.0.1")
False
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from newsclean.errors import AddressNotAllowedError, FetchError

__all__ = ["check_address", "is_public"]


def is_public(address: str) -> bool:
    """Whether ``address`` (an IP literal) is a globally routable unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def check_address(host: str, port: int, *, url: str) -> None:
    """Resolve ``host`` and raise :class:`AddressNotAllowedError` if any address is not public."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {host!r}: {exc.strerror}", url=url) from exc
    for info in infos:
        address = str(info[4][0])
        if not is_public(address):
            raise AddressNotAllowedError(
                f"{host} resolves to {address}, a private, loopback or link-local address; "
                "such addresses are refused (allow_private_addresses=False)",
                url=url,
            )
