"""Images of the article, with captions and credits kept as data.

>>> from selectolax.lexbor import LexborHTMLParser
>>> tree = LexborHTMLParser('<figure><img src="/a.jpg" alt="Rally">'
...     '<figcaption>Crowds in Belgrade <span class="credit">Getty</span></figcaption></figure>')
>>> collect_images(tree, "https://example.com/news/1")
[Image(url='https://example.com/a.jpg', alt='Rally', caption='Crowds in Belgrade', credit='Getty')]
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsclean.article import Image
from newsclean.page.credits import split_credit
from newsclean.page.dom import node_text
from newsclean.page.strings import safe_url

__all__ = ["article_images", "collect_images", "largest_candidate", "srcset_candidates"]

_SRC_ATTRS = ("src", "data-src", "data-original", "data-lazy-src", "data-srcset", "srcset")
_CREDIT_NODES = "[class*=credit], [class*=copyright], [class*=Credit], [itemprop=copyrightHolder]"
_CAPTION_NODES = "figcaption, [class*=caption], [class*=Caption], [itemprop=caption]"
# Every element of either list, and a few more, in 5 selectors instead of 8 (0.20 -> 0.12 ms a
# page of the trafilatura corpus: Lexbor's cost is per selector, most of it in the class
# substrings); :func:`_caption_or_credit` then tells the elements of the lists apart.
_CAPTIONED_CANDIDATES = "figcaption, [itemprop], [class*=aption], [class*=redit], [class*=copyright]"
_CAPTION_CLASSES = ("caption", "Caption", "credit", "Credit", "copyright")
_MAX_IMAGES = 50


def _src(attrs: dict[str, str | None], base: str) -> str | None:
    """The URL of the image with attributes ``attrs``: the first of its source attributes that
    holds an ``http(s)`` URL (from a ``srcset``, its largest candidate)."""
    for name in _SRC_ATTRS:
        value = (attrs.get(name) or "").strip()
        if name.endswith("srcset") and value:
            value = largest_candidate(value) or ""
        url = safe_url(value, base) if value else None
        if url:
            return url
    return None


_SPACE = " \t\n\r\x0c"
_DESCRIPTOR = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)([wxh])$", re.IGNORECASE)


def srcset_candidates(srcset: str) -> list[tuple[str, float, str]]:
    """The candidates of a ``srcset``, parsed as the HTML standard says: ``(url, size, unit)``
    with unit ``w`` (width), ``x`` (density; no descriptor means ``1x``) or ``h``. A URL may
    hold commas (Cloudinary's ``w_400,c_fill``); candidates are separated by a comma after the
    URL's descriptors. An invalid descriptor drops its candidate.

    >>> srcset_candidates("a.jpg 1x, b.jpg 2x")
    [('a.jpg', 1.0, 'x'), ('b.jpg', 2.0, 'x')]
    >>> srcset_candidates("https://res.cloudinary.com/x/w_400,c_fill/a.jpg 400w, /w_800,c_fill/a.jpg 800w")
    [('https://res.cloudinary.com/x/w_400,c_fill/a.jpg', 400.0, 'w'), ('/w_800,c_fill/a.jpg', 800.0, 'w')]
    """
    out: list[tuple[str, float, str]] = []
    pos, end = 0, len(srcset)
    while pos < end:
        while pos < end and (srcset[pos] in _SPACE or srcset[pos] == ","):
            pos += 1
        start = pos
        while pos < end and srcset[pos] not in _SPACE:
            pos += 1
        url = srcset[start:pos]
        if not url:
            break
        descriptors: list[str] = []
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            pos, descriptors = _descriptors(srcset, pos)
        candidate = _candidate(url, descriptors)
        if candidate is not None:
            out.append(candidate)
    return out


def _descriptors(srcset: str, pos: int) -> tuple[int, list[str]]:
    """The descriptor tokens after a URL, up to the comma that ends the candidate (a comma
    inside parentheses does not), and the position after that comma."""
    tokens: list[str] = []
    current = ""
    depth = 0
    end = len(srcset)
    while pos < end:
        char = srcset[pos]
        pos += 1
        if depth:
            current += char
            if char == ")":
                depth = 0
        elif char in _SPACE:
            if current:
                tokens.append(current)
                current = ""
        elif char == ",":
            break
        else:
            current += char
            if char == "(":
                depth = 1
    if current:
        tokens.append(current)
    return pos, tokens


def _candidate(url: str, descriptors: list[str]) -> tuple[str, float, str] | None:
    if not descriptors:
        return url, 1.0, "x"
    size, unit = 1.0, "x"
    for token in descriptors:
        match = _DESCRIPTOR.match(token)
        if match is None:
            return None
        if match.group(2).lower() != "h":  # a height only qualifies a width; it never ranks
            size, unit = float(match.group(1)), match.group(2).lower()
    return (url, size, unit) if size > 0 else None


def largest_candidate(srcset: str) -> str | None:
    """The URL of the largest candidate of a ``srcset``: by width when any candidate gives
    one, else by pixel density; the first of equals.

    >>> largest_candidate("small.jpg 320w, large.jpg 1024w, medium.jpg 640w")
    'large.jpg'
    >>> largest_candidate("https://cdn.test/f_auto,w_300/a.jpg, https://cdn.test/f_auto,w_600/a.jpg 2x")
    'https://cdn.test/f_auto,w_600/a.jpg'
    """
    candidates = srcset_candidates(srcset)
    if not candidates:
        return None
    unit = "w" if any(c[2] == "w" for c in candidates) else "x"
    ranked = [c for c in candidates if c[2] == unit]
    return max(ranked, key=lambda c: c[1])[0]


def _tiny(attrs: dict[str, str | None]) -> bool:
    """Whether the image with attributes ``attrs`` is declared under 50 pixels wide or high."""
    for name in ("width", "height"):
        value = attrs.get(name) or ""
        if value.isdigit() and int(value) < 50:
            return True
    return False


def _holder(img: LexborNode, captioned: set[int]) -> LexborNode | None:
    """The figure-like box around ``img``: a <figure>, or the nearest ancestor (3 levels at
    most) that holds a caption or credit (its ``mem_id`` is in ``captioned``) and no other image."""
    node = img.parent
    for _ in range(3):
        if node is None or node.tag in ("body", "article", "main"):
            return None
        if node.tag == "figure":
            return node
        if node.mem_id in captioned:
            return node if len(node.css("img")) == 1 else None
        node = node.parent
    return None


def _captioned(body: LexborNode) -> set[int]:
    """The ``mem_id`` of every element that is or holds a caption or credit node: one
    query for the page instead of one per image and level, and each element visited once."""
    marked: set[int] = set()
    for found in body.css(_CAPTIONED_CANDIDATES):
        if not _caption_or_credit(found):
            continue
        node: LexborNode | None = found
        while node is not None and node.mem_id not in marked:  # its ancestors are marked already
            marked.add(node.mem_id)
            node = node.parent
    return marked


def _caption_or_credit(node: LexborNode) -> bool:
    """Whether ``node`` matches :data:`_CAPTION_NODES` or :data:`_CREDIT_NODES`, as Lexbor
    matches them (class and itemprop values compared case-sensitively, in quirks mode too).

    >>> page = LexborHTMLParser('<p class="photo-Caption">a</p><p class="xaption">b</p>'
    ...     '<p itemprop="copyrightHolder">c</p><p itemprop="name">d</p><figcaption>e</figcaption>')
    >>> [_caption_or_credit(n) for n in page.body.css(_CAPTIONED_CANDIDATES)]
    [True, False, True, False, True]
    """
    if node.tag == "figcaption":
        return True
    attrs = node.attributes
    if attrs.get("itemprop") in ("caption", "copyrightHolder"):
        return True
    names = attrs.get("class") or ""
    return any(part in names for part in _CAPTION_CLASSES)


def collect_images(tree: LexborHTMLParser, url: str | None = None) -> list[Image]:
    """Images in the page body, with caption and credit split apart."""
    base = url or ""
    body = tree.body
    if body is None:
        return []
    found: dict[str, Image] = {}
    captioned: set[int] | None = None
    for img in body.css("img"):
        attrs = img.attributes  # a new dict at each read: read once
        if _tiny(attrs) or (src := _src(attrs, base)) is None or src in found:  # _tiny first: cheaper
            continue
        if captioned is None:
            captioned = _captioned(body)
        holder = _holder(img, captioned)
        if holder is None:
            if img.css_matches("article img, main img, [itemprop=articleBody] img"):
                found[src] = Image(src, attrs.get("alt") or None)
            continue
        credit = node_text(holder.css_first(_CREDIT_NODES)) or None
        caption = node_text(holder.css_first(_CAPTION_NODES))
        if credit and caption.endswith(credit):
            caption = caption[: -len(credit)].strip()
        if caption and not credit:
            caption, credit = split_credit(caption)
        found[src] = Image(src, attrs.get("alt") or None, caption or None, credit)
        if len(found) >= _MAX_IMAGES:
            break
    return list(found.values())


def article_images(tree: LexborHTMLParser, url: str | None, lead_image: str | None) -> list[Image]:
    """:func:`collect_images`, the page's declared ``lead_image`` first (added if the body lacks it).

    >>> tree = LexborHTMLParser('<article><img src="/a.jpg"><img src="/b.jpg"></article>')
    >>> [i.url for i in article_images(tree, "https://x.test/", "https://x.test/b.jpg")]
    ['https://x.test/b.jpg', 'https://x.test/a.jpg']
    """
    images = collect_images(tree, url)
    if lead_image and all(i.url != lead_image for i in images):
        images.insert(0, Image(lead_image))
    elif lead_image:
        images.sort(key=lambda i: i.url != lead_image)
    return images
