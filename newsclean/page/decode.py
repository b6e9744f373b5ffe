"""Bytes to text: declared charset, BOM, ``<meta charset>``, then detection.

Never raises on a wrong or unknown declaration; undecodable bytes become U+FFFD.
Charset labels mean what the WHATWG Encoding Standard says they mean (w3lib's label
table: ``latin1`` and ``ascii`` are windows-1252, ``gbk`` is gb18030, ``shift_jis`` is
windows-31j, ``euc-kr`` is windows-949, ``big5`` is big5-hkscs), and only the encodings
that standard knows are used: ``utf-7``, ``unicode-escape`` and other Python codecs that
no browser decodes with are refused, as unknown labels are. A declared charset is
checked against the bytes with an incremental decoder, so a sample cut inside a
multi-byte character does not count against it.

>>> decode_html(b"<p>caf\\xe9</p>", declared="windows-1252")
'<p>café</p>'
>>> decode_html("<p>already text</p>")
'<p>already text</p>'
>>> decode_html(b'<meta charset="utf-8"><p>\\xc3\\xa9</p>')
'<meta charset="utf-8"><p>é</p>'
>>> decode_html("<p>no\\x00 NUL</p>".encode("utf-16-le"))  # UTF-16 without a BOM
'<p>no NUL</p>'
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, resolve_encoding

__all__ = [
    "BOMS", "charset_from_content_type", "declared_codec", "decode_html", "decode_with_source", "looks_utf16",
    "strip_controls",
]

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.IGNORECASE)
# C0 controls that never occur in text (tab, LF, FF, CR and ESC, used by ISO-2022, excepted).
# Characters no parser downstream accepts: C0 controls, DEL, noncharacters, lone surrogates.
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")  # re's escapes
# The characters of _BAD_CHARS below U+0080, as bytes: in UTF-8 each is its own byte.
_BAD_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
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


# The WHATWG Encoding Standard's encodings (but UTF-16, see _declared), as the Python
# codecs w3lib resolves their labels to.
_WEB_CODECS = frozenset(
    codecs.lookup(name).name
    for name in (
        "utf-8", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7",
        "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r",
        "koi8-u", "mac-roman", "mac-cyrillic", "cp874", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254",
        "cp1255", "cp1256", "cp1257", "cp1258", "gb18030", "big5hkscs", "euc_jp", "iso2022_jp", "cp932",
        "cp949",
    )
)


def declared_codec(label: str | None) -> str | None:
    """The Python codec a charset label names on the web, or None (unknown, or refused).

    >>> declared_codec("ISO-8859-1"), declared_codec("Shift_JIS"), declared_codec("gbk")
    ('cp1252', 'cp932', 'gb18030')
    >>> declared_codec("utf-7"), declared_codec("unicode-escape"), declared_codec("utf-16")
    (None, None, None)
    """
    if not label or not label.strip():
        return None
    try:
        codec = resolve_encoding(label.strip())
    except (LookupError, ValueError, TypeError):
        return None
    # A declared utf-16 in a byte stream without BOM is almost always a lie (WHATWG: in a
    # <meta> it means utf-8); BOMs and BOM-less UTF-16 are recognised from the bytes instead.
    return codec if codec in _WEB_CODECS else None


def _codec(name: str | None) -> str | None:
    """The codec of a charset detector's answer (any real text encoding but UTF-16/32)."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip()).name
    except LookupError:
        return None
    if codec in ("latin-1", "iso8859-1", "ascii"):
        return "cp1252"
    if codec.startswith(("utf-16", "utf-32", "utf-7")):
        return None
    return codec


def strip_controls(text: str) -> str:
    """``text`` without the characters parsers reject: NUL and other C0 controls, DEL and
    noncharacters are dropped, lone surrogates become U+FFFD, form feeds become spaces.

    >>> strip_controls("a\\x00b\\x0cc\\ud800d")
    'ab c\\ufffdd'
    """
    if _BAD_CHARS.search(text) is None:
        return text
    return _BAD_CHARS.sub(_replacement, text)


def _replacement(match: re.Match[str]) -> str:
    char = match.group()
    if 0xD800 <= ord(char) <= 0xDFFF:  # a lone surrogate
        return "\ufffd"
    return " " if char in "\x0b\x0c" else ""


