"""Strings clean at the boundary: what an Article, a record id or a URL field may hold.

Every string a caller gets passes :func:`scrub`: no lone surrogates (they cannot be
encoded as UTF-8, so one would crash every writer), no NUL or other C0 control
characters but tab, newline and carriage return, no DEL, no noncharacters. Line
structure is kept. :func:`scrub_article` applies it to every string field of an
:class:`~newsclean.Article`, once, where the Article is made.

:func:`safe_url` keeps a URL field to ``http``/``https`` (or a relative reference when
no base is known): ``javascript:``, ``vbscript:``, ``data:``, ``file:`` and the like
become None.

>>> scrub("Storm\\x00 hits\\ud800 the\\x1b coast\\n")
'Storm hits the coast\\n'
>>> safe_url("javascript:alert(1)", "https://example.com/a") is None
True
>>> safe_url("/img/a.jpg", "https://example.com/news/1")
'https://example.com/img/a.jpg'
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Hashable
from functools import cache, lru_cache
from typing import Any, TypeVar, cast
from urllib.parse import urljoin, urlsplit

from newsclean.article import Article, Diagnostics, FetchInfo

__all__ = ["more_words", "safe_url", "scrub", "scrub_article", "scrub_optional"]

# C0 controls but tab, LF and CR; DEL; lone surrogates; the noncharacters U+FFFE/U+FFFF.
_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")  # re's escapes
_SAFE_SCHEMES = frozenset({"http", "https"})

T = TypeVar("T")


def more_words(text: str, than: int) -> bool:
    """Whether ``text`` has more than ``than`` whitespace-separated words, split no further
    than that (a long paragraph is not cut into all its words to be found long).

    >>> more_words("one two three", 2), more_words("one two three", 3), more_words("  ", 0)
    (True, False, False)
    """
    return len(text.split(None, than)) > than


def scrub(text: str) -> str:
    """``text`` without lone surrogates, C0 controls (tab, LF and CR kept), DEL and noncharacters.

    Vertical tab and form feed become a space, so the words on either side stay apart.

    >>> scrub("a\\x0cb\\x07c\\udcffd")
    'a bcd'
    """
    if text.isprintable() or _BAD.search(text) is None:  # each of _BAD is "Other": not printable
        return text
    return _BAD.sub(_replacement, text)


def _replacement(match: re.Match[str]) -> str:
    return " " if match.group() in "\x0b\x0c" else ""


def scrub_optional(value: T) -> T:
    """:func:`scrub` for a value that may be a string (anything else is returned as it is).

    >>> scrub_optional("x\\x00"), scrub_optional(7), scrub_optional(None)
    ('x', 7, None)
    """
    return scrub(value) if isinstance(value, str) else value  # type: ignore[return-value]


def safe_url(value: str | None, base: str | None = None) -> str | None:
    """``value`` made absolute against ``base``, if it is an ``http``/``https`` URL; else None.

    A relative reference stays relative when there is no ``http(s)`` ``base`` to resolve it
    against (a saved page without its URL); anything with another scheme is dropped,
    however spelled (``JaVaScRiPt:``, with tabs or newlines inside).

    >>> safe_url(" HTTPS://example.com/a "), safe_url("data:image/png;base64,AAAA")
    ('HTTPS://example.com/a', None)
    >>> safe_url("java\\tscript:alert(1)"), safe_url("img/a.jpg")
    (None, 'img/a.jpg')
    """
    if not value:
        return None
    value = scrub(value).strip()
    if not value:
        return None
    if _kept_by_urljoin(value):
        return value
    try:
        joined = urljoin(base or "", value)
        if joined[:8].lower().startswith(_WEB_PREFIXES) and joined.isascii() and "[" not in joined \
                and "]" not in joined:  # what urlsplit would find (or refuse: a bracket, non-ASCII)
            return joined
        scheme = urlsplit(joined).scheme.lower()
        resolvable = bool(base) and _http_base(base or "")
    except ValueError:  # e.g. an unbalanced "[" in the host
        return None
    if scheme in _SAFE_SCHEMES or (not scheme and not resolvable):
        return joined
    return None


_WEB_PREFIXES = ("http://", "https://")
# What urlparse splits off and urlunparse drops when empty (params, a fragment), or urlsplit
# strips or refuses (whitespace and controls, brackets around an IPv6 host).
_REBUILT = re.compile(r"[;#\[\]\s\x00-\x1f\x7f]")


def _kept_by_urljoin(value: str) -> bool:
    """Whether ``urljoin(base, value)`` is ``value`` itself whatever the ``base``: an ASCII
    ``http(s)`` URL with a host, which urlparse splits and urlunparse puts back unchanged
    (no params, fragment, bracket or whitespace, no empty query).

    >>> [_kept_by_urljoin(u) for u in ("https://x.org/a?b=1", "https://x.org/a?", "https:///a", "HTTP://x.org")]
    [True, False, False, False]
    """
    if not value.startswith(_WEB_PREFIXES) or not value.isascii() or _REBUILT.search(value):
        return False
    rest = value.split("//", 1)[1]
    query = value.find("?")
    return rest[:1] not in ("", "/", "?") and (query < 0 or query < len(value) - 1)


@lru_cache(maxsize=64)
def _http_base(base: str) -> bool:
    """Whether ``base`` is an ``http(s)`` URL (asked once per page, not once per image)."""
    return urlsplit(base).scheme.lower() in _SAFE_SCHEMES


def _strings(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(scrub(v) for v in values)


def _fields(obj: Any) -> dict[str, Any]:
    """The string-bearing fields of one of the Article's dataclasses, scrubbed, when any changed."""
    changed: dict[str, Any] = {}
    for name in _field_names(cast(Hashable, type(obj))):
        value = getattr(obj, name)
        if isinstance(value, str):
            new: Any = scrub(value)
        elif isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
            new = _strings(value)
        elif name == "rows" and value:
            new = tuple(_strings(row) for row in value)
        else:
            continue
        if new != value:
            changed[name] = new
    return changed


