"""Main-content extraction with trafilatura (the only module that imports it).

Turns trafilatura's XML body into typed :class:`~newsclean.Block` objects, keeping
headings, lists, quotes, tables and code.

>>> blocks = extract_blocks('<html><body><article><h2>Why</h2><p>' + 'Words here. ' * 20
...     + '</p><ul><li>One point</li><li>Another point</li></ul></article></body></html>')
>>> [b.kind for b in blocks]
['heading', 'paragraph', 'list_item', 'list_item']
"""

from __future__ import annotations

import logging
from typing import Any

import trafilatura
from htmldate import find_date
from trafilatura.settings import set_date_params

from newsclean.article import Block
from newsclean.options import Options

__all__ = ["extract_blocks", "page_date", "search_date"]

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def _clean(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _inline_text(element: Any) -> str:
    """Text of an element, ``<lb/>`` as a newline; nested lists skipped."""
    parts: list[str] = []

    def walk(node: Any, top: bool) -> None:
        if not top and node.tag == "list":
            return
        if node.tag == "lb":
            parts.append("\n")
        elif node.text:
            parts.append(node.text)
        for child in node:
            walk(child, False)
            if child.tail:
                parts.append(child.tail)

    walk(element, True)
    return _clean("".join(parts))


def _list_blocks(element: Any, level: int, out: list[Block]) -> None:
    ordered = (element.get("rend") or "").lower() in ("ol", "ordered")
    for item in element:
        if item.tag != "item":
            continue
        text = _inline_text(item)
        if text:
            out.append(Block("list_item", text, level=level, ordered=ordered))
        for nested in item.iter("list"):
            if nested is not item:
                _list_blocks(nested, level + 1, out)
                break


def _table_block(element: Any) -> Block | None:
    rows = []
    for row in element.iter("row"):
        cells = tuple(_clean(" ".join(cell.itertext())) for cell in row if cell.tag == "cell")
        if any(cells):
            rows.append(cells)
    if not rows:
        return None
    text = "\n".join(" | ".join(c for c in r if c) for r in rows)
    return Block("table", text, rows=tuple(rows))


def body_to_blocks(body: Any) -> list[Block]:
    """trafilatura's XML body element to a list of blocks."""
    out: list[Block] = []
    for element in body:
        tag = element.tag
        if tag in ("graphic",) or not isinstance(tag, str):
            pass
        elif tag == "head":
            rend = (element.get("rend") or "h2").lower()
            level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
            text = _inline_text(element)
            if text:
                out.append(Block("heading", text, level=level))
        elif tag == "list":
            _list_blocks(element, 1, out)
        elif tag == "table":
            table = _table_block(element)
            if table:
                out.append(table)
        elif tag == "quote":
            text = _clean("\n".join(_inline_text(p) for p in element) or _inline_text(element))
            if element.text and element.text.strip():
                text = _clean(element.text + "\n" + text)
            if text:
                out.append(Block("quote", text))
        elif tag == "code":
            text = "".join(element.itertext()).strip("\n")
            if text.strip():
                out.append(Block("code", text))
        else:
            text = _inline_text(element)
            if text:
                out.append(Block("paragraph", text))
        if element.tail and element.tail.strip():
            out.append(Block("paragraph", _clean(element.tail)))
    return out


def page_date(html: str, url: str | None = None) -> str | None:
    """htmldate's fast search: the dates the page declares in its markup (meta tags,
    JSON-LD, ``<time>``, the URL), weighed against each other. Never raises.

    >>> page_date('<html><head><meta property="article:published_time" content="2021-03-03">'
    ...           '</head><body><p>Text</p></body></html>')
    '2021-03-03'
    """
    try:
        found = find_date(html, url=url, **set_date_params(extensive=False))
    except Exception:  # htmldate raises several types on odd markup
        return None
    return found if isinstance(found, str) else None


def search_date(html: str, url: str | None = None) -> str | None:
    """htmldate's extensive search (free text through dateparser): slow, so only for
    pages where no declared date was found. Never raises.

    >>> search_date("<html><body><p>Posted on 3 March 2021 by the editors.</p></body></html>")
    '2021-03-03'
    """
    try:
        found = find_date(html, url=url, extensive_search=True, original_date=True)
    except Exception:  # htmldate raises several types on odd markup
        return None
    return found if isinstance(found, str) else None


def extract_blocks(html: str, url: str | None = None, options: Options | None = None) -> tuple[Block, ...]:
    """The main content of ``html`` as blocks; empty on failure, never raises.

    Metadata is not asked of trafilatura: ``metadata.py`` reads it from the page (and
    :func:`page_date` weighs the dates), which costs a fraction of trafilatura's search.
    """
    options = options or Options()
    try:
        document = trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=options.favor == "precision",
            favor_recall=options.favor == "recall",
            include_comments=options.include_comments,
            include_tables=options.include_tables,
            include_images=False,
            include_formatting=False,
            include_links=False,
            with_metadata=False,
            deduplicate=False,
        )
    except Exception:  # trafilatura raises many types on pathological markup
        return ()
    body = getattr(document, "body", None) if document is not None else None
    return tuple(body_to_blocks(body)) if body is not None else ()
