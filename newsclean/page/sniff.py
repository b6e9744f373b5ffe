"""Is this a web page? Questions asked of input before any work is spent on it.

Bytes are judged from the bytes (a PNG labelled ``text/html`` is still a PNG), text
from its start, a response from its media type and its first bytes.

>>> sniff_binary(b"%PDF-1.7 ...")
'input is a PDF, not HTML'
>>> not_html('{"title": "x"}'), not_html("<html><p>Hi</p></html>")
('input is JSON, not HTML', None)
>>> is_html_type("text/html; charset=utf-8"), looks_like_html(b"<!DOCTYPE html><html>")
(True, True)
"""

from __future__ import annotations

import json
import re

from newsclean.page.decode import BOMS, looks_utf16

__all__ = ["HTML_TYPES", "is_html_type", "looks_like_html", "not_html", "sniff_binary"]

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
"""Media types of HTML pages."""
_SNIFF_TYPES = frozenset({"", "application/octet-stream", "text/plain", "text/xml", "application/xml"})
_SNIFF = 4096
_MAGIC = (
    (b"%PDF", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP, WAV or AVI)"),
    (b"PK\x03\x04", "a ZIP archive or office document"),
    (b"\x1f\x8b", "gzip-compressed data (decompress it first)"),
    (b"BZh", "bzip2-compressed data (decompress it first)"),
    (b"\xfd7zXZ", "xz-compressed data (decompress it first)"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data (decompress it first)"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00asm", "a WebAssembly module"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
)
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_MARKUP = re.compile(rb"<(?:!doctype|html|head|body|meta|title|div|p|script|link|!--)[\s>/]", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_XML_ROOT = re.compile(
    r"(?:<\?xml[^>]{0,500}>\s*)?(?:<!--.{0,2000}?-->\s*|<!DOCTYPE[^>]{0,1000}>\s*|<\?[^>]{0,500}>\s*)*"
    r"<([A-Za-z_][\w:.-]{0,60})",
    re.DOTALL | re.IGNORECASE,
)
_XML_TYPES = {"rss": "a feed (RSS/Atom)", "feed": "a feed (RSS/Atom)", "rdf:rdf": "a feed (RSS/Atom)",
              "urlset": "a sitemap", "sitemapindex": "a sitemap", "svg": "an SVG image"}


def not_html(text: str) -> str | None:
    """Why this decoded input is not a page, or None if it may be one.

    >>> not_html('{"title": "<b>x</b>"}'), not_html('<?xml version="1.0"?><note>x</note>')
    ('input is JSON, not HTML', 'input is XML (root element <note>), not an HTML page')
    """
    head = text[:2048].lstrip("\ufeff \t\r\n")
    if not head:
        return "empty input"
    if head.count("\ufffd") > 64 and "<" not in head:
        return "input is binary, not HTML"
    if head.startswith(("{", "[")) and ("<" not in head[:200] or _is_json(text)):
        return "input is JSON, not HTML"
    root = _XML_ROOT.match(head)
    if root:
        name = root.group(1).lower()
        if name in _XML_TYPES:
            kind = _XML_TYPES[name]
            return f"input is {kind}, not an article page" if "feed" in kind else f"input is {kind}, not HTML"
        if head.startswith("<?xml") and name not in ("html", "head", "body"):
            return f"input is XML (root element <{root.group(1)}>), not an HTML page"
    if "<" not in text[:100_000]:
        return "input has no markup; use clean_text() for plain text"
    return None


def _is_json(text: str) -> bool:
    if len(text) > 5_000_000:
        return False
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def sniff_binary(data: str | bytes) -> str | None:
    """Why ``data`` is binary rather than text (PDF, image, archive...), or None.

    >>> sniff_binary(bytes(range(256)) * 4)
    'input is binary data, not HTML'
    >>> sniff_binary("<p>a few\\x00 stray\\x01 controls</p>") is None
    True
    >>> sniff_binary(b"\\x89PNG\\r\\n\\x1a\\n...".decode("latin-1"))  # bytes carried in a str
    'input is a PNG image, not HTML'

    """
    head = data[:_SNIFF]
    if isinstance(head, str):
        # Bytes that reached a str through Latin-1 (a JSON Lines "html" field written with
        # body.decode("latin-1"), say) keep their magic numbers one character per byte.
        kind = _magic(head[:16].encode("latin-1", "replace")) if not head[:16].isascii() else None
        if kind:
            return f"input is {kind}, not HTML"
        head = head.encode("utf-8", "surrogatepass")[:_SNIFF]
    kind = _magic(head)
    if kind:
        return f"input is {kind}, not HTML"
    if not head or any(head.startswith(bom) for bom, _ in BOMS) or looks_utf16(head):
        return None
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > 0.3 * len(head) or (controls > 0.05 * len(head) and not _MARKUP.search(head)):
        return "input is binary data, not HTML"
    return None


def _magic(head: bytes) -> str | None:
    """What the magic number at the start of ``head`` says the data is, or None."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def is_html_type(content_type: str | None) -> bool | None:
    """True for an HTML media type, False for another one, None when the body must tell.

    >>> is_html_type("application/pdf"), is_html_type(None) is None
    (False, True)
    """
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime in HTML_TYPES:
        return True
    return None if mime in _SNIFF_TYPES else False


def looks_like_html(head: bytes) -> bool:
    """Whether bytes start like an HTML document (a doctype, ``<html>``, ``<head>`` or ``<body>``).

    >>> looks_like_html(b"\\xef\\xbb\\xbf  <!-- x --><html>"), looks_like_html(b"Hello")
    (True, False)
    """
    return _HTML_START.match(head[:_SNIFF].lstrip(b"\xef\xbb\xbf")) is not None
