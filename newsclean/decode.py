"""Bytes to text: declared charset, BOM, ``<meta charset>``, then detection.

Never raises on a wrong or unknown declaration; undecodable bytes become U+FFFD.

>>> decode_html(b"<p>caf\\xe9</p>", declared="windows-1252")
'<p>café</p>'
>>> decode_html("<p>already text</p>")
'<p>already text</p>'
>>> decode_html(b'<meta charset="utf-8"><p>\\xc3\\xa9</p>')
'<meta charset="utf-8"><p>é</p>'
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

__all__ = ["charset_from_content_type", "decode_html"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.IGNORECASE
)
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.IGNORECASE)
_SNIFF = 4096  # bytes of the head searched for <meta charset>
_DETECT = 65536  # bytes handed to the detector


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset named in a Content-Type header, if any.

    >>> charset_from_content_type("text/html; charset=ISO-8859-1")
    'ISO-8859-1'
    >>> charset_from_content_type("text/html") is None
    True
    """
    if not content_type:
        return None
    match = _CT_CHARSET.search(content_type)
    return match.group(1) if match else None


def _codec(name: str | bytes | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    try:
        codec = codecs.lookup(name.strip()).name
    except LookupError:
        return None
    # WHATWG: latin-1 and ascii labels mean windows-1252; a declared utf-16 in a
    # byte stream without BOM is almost always a lie, treated as utf-8.
    if codec in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if codec.startswith("utf-16") or codec.startswith("utf-32"):
        return None
    return codec


def _valid(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def decode_html(data: str | bytes, declared: str | None = None) -> str:
    """Decode page bytes to text; a ``str`` is returned unchanged.

    Order: BOM, ``declared`` (e.g. from the Content-Type header), ``<meta charset>``,
    UTF-8 if the bytes are valid UTF-8, then charset detection. A declaration that
    fails to decode the bytes is skipped rather than trusted.
    """
    if isinstance(data, str):
        return data
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    head = data[:_SNIFF]
    meta = _META_CHARSET.search(head)
    candidates = [_codec(declared), _codec(meta.group(1) if meta else None)]
    for candidate in candidates:
        if candidate and (
            _valid(data, "utf-8") if candidate == "utf-8" else _valid(data[:_DETECT], candidate)
        ):
            return data.decode(candidate, errors="replace")
    if _valid(data, "utf-8"):
        return data.decode("utf-8")
    if _looks_utf16(head):
        return data.decode("utf-16-le" if head[1:2] == b"\x00" else "utf-16-be", errors="replace")
    best = from_bytes(data[:_DETECT]).best()
    detected = _codec(best.encoding) if best is not None else None
    return data.decode(detected or "cp1252", errors="replace")


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without BOM: every other byte of an ASCII-heavy head is NUL."""
    if len(head) < 8:
        return False
    even, odd = head[0::2], head[1::2]
    return odd.count(0) > 0.4 * len(odd) or even.count(0) > 0.4 * len(even)