@cache
def _field_names(cls: Any) -> tuple[str, ...]:
    """The field names of a dataclass, read once per class (``dataclasses.fields`` builds
    them anew on every call, for every block of every page)."""
    return tuple(item.name for item in dataclasses.fields(cls))


def _scrubbed(obj: T) -> T:
    changed = _fields(obj)
    return dataclasses.replace(obj, **changed) if changed else obj  # type: ignore[type-var]


def scrub_article(article: Article) -> Article:
    """``article`` with :func:`scrub` applied to every string it holds (blocks, images,
    removals and diagnostics included); the same object when nothing needed it.

    >>> from newsclean.article import Block
    >>> a = Article(title="Storm\\x00", blocks=(Block("paragraph", "Hi\\ud800 there"),))
    >>> clean = scrub_article(a)
    >>> clean.title, clean.text
    ('Storm', 'Hi there')
    >>> scrub_article(clean) is clean
    True
    """
    changed = _fields(article)
    blocks = tuple(_scrubbed(b) for b in article.blocks)
    images = tuple(_scrubbed(i) for i in article.images)
    removed = tuple(_scrubbed(r) for r in article.removed)
    if any(new is not old for new, old in zip(blocks, article.blocks, strict=True)):
        changed["blocks"] = blocks
    if any(new is not old for new, old in zip(images, article.images, strict=True)):
        changed["images"] = images
    if any(new is not old for new, old in zip(removed, article.removed, strict=True)):
        changed["removed"] = removed
    diagnostics = _scrub_diagnostics(article.diagnostics)
    if diagnostics is not article.diagnostics:
        changed["diagnostics"] = diagnostics
    return dataclasses.replace(article, **changed) if changed else article


def _scrub_diagnostics(diagnostics: Diagnostics) -> Diagnostics:
    fetched: FetchInfo | None = diagnostics.fetch
    if fetched is None:
        return diagnostics
    new = _scrubbed(fetched)
    return diagnostics if new is fetched else dataclasses.replace(diagnostics, fetch=new)

