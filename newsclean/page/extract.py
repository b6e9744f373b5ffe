"""Main-content extraction with trafilatura: the only module that imports it, through its
public API only (``trafilatura.bare_extraction``).

>>> blocks = extract_blocks('<html><body><article><h2>Why</h2><p>' + 'Words here. ' * 20
...     + '</p><ul><li>One point</li><li>Another point</li></ul></article></body></html>')
>>> [b.kind for b in blocks]
['heading', 'paragraph', 'list_item', 'list_item']
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from newsclean.article import Block
from newsclean.options import Options
from newsclean.page.blocks import body_to_blocks

__all__ = ["MIN_LIST_ITEMS", "extract_blocks", "without_head"]


def extract_blocks(html: str, url: str | None = None, options: Options | None = None, *,
                   fallbacks: bool = True, lists: bool = True) -> tuple[Block, ...]:
    """The main content of ``html`` as blocks; empty on failure, never raises.

    Metadata is not asked of trafilatura: ``metadata.py`` and ``dates.py`` read it from
    the page, which costs a fraction of trafilatura's search. ``fallbacks=False``: its own
    extraction only (``fast``), not compared with readability's and justext's.
    ``lists=False``: the caller's own reading of the page kept fewer than
    :data:`MIN_LIST_ITEMS` list items, so the page is no post written as lists, and
    trafilatura's own extraction is not tried again for one (a second run of it).
    """
    options = options or Options()
    blocks = _extract(html, url, options, fast=not fallbacks)
    if lists and all(b.kind == "paragraph" for b in blocks) and _list_post(html):
        # A post written as lists: trafilatura's own extraction has no <p>, which it takes
        # for a failure, and a fallback (readability, justext) returns plain paragraphs
        # that flatten or lose items. Its own extraction (``fast``: no fallback) wins when it
        # holds the lists and no less text.
        own = _extract(html, url, options, fast=True)
        if sum(b.kind == "list_item" for b in own) >= MIN_LIST_ITEMS and _chars(own) >= _chars(blocks):
            return own
    return blocks


def without_head(tree: LexborHTMLParser, html: str) -> str:
    """``html``, the serialised ``tree``, with its ``<head>`` emptied but for JSON-LD.

    With metadata off, trafilatura reads nothing else there (JSON-LD tells it a forum
    thread) and drops the head before extracting; its meta and link tags were still an
    eighth of the elements that its XPath passes walk. Same blocks on every corpus page.

    >>> page = LexborHTMLParser('<html><head><meta name="a" content="b"><script type="application/ld+json">'
    ...     '{}</script></head><body><p>Text</p></body></html>')
    >>> without_head(page, page.html)
    '<html><head><script type="application/ld+json">{}</script></head><body><p>Text</p></body></html>'
    """
    head = tree.head
    if head is None or not (head_html := head.html) or (start := html.find(head_html)) < 0:
        return html
    kept = "".join(s.html or "" for s in head.css('script[type="application/ld+json"]'))
    return f"{html[:start]}<head>{kept}</head>{html[start + len(head_html):]}"


MIN_LIST_ITEMS = 10
"""List items a post written as lists holds at least (see :func:`extract_blocks`)."""
_LI = re.compile(r"<li[\s>]", re.IGNORECASE)
_P = re.compile(r"<p[\s>]", re.IGNORECASE)


def _list_post(html: str) -> bool:
    """At least :data:`MIN_LIST_ITEMS` list items, and more of them than paragraphs."""
    items = len(_LI.findall(html))
    return items >= MIN_LIST_ITEMS and items > len(_P.findall(html))


def _chars(blocks: tuple[Block, ...]) -> int:
    return sum(len(b.text) for b in blocks)


def _extract(html: str, url: str | None, options: Options, fast: bool) -> tuple[Block, ...]:
    """trafilatura's blocks for ``html``; empty when it finds nothing or fails."""
    import trafilatura  # on first use: `import newsclean` stays light

    try:
        document: Any = trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=options.favor == "precision",
            favor_recall=options.favor == "recall",
            include_comments=options.include_comments,
            include_tables=options.include_tables,
            include_images=False,
            include_formatting=False,
            include_links=False,
            output_format="xml",  # "python" would also render the text, which is not used
            with_metadata=False,
            deduplicate=False,
            fast=fast,
        )
    except Exception:  # trafilatura raises many types on pathological markup
        return ()
    body = getattr(document, "body", None) if document is not None else None
    return tuple(body_to_blocks(body)) if body is not None else ()
