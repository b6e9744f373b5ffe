"""The headline: the declared title without the site's name, checked against the page's ``<h1>``.

>>> from selectolax.lexbor import LexborHTMLParser
>>> page = LexborHTMLParser('<head><title>Storm hits coast | Daily Example</title></head>'
...     '<body><h1>Storm hits coast</h1></body>')
>>> headline("Storm hits coast | Daily Example", page, "Daily Example", None)
'Storm hits coast'
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

__all__ = ["headline", "host_of", "strip_site", "title_element"]

# A title's parts: "Headline - Site", "Site | Headline", "Headline › site.de", "Headline :: Blog".
_TITLE_PARTS = re.compile(
    r"(?<!\s)\s++(?:[-–—|›»·•:/]|::)\s++|(?<!\s)\s++[-–—|›»·•]|[–—|›»·•]\s++")  # linear: no backtracking
_WORD = re.compile(r"\w+")


def _squash(text: str) -> str:
    return "".join(_WORD.findall(text.casefold()))


def _names_site(part: str, site_name: str | None, host: str, trailing: bool = False) -> bool:
    """Whether a title part names the site: its name, or its host ("backen.de", "Backen");
    a trailing part may also wrap it in a few words ("Rezept von Backen.de")."""
    part_key = _squash(part)
    if not part_key:
        return True
    for name in (_squash(site_name or ""), _squash(host), _squash(host.rsplit(".", 1)[0])):
        if len(name) < 3:
            continue
        if part_key == name or (len(part_key) >= 4 and part_key in name):
            return True
        if trailing and name in part_key and len(part_key) <= len(name) + 12:
            return True
    return False


def strip_site(title: str, site_name: str | None = None, url: str | None = None) -> str:
    """``title`` without the parts at either end that name the site.

    >>> strip_site("Storm hits coast | Daily Example", "Daily Example")
    'Storm hits coast'
    >>> strip_site("Rezept: Maulwurfkuchen - Rezept von Backen.de", url="https://www.backen.de/r/1")
    'Rezept: Maulwurfkuchen'
    >>> strip_site("Daily Example", "Daily Example")
    'Daily Example'
    """
    host = host_of(url)
    parts = _TITLE_PARTS.split(title)
    marks = _TITLE_PARTS.findall(title)
    while len(parts) > 1 and _names_site(parts[-1], site_name, host, trailing=True):
        parts.pop()
        marks.pop()
    while len(parts) > 1 and _names_site(parts[0], site_name, host):
        parts.pop(0)
        marks.pop(0)
    return (parts[0] + "".join(m + p for m, p in zip(marks, parts[1:], strict=True))).strip()


def host_of(url: str | None) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.") if url else ""


def title_element(tree: LexborHTMLParser) -> str | None:
    element = tree.css_first("head title")
    return element.text() if element is not None else None


def headline(declared: str | None, tree: LexborHTMLParser, site_name: str | None,
              url: str | None, others: tuple[str | None, ...] = ()) -> str | None:
    """The article's headline: the declared title without the site's name, unless an
    ``<h1>`` matches one of the ``others`` (og:title, <title>...) instead, or the page's
    single ``<h1>`` shares words with the declared title (or nothing is declared) and is
    not that title plus a kicker.

    Measured on the trafilatura corpus (845 titles), title accuracy 0.58 -> 0.84 over the
    declared title alone.
    """
    title = strip_site(" ".join(html.unescape(declared).split()), site_name, url) if declared else None
    host = host_of(url)
    h1s = []
    for node in tree.css("h1")[:10]:
        text = " ".join((node.text(deep=True, separator=" ") or "").split()).strip(" ¶#")
        if text and not _names_site(text, site_name, host) and text not in h1s:
            h1s.append(text)
    if title and any(_squash(h) == _squash(title) for h in h1s):
        return title
    for other in others:  # another declared title (og:title, <title>) that an <h1> confirms
        stripped = strip_site(" ".join(html.unescape(other).split()), site_name, url) if other else ""
        if stripped and any(_squash(h) == _squash(stripped) for h in h1s):
            return stripped
    if len(h1s) == 1 and len(h1s[0]) <= 300:
        if not title:
            return h1s[0]
        if len(_squash(title)) >= 10 and _squash(title) in _squash(h1s[0]):
            return title  # the <h1> adds a kicker ("Brexit Talks stall") or the site's name
        title_words = set(_WORD.findall(title.casefold()))
        shared = title_words & set(_WORD.findall(h1s[0].casefold()))
        if len(shared) >= 0.3 * len(title_words):
            return h1s[0]
    full = _squash(html.unescape(declared or ""))
    for h1 in h1s:  # several <h1>s: the one the declared title begins with
        if len(_squash(h1)) >= 10 and full.startswith(_squash(h1)):
            return h1
    return title or None