def _valid(data: bytes, codec: str, *, final: bool = True) -> bool:
    """Whether ``data`` decodes with ``codec``; with ``final=False`` ``data`` is a sample cut
    from longer bytes, whose last character may be incomplete.

    >>> sample = "日本語のページ".encode("shift_jis")[:5]  # cut inside the third character
    >>> _valid(sample, "cp932"), _valid(sample, "cp932", final=False)
    (False, True)
    """
    try:
        codecs.getincrementaldecoder(codec)().decode(data, final=final)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def decode_html(data: str | bytes, declared: str | None = None) -> str:
    """Decode page bytes to text, then :func:`strip_controls`; a ``str`` is only stripped.

    Order: BOM, UTF-16 without BOM, valid non-ASCII UTF-8 (whatever is declared),
    ``declared`` (e.g. from the Content-Type header), ``<meta charset>``, UTF-8 if the
    bytes are valid UTF-8, then charset detection. A
    declaration that fails to decode the bytes is skipped rather than trusted.
    """
    return decode_with_source(data, declared)[0]


def decode_with_source(data: str | bytes, declared: str | None = None) -> tuple[str, bytes | None]:
    """:func:`decode_html`, and the text's UTF-8 bytes when the page was just those (valid
    UTF-8, nothing stripped, a byte order mark aside): a caller that needs the text as UTF-8
    takes them instead of encoding it again.

    >>> decode_with_source("café".encode()), decode_with_source(b"\\xef\\xbb\\xbfcaf\\xc3\\xa9")
    (('café', b'caf\\xc3\\xa9'), ('café', b'caf\\xc3\\xa9'))
    >>> decode_with_source(b"caf\\xe9", declared="windows-1252"), decode_with_source("café")
    (('café', None), ('café', None))
    """
    if isinstance(data, str):
        return strip_controls(data), None
    data = bytes(data)
    text, codec = _decode(data, declared)
    if codec == "utf-8" and _clean_utf8(data, text):
        if not data.startswith(codecs.BOM_UTF8):
            return text, data  # decoded strictly: the text is these bytes
        return text, (data[len(codecs.BOM_UTF8):] if "\ufffd" not in text else None)  # not checked first
    return strip_controls(text), None


def _clean_utf8(data: bytes, text: str) -> bool:
    """Whether ``text``, decoded from the UTF-8 ``data``, is free of what :func:`strip_controls`
    drops. A control character is its own byte in UTF-8 and no surrogate decodes from it, so
    the bytes are checked, several times faster than the text.

    >>> _clean_utf8("café".encode(), "café"), _clean_utf8(b"a\\x0cb", "a\\x0cb")
    (True, False)
    """
    no_controls = len(data.translate(None, _BAD_BYTES)) == len(data)
    return no_controls and "\ufffe" not in text and "\uffff" not in text


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    """The text and the codec it was decoded with."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace"), codec
    head = data[:_SNIFF]
    if looks_utf16(head):
        codec = "utf-16-le" if _nul_share(head[1::2]) >= _nul_share(head[0::2]) else "utf-16-be"
        return data.decode(codec, errors="replace"), codec
    if not data.isascii():
        try:  # multi-byte UTF-8 by chance in another codec is vanishingly rare
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    candidates = [declared_codec(declared), _meta_codec(head)]
    for candidate in candidates:
        if not candidate:
            continue
        whole = candidate == "utf-8" or len(data) <= _DETECT
        if _valid(data if whole else data[:_DETECT], candidate, final=whole):
            return data.decode(candidate, errors="replace"), candidate
    if _valid(data, "utf-8"):
        return data.decode("utf-8"), "utf-8"
    matches = from_bytes(data[:_DETECT])
    best = matches.best()
    detected = _codec(best.encoding) if best is not None else None
    if best is not None and any(  # a tie on a short sample: the web's commonest single-byte codec
        m.encoding == "cp1252" and (m.chaos, m.coherence) == (best.chaos, best.coherence) for m in matches
    ):
        detected = "cp1252"
    return data.decode(detected or "cp1252", errors="replace"), detected or "cp1252"


def _meta_codec(head: bytes) -> str | None:
    """The codec the page declares in a ``<meta>`` (or an XML declaration) of its first
    bytes, as the WHATWG prescan reads them (w3lib), if the Web knows it."""
    try:
        label = html_body_declared_encoding(head)
    except (LookupError, ValueError):
        return None
    return declared_codec(label)


def looks_utf16(head: bytes) -> bool:
    """UTF-16 without BOM: every other byte of an ASCII-heavy head is NUL."""
    if len(head) < 8:
        return False
    return max(_nul_share(head[0::2]), _nul_share(head[1::2])) > 0.4 and min(
        _nul_share(head[0::2]), _nul_share(head[1::2])) < 0.2


def _nul_share(data: bytes) -> float:
    return data.count(0) / len(data) if data else 0.0
