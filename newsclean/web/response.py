"""One HTTP answer judged: a page, a redirect, a retryable failure or an error that says why.

The body is read as a stream and decompressed here in bounded steps, so neither a huge
body nor a gzip bomb ever holds more than the limit (plus one step). A PDF, an image
or JSON is a :class:`~newsclean.NotHTMLError` before its body is read; so is, once read,
a body whose bytes are binary (a PNG, a JPEG, gzip data again) whatever its label; an anti-bot
challenge page is a :class:`~newsclean.BlockedError`.
"""

from __future__ import annotations

import email.utils
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

from newsclean.errors import BlockedError, FetchError, HTTPStatusError, NotHTMLError, TooLargeError
from newsclean.page.limits import Deadline
from newsclean.page.sniff import is_html_type, looks_like_html, sniff_binary
from newsclean.web.transport import raw_chunks

__all__ = [
    "ERROR_BODY_BYTES", "Page", "Redirect", "Retryable", "challenge_vendor", "judge", "parse_retry_after",
    "read_body",
]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({408, 429})
ERROR_BODY_BYTES = 64 * 1024  # read of an error page, to recognise a challenge
STEP = 64 * 1024  # decompressed bytes produced per step


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
class Redirect:
    location: str


class Retryable(Exception):
    """An attempt failed in a way worth retrying; ``error`` is raised if none is left."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


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


async def read_body(response: httpx.Response, limit: int, *, url: str, truncate: bool = False) -> bytes:
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
    async for raw in raw_chunks(response):
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


async def judge(url: str, response: httpx.Response, deadline: Deadline, max_bytes: int) -> Page | Redirect:
    """What ``response`` to a GET of ``url`` is: a :class:`Page`, a :class:`Redirect`, or it raises
    (:class:`Retryable` for what is worth another try, a :class:`~newsclean.FetchError` otherwise)."""
    status = response.status_code
    headers = response.headers
    if status in REDIRECTS and headers.get("location"):
        return Redirect(headers["location"])
    if status >= 300:
        head = await read_body(response, ERROR_BODY_BYTES, url=url, truncate=True)
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
            raise Retryable(error, wait)
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
    if length.isdigit() and encoding == "identity" and int(length) > max_bytes:
        raise TooLargeError(
            f"the page is {int(length):,} bytes, more than max_bytes={max_bytes:,}",
            url=url,
        )
    body = await read_body(response, max_bytes, url=url)
    binary = sniff_binary(body)  # from the bytes, whatever the label says: a PNG is a PNG
    if binary is not None:
        raise NotHTMLError(
            f"not an HTML page: the server says {content_type or 'nothing'}, "
            f"but the {binary.removeprefix('input ')}",
            url=url,
            content_type=content_type,
        )
    if html is None and not looks_like_html(body):
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
